"""Crash safety: the real CLI is SIGKILLed at exact points of the write protocol, re-run, and the
store must equal an uninterrupted run's — documents, chunks, facts, lexical rows, Chroma ids and vectors."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys

import pytest

from conftest import REPO, SEEDS

pytestmark = pytest.mark.slow

FILES = ["000_72696720fdc55954.txt", "002_53d483f86c03c5e7.txt", "004_62f44b5bf5acd665.txt"]


def _run_cli(args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k != "DANVAN_FAULT"}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)


def _state(db, database_url=None):
    import chromadb
    from chromadb.config import Settings as CS
    if database_url:  # the server profile's catalogue: the same rows, read from PostgreSQL
        import psycopg
        con = psycopg.connect(database_url)
    else:
        con = sqlite3.connect(db / "catalogue.sqlite3")
    state = {
        "documents": sorted(con.execute("SELECT doc_id, content_hash, n_chunks, title FROM documents")),
        "chunks": sorted(con.execute('SELECT chunk_id, doc_id, position, text, start, "end" FROM chunks')),
        "facts": sorted(con.execute("SELECT doc_id, chunk_id, kind, text, start FROM facts")),
        "lexical": sorted(con.execute("SELECT chunk_id, exact, folded FROM lexical")),
        "pending": sorted(con.execute("SELECT chunk_id FROM pending")),
    }
    con.close()
    client = chromadb.PersistentClient(path=str(db / "chroma"), settings=CS(anonymized_telemetry=False))
    got = client.get_collection("danvan").get(include=["embeddings"])
    state["vectors"] = sorted((i, tuple(round(float(x), 5) for x in v)) for i, v in zip(got["ids"], got["embeddings"]))
    return state


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash") / "docs"
    folder.mkdir()
    for name in FILES:
        shutil.copy(SEEDS / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory, shared_embed_cache):
    db = tmp_path_factory.mktemp("reference") / "db"
    out = _run_cli(["ingest", str(corpus), "--db", str(db)], {"DANVAN_EMBED_CACHE": str(shared_embed_cache)})
    assert out.returncode == 0, out.stderr
    return _state(db)


# The default ingest (two-phase): one static upsert per flush, a catalogue commit per document, then the
# refinement's batches (4 passages each here); the old path (--no-two-phase): an e5 upsert per document.
DEFAULT_FAULTS = ["before_upsert:1", "after_upsert:1", "after_commit:2", "refine_after_upsert:2",
                  "refine_after_commit:1"]
OLD_FAULTS = ["before_upsert:2", "after_upsert:2", "after_commit:2", "after_upsert:1"]
CASES = [([], f) for f in DEFAULT_FAULTS] + [(["--no-two-phase"], f) for f in OLD_FAULTS]


@pytest.mark.parametrize("flags,fault", CASES, ids=[f"{'old' if fl else 'default'}-{f}" for fl, f in CASES])
def test_killed_ingest_rerun_equals_uninterrupted(flags, fault, corpus, reference, tmp_path, shared_embed_cache):
    """Killed at each point of the write protocol, the same command re-run: the store equals the
    uninterrupted default run's (the old path's too: both end with the same rows and e5 vectors)."""
    db = tmp_path / "db"
    env = {"DANVAN_EMBED_CACHE": str(shared_embed_cache), "DANVAN_EMBED_BATCH": "4"}
    killed = _run_cli(["ingest", str(corpus), "--db", str(db), *flags], {**env, "DANVAN_FAULT": fault})
    assert killed.returncode == -signal.SIGKILL
    rerun = _run_cli(["ingest", str(corpus), "--db", str(db), *flags], env)
    assert rerun.returncode == 0, rerun.stderr
    assert _state(db) == reference


@pytest.mark.parametrize("fault", ["after_upsert:1", "after_commit:2", "refine_after_upsert:2"])
def test_killed_ingest_on_postgres_equals_uninterrupted(fault, corpus, reference, tmp_path, shared_embed_cache,
                                                         pg_dsn):
    """The server profile (catalogue in PostgreSQL, writer lock a PostgreSQL advisory lock): a killed
    ingest re-run gives exactly the rows and vectors of the uninterrupted embedded run."""
    from conftest import new_pg_database
    db, url = tmp_path / "db", new_pg_database(pg_dsn)
    env = {"DANVAN_EMBED_CACHE": str(shared_embed_cache), "DANVAN_DATABASE_URL": url, "DANVAN_EMBED_BATCH": "4"}
    killed = _run_cli(["ingest", str(corpus), "--db", str(db)], {**env, "DANVAN_FAULT": fault})
    assert killed.returncode == -signal.SIGKILL
    assert not (db / "catalogue.sqlite3").exists()
    rerun = _run_cli(["ingest", str(corpus), "--db", str(db)], env)
    assert rerun.returncode == 0, rerun.stderr
    assert _state(db, url) == reference


def _server_state(db, url):
    import chromadb
    from chromadb.config import Settings as CS
    from urllib.parse import urlparse
    u = urlparse(url)
    con = sqlite3.connect(db / "catalogue.sqlite3")
    state = {
        "chunks": sorted(con.execute("SELECT chunk_id, doc_id, position, text FROM chunks")),
        "lexical": sorted(con.execute("SELECT chunk_id, folded FROM lexical")),
        "pending": sorted(con.execute("SELECT chunk_id FROM pending")),
    }
    con.close()
    client = chromadb.HttpClient(host=u.hostname, port=u.port, settings=CS(anonymized_telemetry=False))
    state["ids"] = sorted(client.get_collection("danvan").get(include=[])["ids"])
    return state


@pytest.mark.parametrize("fault", ["after_upsert:1", "after_commit:2", "refine_after_upsert:2"])
def test_killed_ingest_in_chroma_server_mode(fault, corpus, reference, tmp_path, shared_embed_cache):
    """Same protocol against a `chroma run` server: kill, re-run, compare with the reference run."""
    from test_backends import _free_port, start_chroma, stop
    port = _free_port()
    proc = start_chroma(tmp_path / "server", port)
    url = f"http://127.0.0.1:{port}"
    try:
        db = tmp_path / "db"
        env = {"DANVAN_EMBED_CACHE": str(shared_embed_cache), "DANVAN_CHROMA_URL": url, "DANVAN_EMBED_BATCH": "4"}
        killed = _run_cli(["ingest", str(corpus), "--db", str(db)], {**env, "DANVAN_FAULT": fault})
        assert killed.returncode == -signal.SIGKILL
        rerun = _run_cli(["ingest", str(corpus), "--db", str(db)], env)
        assert rerun.returncode == 0, rerun.stderr
        got = _server_state(db, url)
        assert got["pending"] == []
        assert got["ids"] == sorted(r[0] for r in got["chunks"])
        assert got["chunks"] == sorted((c[0], c[1], c[2], c[3]) for c in reference["chunks"])
        assert [r[0] for r in got["lexical"]] == [r[0] for r in reference["lexical"]]
    finally:
        stop(proc)
