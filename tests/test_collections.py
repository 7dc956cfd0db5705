"""Collections and read scopes at the store level: every query that finds passages keeps to the scope inside
the query (SQL WHERE, Chroma where), and an older store opens with its documents in the default collection."""
from __future__ import annotations

import shutil
import sqlite3

import pytest

from conftest import SEEDS, make_settings, old_lexical_layout

X_FILES = ("002_", "003_")  # Hồng Lĩnh (Chỉ thị 20-CT/ThU) and Cẩm Xuyên
QUESTION = "Thị xã Hồng Lĩnh sơ kết một năm thực hiện Chỉ thị 20-CT/ThU đạt những kết quả gì?"


def split_seeds(folder):
    """The five seed files copied into folder/x and folder/y (two collections)."""
    for name in ("x", "y"):
        (folder / name).mkdir(parents=True)
    for f in sorted(SEEDS.iterdir()):
        shutil.copy(f, folder / ("x" if f.name.startswith(X_FILES) else "y") / f.name)
    return folder / "x", folder / "y"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def two_collections(request, tmp_path_factory, shared_embed_cache):
    """Two collections in one store, on each storage profile (the PostgreSQL catalogue filters the same way)."""
    from assistant.service import Assistant
    from conftest import new_pg_database
    root = tmp_path_factory.mktemp("two-collections")
    x, y = split_seeds(root / "files")
    server = {"database_url": new_pg_database(request.getfixturevalue("pg_dsn"))} \
        if request.param == "postgres" else {}
    a = Assistant(make_settings(root / "data", embed_cache=shared_embed_cache, **server))
    assert len(a.ingest([x], collection="x").added) == 2
    assert len(a.ingest([y]).added) == 3  # no collection named: the default one
    yield a
    a.close()


def _collections_of(a, passages):
    docs = a.store.catalogue.documents_by_ids(p.doc_id for p in passages)
    return {docs[p.doc_id].collection for p in passages}


def test_documents_carry_their_collection(two_collections):
    a = two_collections
    cat = a.store.catalogue
    assert cat.collections() == {"x": 2, "chung": 3}
    assert {d.source[:4] for d in a.documents(scope={"x"})} == set(X_FILES)
    assert len(a.documents(scope={"chung"})) == 3 and a.documents(scope=[]) == []
    assert a.stats(scope={"x"})["documents"] == 2 and a.stats()["documents"] == 5
    metas = a.store.index.collection.get(include=["metadatas"])["metadatas"]
    assert {m["collection"] for m in metas} == {"x", "chung"}


def test_every_list_keeps_to_the_scope(two_collections):
    a = two_collections
    cat = a.store.catalogue
    assert _collections_of(a, a.retrieve(QUESTION)) >= {"x"}  # unscoped: the Hồng Lĩnh report ranks
    for scope, other in (({"chung"}, "x"), ({"x"}, "chung")):
        passages = a.retrieve(QUESTION, k=8, scope=scope)
        assert passages and _collections_of(a, passages) == set(scope)
        ids, _ = a.store.dense_search(QUESTION, 30, scope)
        assert ids and {cat.get_document(cat.chunks_by_ids([i])[i].doc_id).collection for i in ids} == set(scope)
        lex = cat.lexical_search_folded(['"dan"', '"van"'], [], 50, scope)
        assert lex and all(cat.get_document(cat.chunks_by_ids([i])[i].doc_id).collection != other for i, _ in lex)
        facts = a.lookup("20-CT", scope=scope)
        assert all(cat.get_document(h.doc_id).collection in scope for h in facts)
    assert a.lookup("20-CT") and not a.lookup("20-CT", scope={"chung"})
    assert a.store.dense_search(QUESTION, 10, [])[0] == [] and cat.lexical_search('"dan"', "folded", 10, []) == []
    whole = a.store.dense_search(QUESTION, 10)[0]  # a scope holding every collection: no metadata filter needed
    assert a.store.dense_search(QUESTION, 10, {"x", "chung", "khac"})[0] == whole


