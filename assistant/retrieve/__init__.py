"""Finding passages: hybrid dense + lexical search, reranking input, and the facts lookup."""
