"""A question reads Chroma through its Rust core (vectorstore/chroma.py VectorReader) until a chromadb client is
open: the same ids and distances as the client, the model check kept, and the client takes over once it opens.
The store's embeddings are LangChain Embeddings without langchain_core imported up front."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import make_settings

QUESTIONS = ["Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?",
             "Chỉ thị số 20-CT/ThU là của cơ quan nào và về nội dung gì?",
             "Tỉnh Quảng Ninh có bao nhiêu mô hình dân vận khéo được công nhận năm 2023?"]


@pytest.fixture
def seeds_copy(tmp_path, seeds_assistant) -> Path:
    """The seeds store copied where no chromadb client of this process has opened it."""
    shutil.copytree(seeds_assistant.settings.data_dir, tmp_path / "store")
    return tmp_path / "store"


def _answer(a, question: str) -> dict:
    return a.ask(question).to_dict() | {"timings_ms": None}


def test_reader_gives_what_the_chromadb_client_gives(seeds_assistant, seeds_copy, shared_embed_cache):
    from vectorstore.chroma import VectorReader, open_bindings
    from vectorstore.store import STATIC_SUFFIX, Store
    store = seeds_assistant.store
    bindings = open_bindings(seeds_copy / "chroma")
    assert bindings is not None and open_bindings(seeds_copy / "chroma") is bindings  # one per directory
    assert open_bindings(store.settings.chroma_path) is None  # a client of this process has it open
    name = store.settings.collection
    reader = VectorReader.open(bindings, name, "e5-small-q4")
    static = VectorReader.open(bindings, name + STATIC_SUFFIX, "static-e5-small-v1")
    assert VectorReader.open(bindings, "no-such-collection", "e5-small-q4") is None
    vectors = [store.embeddings.embed_query(q) for q in QUESTIONS] + [store.static_embeddings.embed_query(QUESTIONS[0])]
    cases = [(vec, n, where) for vec in vectors for n in (1, 5, 40, 1000)
             for where in (None, {"collection": {"$in": ["chung"]}}, {"collection": {"$in": ["khác"]}})]
    read = [reader.query(*case) for case in cases]
    read_static = static.query(vectors[-1], 10) if static is not None else None
    client = Store(make_settings(seeds_copy, embed_cache=shared_embed_cache))
    try:
        assert read == [client.index.query(*case) for case in cases]
        if static is not None:  # refined: the static collection is empty, and read as empty
            assert read_static == client.static_index.query(vectors[-1], 10)
        assert open_bindings(seeds_copy / "chroma") is None
    finally:
        client.close()


def test_reader_refuses_another_model(seeds_copy):
    from vectorstore.chroma import EmbeddingMismatch, VectorReader, open_bindings
    with pytest.raises(EmbeddingMismatch):
        VectorReader.open(open_bindings(seeds_copy / "chroma"), "danvan", "sentence-transformers:other")


def test_a_store_reads_through_the_reader_until_a_client_opens(seeds_assistant, seeds_copy, shared_embed_cache):
    """A one-question process answers as before; once a chromadb client of the process opens the directory (this
    store's or another's) the client answers, and sees what the process writes."""
    from assistant.service import Assistant
    from vectorstore.chroma import VectorIndex, VectorReader
    reader = Assistant(make_settings(seeds_copy, embed_cache=shared_embed_cache))
    writer = Assistant(make_settings(seeds_copy, embed_cache=shared_embed_cache))
    try:
        for q in QUESTIONS:
            assert _answer(reader, q) == _answer(seeds_assistant, q)
        assert reader.store._index is None and isinstance(reader.store._query_index(), VectorReader)
        vec = reader.store.embeddings.embed_query("một đoạn mới")
        writer.store.index.upsert(["moi"], [vec], [{"doc_id": "x", "collection": "chung"}])
        assert isinstance(reader.store._query_index(), VectorIndex)
        assert reader.store.dense_search("một đoạn mới", 3)[0][0] == "moi"
        writer.store.index.delete(["moi"])
        assert _answer(reader, QUESTIONS[0]) == _answer(seeds_assistant, QUESTIONS[0])
    finally:
        reader.close()
        writer.close()


def test_no_reader_where_chromadb_is_configured_otherwise(tmp_path, monkeypatch):
    from vectorstore.chroma import open_bindings
    assert open_bindings(tmp_path) is None  # no persisted Chroma here: the client creates it
    (tmp_path / "chroma.sqlite3").touch()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MIGRATIONS", "validate")
    assert open_bindings(tmp_path) is None
    monkeypatch.delenv("MIGRATIONS")
    (tmp_path / ".env").write_text("DANVAN_TOP_K=3\nchroma_api_impl = chromadb.api.fastapi.FastAPI\n")
    assert open_bindings(tmp_path) is None


def test_the_embeddings_are_langchain_embeddings():
    from langchain_core.embeddings import Embeddings

    import assistant.langchain_retriever  # noqa: F401 (the LangChain face registers them)
    from vectorstore.embeddings import CachedEmbeddings, make_embeddings
    from vectorstore.static import StaticEmbeddings
    for cls in (type(make_embeddings("e5-small-q4")), StaticEmbeddings, CachedEmbeddings):
        assert issubclass(cls, Embeddings)
    assert isinstance(make_embeddings("e5-small-q4"), Embeddings)
