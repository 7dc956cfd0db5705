"""Turn files into clean, chunked, described Vietnamese text (load → decode → clean → metadata → chunk)."""
