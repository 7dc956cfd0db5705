"""Faults of the engines (issue 27, part 3), with the real ones: a PostgreSQL server of the test's own
(tests/pgcluster.py) shut down and restarted, a `chroma run` server stopped and started again, while one
Assistant (as a replica holds it) keeps serving. A request while an engine is down gets a clear Vietnamese
message with no server detail; later ones succeed without restarting the app, on every worker thread; an
ingest interrupted by a PostgreSQL restart stops cleanly and its re-run ends in the uninterrupted state."""
from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import SEEDS, make_settings
from test_backends import start_chroma, stop

pytestmark = pytest.mark.slow

FILES = ["000_72696720fdc55954.txt", "002_53d483f86c03c5e7.txt", "004_62f44b5bf5acd665.txt"]
ASK = ("Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?", "112")
THREADS = 4  # the app's worker threads, each with its own connections


@pytest.fixture(scope="module")
def cluster():
    from pgcluster import PgCluster
    c = PgCluster()
    c.start()
    yield c
    c.stop()


def _db(cluster) -> str:
    from conftest import new_pg_database
    return new_pg_database(cluster.dsn)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in FILES:
        shutil.copy(SEEDS / name, folder / name)
    return folder


def _assert_user_message(exc: BaseException) -> None:
    from vectorstore.store import STORE_DOWN
    text = str(exc)
    assert text == STORE_DOWN and "thử lại" in text
    for detail in ("127.0.0.1", "postgres", "http", "/", "Error"):
        assert detail not in text, text


def _ask_on_every_thread(pool, a) -> list:
    """THREADS questions at once, so that each worker thread uses (and keeps) its own connections."""
    import threading
    barrier = threading.Barrier(THREADS)

    def one(_):
        barrier.wait(30)
        ans = a.ask(ASK[0])
        a.access.has_users()  # the accounts database too (logins, sessions, history)
        return ans
    return list(pool.map(one, range(THREADS)))


def test_postgres_restart_during_traffic(cluster, corpus, tmp_path, shared_embed_cache):
    from assistant.service import Assistant
    from vectorstore.store import StoreUnavailable
    a = Assistant(make_settings(tmp_path / "replica", embed_cache=shared_embed_cache, database_url=_db(cluster)))
    pool = ThreadPoolExecutor(THREADS)
    try:
        a.ingest([corpus])
        a.access.accounts.add_user("can-bo", "mật khẩu thử", "reader")
        token = a.access.sessions.create("can-bo", 3600)
        assert all(ASK[1] in ans.answer for ans in _ask_on_every_thread(pool, a))

        cluster.restart()  # between requests: every pooled connection is now dead
        answers = _ask_on_every_thread(pool, a)
        assert all(ans.found and ASK[1] in ans.answer for ans in answers)
        assert a.access.sessions.user(token) == "can-bo"  # still logged in

        cluster.halt()  # a request while the server is down
        with pytest.raises(StoreUnavailable) as err:
            pool.submit(a.ask, ASK[0]).result()
        _assert_user_message(err.value)
        cluster.start()
        answers = _ask_on_every_thread(pool, a)  # no restart of the app
        assert all(ans.found and ASK[1] in ans.answer for ans in answers)
        assert a.access.sessions.user(token) == "can-bo"
    finally:
        if not (cluster.data / "postmaster.pid").exists():
            cluster.start()
        pool.shutdown()
        a.close()


def test_chroma_server_restart_during_traffic(corpus, tmp_path, shared_embed_cache):
    from assistant.service import Assistant
    from test_backends import _free_port
    from vectorstore.store import StoreUnavailable
    port, data = _free_port(), tmp_path / "chroma-data"
    proc = start_chroma(data, port)
    a = Assistant(make_settings(tmp_path / "replica", embed_cache=shared_embed_cache,
                                chroma_url=f"http://127.0.0.1:{port}"))
    pool = ThreadPoolExecutor(THREADS)
    try:
        a.ingest([corpus])
        assert all(ASK[1] in ans.answer for ans in _ask_on_every_thread(pool, a))
        stop(proc)
        with pytest.raises(StoreUnavailable) as err:
            pool.submit(a.ask, ASK[0]).result()
        _assert_user_message(err.value)
        proc = start_chroma(data, port)
        answers = _ask_on_every_thread(pool, a)
        assert all(ans.found and ASK[1] in ans.answer for ans in answers)
    finally:
        stop(proc)
        pool.shutdown()
        a.close()