def test_answer_from_another_collection_is_not_found(two_collections):
    a = two_collections
    answer = a.ask(QUESTION, mode="qa", scope={"chung"})
    cited = {c.doc_id for c in answer.citations}
    x_ids = {d.doc_id for d in a.documents(scope={"x"})}
    assert not cited & x_ids and "20-CT/ThU" not in (answer.nearest or "")
    assert {c.doc_id for c in a.ask(QUESTION, mode="qa", scope={"x"}).citations} <= x_ids


def test_moving_a_document_to_another_collection(two_collections, tmp_path):
    a = two_collections
    src = next(p for p in (SEEDS).iterdir() if p.name.startswith("000_"))
    cat = a.store.catalogue
    doc = next(d for d in a.documents() if d.source == src.name)
    report = a.ingest([doc.path], collection="x")
    assert report.added or report.updated
    assert cat.get_document(doc.doc_id).collection == "x"
    ids = cat.chunk_ids_of(doc.doc_id)
    metas = a.store.index.collection.get(ids=ids, include=["metadatas"])["metadatas"]
    assert {m["collection"] for m in metas} == {"x"}
    a.ingest([doc.path], collection="chung")
    assert cat.get_document(doc.doc_id).collection == "chung"


def test_store_made_before_collections_opens_in_the_default_one(tmp_path, shared_embed_cache):
    from assistant.service import Assistant
    settings = make_settings(tmp_path / "old", embed_cache=shared_embed_cache)
    a = Assistant(settings)
    a.ingest([next(p for p in SEEDS.iterdir() if p.name.startswith("002_"))])
    coll = a.store.index.collection
    got = coll.get(include=["metadatas", "embeddings"])
    coll.upsert(ids=got["ids"], embeddings=got["embeddings"],
                metadatas=[{k: v for k, v in m.items() if k != "collection"} for m in got["metadatas"]])
    a.close()
    db = sqlite3.connect(settings.catalogue_path)  # the schema before collections
    db.execute("DROP INDEX documents_collection")
    db.execute("ALTER TABLE documents DROP COLUMN collection")
    old_lexical_layout(db, ["exact", "folded", "pairs"], "unicode61 remove_diacritics 0 tokenchars '_'")
    db.close()
    b = Assistant(settings)
    assert [d.collection for d in b.documents()] == ["chung"]
    assert b.store.catalogue.get_meta("vector_collections") == "pending"
    cat = b.store.catalogue  # the lexical index was rebuilt with each passage's collection
    assert cat.lexical_search('"dan van"', "folded", 10, {"chung"}) and not cat.lexical_search(
        '"dan van"', "folded", 10, {"x"})
    assert len(cat.lexical_search('"dan van"', "folded", 10, {"chung"})) == len(cat.lexical_search('"dan van"'))
    assert b.retrieve(QUESTION, scope={"chung"})  # every collection: no filter needed yet
    b.ingest([next(p for p in SEEDS.iterdir() if p.name.startswith("000_"))], collection="x")  # a writer backfills
    assert b.store.catalogue.get_meta("vector_collections") == "done"
    ids, _ = b.store.dense_search(QUESTION, 30, {"chung"})  # now filtered: the old vectors are found
    assert ids and {cat.get_document(cat.chunks_by_ids([i])[i].doc_id).collection for i in ids} == {"chung"}
    metas = b.store.index.collection.get(include=["metadatas"])["metadatas"]
    assert {m.get("collection") for m in metas} == {"chung", "x"}
    b.close()


def test_langchain_retriever_keeps_to_its_scope(two_collections):
    from assistant.langchain_retriever import DanvanRetriever
    a = two_collections
    x_ids = {d.doc_id for d in a.documents(scope={"x"})}
    docs = DanvanRetriever(assistant=a, k=5, scope=frozenset({"chung"})).invoke(QUESTION)
    assert docs and not {d.metadata["doc_id"] for d in docs} & x_ids
