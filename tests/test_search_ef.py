"""Chroma's HNSW search keeps SEARCH_EF candidates (vectorstore/chroma.py): new collections are made with it and
older ones (Chroma's default 100) are given it when the store opens, so the nearest passages are the same in
every process. Real Chroma, real vectors."""
from __future__ import annotations

import subprocess
import sys

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from vectorstore.chroma import SEARCH_EF, VectorIndex, VectorReader, _search_ef, open_bindings


def _vectors(n: int, dim: int = 32, seed: int = 7) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _client(path):
    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


def test_a_new_collection_searches_with_search_ef(tmp_path):
    index = VectorIndex(_client(tmp_path), "danvan", "m1")
    assert _search_ef(index.collection.configuration_json) == SEARCH_EF


def test_an_older_collection_is_widened_and_the_reader_waits_for_it(tmp_path):
    old = _client(tmp_path / "a").get_or_create_collection(
        "danvan", embedding_function=None, metadata={"embed_model": "m1", "hnsw:space": "cosine"})
    assert _search_ef(old.configuration_json) == 100  # Chroma's default, as stores made before had it
    vecs = _vectors(300)
    old.upsert(ids=[f"c{i}" for i in range(300)], embeddings=vecs.tolist())
    made_elsewhere = tmp_path / "b"  # an older store made by another process: this process has no client of it
    subprocess.run([sys.executable, "-c", "import chromadb, sys; from chromadb.config import Settings as S; "
                    "chromadb.PersistentClient(path=sys.argv[1], settings=S(anonymized_telemetry=False))"
                    ".get_or_create_collection('danvan', embedding_function=None, "
                    "metadata={'embed_model': 'm1', 'hnsw:space': 'cosine'})", str(made_elsewhere)], check=True)
    bindings = open_bindings(made_elsewhere)
    assert bindings is not None and VectorReader.open(bindings, "danvan", "m1") is None  # the client opens it
    index = VectorIndex(_client(tmp_path / "a"), "danvan", "m1")
    assert _search_ef(_client(tmp_path / "a").get_collection("danvan").configuration_json) == SEARCH_EF
    # what it finds is the exact nearest list
    q = vecs[5] + 0.01
    got = [i for i, _ in index.query(q.tolist(), 40)]
    exact = [f"c{i}" for i in np.argsort(-(vecs @ (q / np.linalg.norm(q))), kind="stable")[:40]]
    assert set(got) == set(exact)