def _pg_state(a, url):
    from test_crash_safety import _state
    return _state(a.settings.data_dir, url)


@pytest.mark.parametrize("point", ["after_upsert", "refine_after_upsert"])
def test_ingest_interrupted_by_postgres_restart_reruns_to_the_uninterrupted_state(point, cluster, corpus, tmp_path,
                                                                                  shared_embed_cache, monkeypatch):
    """PostgreSQL restarts while an ingest writes (static vectors upserted, or an e5 batch upserted, the
    catalogue not yet committed): the ingest stops with the Vietnamese message, and the same command in the
    same process (no restart of the app) ends with the rows and vectors of an uninterrupted ingest."""
    import vectorstore.store as store_mod
    from assistant.service import Assistant
    from vectorstore.store import WRITER_LOST, StoreUnavailable
    ref_url = _db(cluster)
    ref = Assistant(make_settings(tmp_path / "reference", embed_cache=shared_embed_cache, database_url=ref_url))
    ref.ingest([corpus])
    reference = _pg_state(ref, ref_url)
    ref.close()

    url = _db(cluster)
    a = Assistant(make_settings(tmp_path / "replica", embed_cache=shared_embed_cache, database_url=url,
                                embed_batch=4))
    real = store_mod.fault_point
    restarts = []

    def restart_here(name, spec):
        real(name, spec)
        if name == point and not restarts:
            restarts.append(name)
            cluster.restart()

    monkeypatch.setattr(store_mod, "fault_point", restart_here)
    try:
        with pytest.raises(StoreUnavailable) as err:
            a.ingest([corpus])
        assert restarts and str(err.value) == WRITER_LOST
        report = a.ingest([corpus])
        assert report.ok
        assert a.refine_status()["unrefined"] == 0
        assert _pg_state(a, url) == reference
        assert ASK[1] in a.ask(ASK[0]).answer
    finally:
        a.close()


def test_app_says_so_in_vietnamese_while_chroma_restarts(corpus, tmp_path, shared_embed_cache):
    """Over HTTP (the real app server, as a replica behind the proxy): /ask while the Chroma server is down
    answers the Vietnamese message and nothing of the server, /healthz says 503 (the proxy takes the replica
    out); once Chroma is back both answer, the app never restarted."""
    import threading
    import time

    import httpx
    import uvicorn
    from gradio_client import Client
    from assistant.service import Assistant
    from pgcluster import free_port
    from ui.server import create_server
    from vectorstore.store import STORE_DOWN
    chroma_port, data, port = free_port(), tmp_path / "chroma-data", free_port()
    proc = start_chroma(data, chroma_port)
    settings = make_settings(tmp_path / "replica", embed_cache=shared_embed_cache, port=port,
                             chroma_url=f"http://127.0.0.1:{chroma_port}")
    a = Assistant(settings)
    a.ingest([corpus])
    srv = uvicorn.Server(uvicorn.Config(create_server(a, settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.1)
    url = f"http://127.0.0.1:{port}/"
    try:
        client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
        assert ASK[1] in client.predict(ASK[0], "auto", api_name="/ask")["answer"]
        stop(proc)
        with pytest.raises(Exception) as err:
            client.predict(ASK[0], "auto", api_name="/ask")
        assert STORE_DOWN in str(err.value) and str(chroma_port) not in str(err.value)
        assert httpx.get(url + "healthz").status_code == 503
        proc = start_chroma(data, chroma_port)
        assert httpx.get(url + "healthz").status_code == 200
        assert ASK[1] in client.predict(ASK[0], "auto", api_name="/ask")["answer"]
    finally:
        stop(proc)
        srv.should_exit = True
        thread.join(10)
        a.close()
