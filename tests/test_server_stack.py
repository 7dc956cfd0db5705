"""The server profile end to end: scripts/server-stack.sh starts PostgreSQL, `chroma run`, two app replicas
and the round-robin proxy on this machine; users ask over HTTP (the app's Gradio API), ingests run as
separate processes with a replica's settings, and replica A is killed with SIGKILL in the middle of one."""
from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import REPO, SEEDS, new_pg_database

pytestmark = pytest.mark.slow

SCRIPT = REPO / "scripts" / "server-stack.sh"
FIRST = ["000_72696720fdc55954.txt", "002_53d483f86c03c5e7.txt", "003_1a7fc85f422d364f.txt"]
LATER = ["001_55ffc7e6e046b248.txt", "004_62f44b5bf5acd665.txt"]
ASK_A = ("Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?", "002_53d483f86c03c5e7.txt")
ASK_LATER = ("Các đơn vị trong Đảng bộ Khối các cơ quan tỉnh Nghệ An đã hỗ trợ các xã nghèo tổng số tiền bao nhiêu?",
             "004_62f44b5bf5acd665.txt")
USERS = 20


def _free_base() -> int:
    """A base port whose +0..+2, +100 and +101 are free (proxy, replicas, PostgreSQL, Chroma)."""
    for _ in range(200):
        base = random.randint(20000, 40000)
        ok = True
        for p in (base, base + 1, base + 2, base + 100, base + 101):
            with socket.socket() as s:
                ok = ok and s.connect_ex(("127.0.0.1", p)) != 0
        if ok:
            return base
    raise RuntimeError("no free ports")


@pytest.fixture(scope="module")
def stack(shared_embed_cache):
    folder = Path(tempfile.mkdtemp(prefix="danvan-stack-"))  # not pytest's: the postgres user must enter it
    os.chmod(folder, 0o755)
    base = _free_base()
    env = {**os.environ, "STACK_DIR": str(folder), "STACK_PORT": str(base), "DANVAN_PYTHON": sys.executable,
           "DANVAN_EMBED_CACHE": str(shared_embed_cache)}
    env.pop("DANVAN_FAULT", None)
    try:
        out = subprocess.run(["bash", str(SCRIPT), "start", "2"], cwd="/", env=env, capture_output=True,
                             text=True, timeout=600)
        assert out.returncode == 0, out.stdout + out.stderr
        assert f"http://127.0.0.1:{base}" in out.stdout
        yield {"dir": folder, "base": base, "env": env,
               "db": f"postgresql://postgres@127.0.0.1:{base + 100}/danvan",
               "chroma": f"http://127.0.0.1:{base + 101}"}
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop"], cwd="/", env=env, capture_output=True, text=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def _replica_env(stack, i: int, **extra) -> dict:
    return {**stack["env"], "DANVAN_DATABASE_URL": stack["db"], "DANVAN_CHROMA_URL": stack["chroma"],
            "DANVAN_DATA_DIR": str(stack["dir"] / f"app{i}"), **extra}


def _ingest(env: dict, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(folder)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)


def _ask(url: str, question: str) -> dict:
    from gradio_client import Client
    client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
    return client.predict(question, "qa", api_name="/ask")


def _folder(tmp: Path, names: list[str]) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    for n in names:
        shutil.copy(SEEDS / n, tmp / n)
    return tmp


def _rows(database_url: str) -> dict:
    import psycopg
    with psycopg.connect(database_url) as con:
        return {
            "documents": sorted(con.execute("SELECT doc_id, content_hash, n_chunks, title FROM documents")),
            "chunks": sorted(con.execute('SELECT chunk_id, doc_id, position, text, start, "end" FROM chunks')),
            "facts": sorted(con.execute("SELECT doc_id, chunk_id, kind, text, start FROM facts")),
            "lexical": sorted(con.execute("SELECT chunk_id, exact, folded, pairs FROM lexical")),
            "postings": con.execute("SELECT COUNT(*), SUM(tf) FROM lexical_postings").fetchone(),
            "pending": sorted(con.execute("SELECT chunk_id FROM pending")),
        }


def _chroma_ids(url: str) -> list[str]:
    import chromadb
    from chromadb.config import Settings as CS
    port = int(url.rsplit(":", 1)[1])
    client = chromadb.HttpClient(host="127.0.0.1", port=port, settings=CS(anonymized_telemetry=False))
    return sorted(client.get_collection("danvan").get(include=[])["ids"])


def test_two_replicas_share_one_store(stack, tmp_path, pg_dsn):
    base = stack["base"]
    a_url, b_url, proxy = (f"http://127.0.0.1:{base + i}" for i in (1, 2, 0))
    assert not _ask(b_url, ASK_A[0])["found"]  # empty store

    # an ingest with replica A's settings is answerable on replica B's next question
    first = _ingest(_replica_env(stack, 1), _folder(tmp_path / "first", FIRST))
    assert first.returncode == 0, first.stderr
    got = _ask(b_url, ASK_A[0])
    assert got["found"] and "112" in got["answer"] and got["citations"][0]["source"] == ASK_A[1]

    # 20 concurrent users over both replicas, a quarter of them through the round-robin proxy
    urls = [proxy if i % 4 == 0 else (a_url if i % 2 else b_url) for i in range(USERS)]
    with ThreadPoolExecutor(USERS) as pool:
        answers = list(pool.map(lambda u: _ask(u, ASK_A[0]), urls))
    assert all(a["found"] and "112" in a["answer"] for a in answers), [a["answer"][:80] for a in answers]

    # replica A dies with SIGKILL in the middle of an ingest (vectors upserted, catalogue not committed)
    later = _folder(tmp_path / "later", LATER)
    killed = _ingest(_replica_env(stack, 1, DANVAN_FAULT="after_upsert:2"), later)
    assert killed.returncode == -signal.SIGKILL
    os.kill(int((stack["dir"] / "app1.pid").read_text()), signal.SIGKILL)
    got = _ask(b_url, ASK_A[0])
    assert got["found"] and "112" in got["answer"]

    rerun = _ingest(_replica_env(stack, 2), later)
    assert rerun.returncode == 0, rerun.stderr
    got = _ask(b_url, ASK_LATER[0])
    assert got["found"] and got["citations"][0]["source"] == ASK_LATER[1]

    # the same two ingests, uninterrupted, into a fresh database and an embedded Chroma
    ref_db = new_pg_database(pg_dsn)
    ref_env = {**stack["env"], "DANVAN_DATABASE_URL": ref_db, "DANVAN_DATA_DIR": str(tmp_path / "ref")}
    for folder in (tmp_path / "first", later):
        assert _ingest(ref_env, folder).returncode == 0
    state, reference = _rows(stack["db"]), _rows(ref_db)
    assert state == reference
    assert state["pending"] == []
    assert _chroma_ids(stack["chroma"]) == sorted(r[0] for r in reference["chunks"])
