"""Everything persisted: vectors in Chroma, the SQLite catalogue of documents/chunks/facts and the lexical index."""
