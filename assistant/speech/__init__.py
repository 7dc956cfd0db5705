"""Speech outlines (dàn ý phát biểu): reading the request, choosing cited points, DOCX, LLM drafting, scoring."""
