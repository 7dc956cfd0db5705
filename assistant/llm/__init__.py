"""Chat-model clients (OpenAI-compatible, Ollama) and their streaming; optional, the answer stands without them."""
