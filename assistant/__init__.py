"""Answering: query understanding, hybrid retrieval, answer composition, lookup, CLI."""
