"""`danvan backup` / `danvan restore` on both storage profiles: a seeds store with an account, a grant and a
conversation, backed up while its assistant is open, restored into an empty store (another folder; in
PostgreSQL another database, vectors in the embedded Chroma of the target folder): the same rows, the same
chunk ids and vectors, the same answers on the public questions; a non-empty target is refused without
--force."""
from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import EVAL, SEEDS, another_database, make_settings

pytestmark = pytest.mark.slow

QUESTIONS = [json.loads(line)["question"] for line in (EVAL / "questions.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
TABLES = {"documents": "doc_id", "chunks": "chunk_id", "facts": "chunk_id, kind, start", "users": "name",
          "grants": "subject, collection", "collections": "name", "conversations": "id",
          "turns": "conversation_id, position"}


def _rows(settings) -> dict:
    out = {}
    if settings.database_url:
        import psycopg
        with psycopg.connect(settings.database_url) as con:
            for table, order in {**TABLES, "lexical": "chunk_id"}.items():
                out[table] = [tuple(r) for r in con.execute(f"SELECT * FROM {table} ORDER BY {order}")]
        return out
    for name in ("catalogue.sqlite3", "accounts.sqlite3"):
        con = sqlite3.connect(settings.data_dir / name)
        have = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table, order in TABLES.items():
            if table in have:
                out[table] = con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
        out[name + ":lexical"] = con.execute("SELECT * FROM lexical ORDER BY chunk_id").fetchall() \
            if "lexical" in have else None
        con.close()
    return out


def _vectors(settings) -> dict:
    from vectorstore.chroma import make_client
    got = make_client(settings).get_collection(settings.collection).get(include=["embeddings", "metadatas"])
    return {i: (np.asarray(e, np.float32), m) for i, e, m in zip(got["ids"], got["embeddings"], got["metadatas"])}


def _same_vectors(a: dict, b: dict) -> bool:
    """The same chunk ids and metadata, and embeddings within an ulp (Chroma hands a stored float32 back
    within one of what it was given)."""
    return a.keys() == b.keys() and all(a[i][1] == b[i][1] and np.allclose(a[i][0], b[i][0], rtol=0, atol=1e-7)
                                        for i in a)


def _answers(assistant) -> list[dict]:
    """Every field of the answers (text, citations, scores) but how long they took."""
    return [{k: v for k, v in assistant.ask(q, mode="qa").to_dict().items() if k != "timings_ms"}
            for q in QUESTIONS]


def _cli(args: list[str], settings, monkeypatch) -> object:
    from assistant.cli import app
    monkeypatch.setenv("DANVAN_EMBED_CACHE", str(settings.embed_cache))
    if settings.database_url:
        monkeypatch.setenv("DANVAN_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("DANVAN_DATABASE_URL", raising=False)
    return CliRunner().invoke(app, [*args, "--db", str(settings.data_dir)])


def test_backup_restores_the_same_store(profile, tmp_path, shared_embed_cache, monkeypatch):
    from assistant.service import Assistant
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    settings = make_settings(tmp_path / "orig", embed_cache=shared_embed_cache, **profile)
    original = Assistant(settings)
    try:
        assert len(original.ingest([SEEDS]).added) == 5
        accounts = original.access.accounts
        accounts.add_user("an", "mật khẩu dài", "reader")
        accounts.add_collection("x", "Văn phòng")
        accounts.grant("user:an", "x")
        original.access.history.add_turn("an", None, QUESTIONS[1], "112 mô hình", {"found": True})
        expected = _answers(original)
        rows, vectors = _rows(settings), _vectors(settings)

        done = _cli(["backup", str(tmp_path / "bk")], settings, monkeypatch)  # the assistant stays open
        assert done.exit_code == 0, done.output
        assert "Đã sao lưu" in done.output and str(tmp_path) not in done.output
    finally:
        original.close()

    target = make_settings(tmp_path / "copy", embed_cache=shared_embed_cache, **another_database(profile))
    done = _cli(["restore", str(tmp_path / "bk")], target, monkeypatch)
    assert done.exit_code == 0, done.output
    assert _rows(target) == rows
    assert _same_vectors(_vectors(target), vectors)  # the same chunk ids, embeddings and metadata
    restored = Assistant(target)
    try:
        assert _answers(restored) == expected
        assert restored.access.accounts.read_scope("an") == {"chung", "x"}
        assert [c.title for c in restored.access.conversations("an")] == [QUESTIONS[1]]
    finally:
        restored.close()

    refused = _cli(["restore", str(tmp_path / "bk")], target, monkeypatch)  # not empty any more
    assert refused.exit_code == 1 and "--force" in refused.output and str(tmp_path) not in refused.output
    forced = _cli(["restore", str(tmp_path / "bk"), "--force"], target, monkeypatch)
    assert forced.exit_code == 0, forced.output
    assert _rows(target) == rows and _same_vectors(_vectors(target), vectors)
