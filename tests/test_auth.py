"""Accounts, sessions and failed-login throttling: the pure logic with a fake clock, then over HTTP against
the real server app (Gradio mounted in FastAPI), with a stand-in for the assistant (no store or model)."""
from __future__ import annotations

import logging
import re
from types import SimpleNamespace

import pytest

from assistant.accounts.auth import LOCKED, WRONG, Authenticator, LoginRefused, LoginThrottle


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_throttle_locks_after_max_failures_and_doubles():
    clock = Clock()
    th = LoginThrottle(max_failures=3, window_s=60, lockout_s=10, max_lockout_s=25, clock=clock)
    for _ in range(2):
        th.failure(["user:a"])
    assert th.retry_after(["user:a"]) == 0
    th.failure(["user:a"])
    assert th.retry_after(["user:a"]) == 10 and th.retry_after(["user:b"]) == 0
    clock.t += 11
    assert th.retry_after(["user:a"]) == 0
    for _ in range(3):
        th.failure(["user:a"])
    assert th.retry_after(["user:a"]) == 20  # doubled
    clock.t += 21
    for _ in range(3):
        th.failure(["user:a"])
    assert th.retry_after(["user:a"]) == 25  # capped


def test_throttle_forgets_old_failures():
    clock = Clock()
    th = LoginThrottle(max_failures=3, window_s=60, lockout_s=10, clock=clock)
    th.failure(["k"])
    th.failure(["k"])
    clock.t += 61
    th.failure(["k"])
    assert th.retry_after(["k"]) == 0


def test_authenticator_per_user_and_per_client(caplog):
    clock = Clock()
    auth = Authenticator([("an", "đúng")], clock=clock, max_failures=3, max_failures_client=5)
    caplog.set_level(logging.WARNING, logger="danvan.auth")
    for _ in range(3):
        with pytest.raises(LoginRefused, match=WRONG):
            auth.login("an", "sai", "10.0.0.1")
    with pytest.raises(LoginRefused) as err:  # locked: even the right password is refused
        auth.login("an", "đúng", "10.0.0.2")
    assert err.value.retry_after > 0 and "thử lại sau" in err.value.message
    assert "Đăng nhập sai: tên='an' máy=10.0.0.1" in caplog.text and "Khoá đăng nhập user:an" in caplog.text
    # Per client: many user names from one address.
    for i in range(5):
        with pytest.raises(LoginRefused):
            auth.login(f"x{i}", "sai", "10.0.0.9")
    with pytest.raises(LoginRefused) as err:
        auth.login("khac", "sai", "10.0.0.9")
    assert err.value.retry_after > 0
    clock.t += 31
    token = auth.login("an", "đúng", "10.0.0.2")
    assert auth.user(token) == "an" and auth.user("bịa") is None
    auth.logout(token)
    assert auth.user(token) is None


def test_locked_message_is_vietnamese():
    assert LOCKED.format(seconds=30) == "Đăng nhập sai quá nhiều lần. Hãy thử lại sau 30 giây."


@pytest.fixture()
def server_app(tmp_path):
    from config import Settings
    from ui.server import create_server
    settings = Settings(data_dir=tmp_path, auth="an:mk", _env_file=None)
    fake = SimpleNamespace(settings=settings, documents=lambda: [], describe=lambda: {},
                           stats=lambda: {"chunks": 0}, lookup=lambda *a, **k: [])
    return create_server(fake, settings)


def test_http_login_page_is_vietnamese_and_throttles(server_app):
    from fastapi.testclient import TestClient
    with TestClient(server_app, client=("10.1.1.1", 5000), follow_redirects=False) as c:
        r = c.get("/")
        assert r.status_code == 302 and r.headers["location"].endswith("login")
        page = c.get("/login").text
        assert "Đăng nhập" in page and "Tên đăng nhập" in page and "Mật khẩu" in page
        visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)>.*?</\1>", " ", page, flags=re.S))
        assert not re.search(r"(?i)\b(login|username|password|incorrect)\b", visible), visible
        assert c.get("/config").status_code == 401
        for _ in range(5):
            r = c.post("/login", data={"username": "an", "password": "sai"})
            assert r.status_code == 400 and r.json()["detail"] == WRONG
        r = c.post("/login", data={"username": "an", "password": "mk"})
        assert r.status_code == 429 and "thử lại sau" in r.json()["detail"] and int(r.headers["retry-after"]) > 0
    with TestClient(server_app, client=("10.1.1.2", 5000), follow_redirects=False) as c:
        # Another user from another client is not affected.
        assert c.post("/login", data={"username": "ban", "password": "sai"}).status_code == 400


def test_http_login_opens_the_app(server_app):
    from fastapi.testclient import TestClient
    with TestClient(server_app, follow_redirects=False) as c:
        assert c.post("/login", data={"username": "an", "password": "mk"}).status_code == 200
        assert c.get("/config").status_code == 200
        assert c.get("/").status_code == 200
        assert c.get("/logout").status_code == 302
        assert c.get("/config").status_code == 401


def test_http_session_survives_its_replica(tmp_path):
    """Two app servers on one accounts store (two replicas): a login made on one opens the other, and a
    logout on either ends it on both."""
    from fastapi.testclient import TestClient

    from assistant.accounts.access import Access
    from config import Settings
    from ui.server import create_server
    settings = Settings(data_dir=tmp_path, _env_file=None)
    Access(settings).accounts.add_user("an", "mật khẩu dài 1", "reader")

    def replica():
        fake = SimpleNamespace(settings=settings, documents=lambda: [], describe=lambda: {},
                               stats=lambda: {"chunks": 0}, lookup=lambda *a, **k: [], access=Access(settings))
        return create_server(fake, settings)

    a, b = replica(), replica()
    with TestClient(a, follow_redirects=False) as ca, TestClient(b, follow_redirects=False) as cb:
        assert ca.post("/login", data={"username": "an", "password": "mật khẩu dài 1"}).status_code == 200
        assert cb.get("/config").status_code == 401
        cb.cookies.update(ca.cookies)  # the browser's cookie, now sent to the other replica
        assert cb.get("/config").status_code == 200 and cb.get("/").status_code == 200
        assert cb.get("/healthz").json() == {"ok": True}
        assert cb.get("/logout").status_code == 302
        assert ca.get("/config").status_code == 401


def test_healthz_says_when_the_store_does_not_answer(tmp_path):
    """/healthz needs no login; 503 with a Vietnamese message and no server detail when an engine fails."""
    from fastapi.testclient import TestClient

    from config import Settings
    from ui.server import create_server

    def down():
        raise ConnectionError(f"cannot reach {tmp_path} on 127.0.0.1:5432")

    settings = Settings(data_dir=tmp_path, auth="an:mk", _env_file=None)
    fake = SimpleNamespace(settings=settings, documents=lambda: [], describe=lambda: {},
                           stats=lambda: {"chunks": 0}, lookup=lambda *a, **k: [],
                           store=SimpleNamespace(health=down))
    with TestClient(create_server(fake, settings)) as c:
        r = c.get("/healthz")
        assert r.status_code == 503 and r.json()["detail"] == "Kho dữ liệu không trả lời."
        assert str(tmp_path) not in r.text and "5432" not in r.text
        fake.store.health = lambda: None
        assert c.get("/healthz").json() == {"ok": True}


def test_session_ends_after_idle_time_and_each_use_renews_it(tmp_path):
    """Issue 26 item 14: a session lives ``session_ttl_s`` from its last use (memory and stored sessions)."""
    from vectorstore.sessions import StoredSessions
    from vectorstore.sqldb import Database
    from vectorstore.accounts import Accounts
    clock = Clock()
    db = Database(tmp_path / "accounts.sqlite3")
    Accounts(db, rounds=4)  # the schema, sessions table included
    for sessions in (None, StoredSessions(db, clock=clock)):
        auth = Authenticator([("an", "mk")], session_ttl_s=600, clock=clock, sessions=sessions)
        token = auth.login("an", "mk", "c")
        for _ in range(5):  # used every 8 minutes for 40 minutes: still open
            clock.t += 480
            assert auth.user(token) == "an"
        clock.t += 601  # then 10 minutes without use: closed
        assert auth.user(token) is None
    db.close()


def test_http_idle_session_expires_and_logout_ends_it(tmp_path):
    """The idle expiry is a setting (DANVAN_SESSION_IDLE_MINUTES); «Đăng xuất» is the /logout link."""
    import time

    from fastapi.testclient import TestClient

    from config import Settings
    from ui.server import create_server
    settings = Settings(data_dir=tmp_path, auth="an:mk", session_idle_minutes=0.05, _env_file=None)  # 3 s
    fake = SimpleNamespace(settings=settings, documents=lambda: [], describe=lambda: {},
                           stats=lambda: {"chunks": 0}, lookup=lambda *a, **k: [])
    with TestClient(create_server(fake, settings), follow_redirects=False) as c:
        assert c.post("/login", data={"username": "an", "password": "mk"}).status_code == 200
        for _ in range(3):  # in use every 2 s for 6 s: still open
            time.sleep(2)
            assert c.get("/config").status_code == 200
        time.sleep(3.5)
        assert c.get("/config").status_code == 401
        r = c.get("/")
        assert r.status_code == 302 and r.headers["location"].endswith("login")
        assert c.post("/login", data={"username": "an", "password": "mk"}).status_code == 200
        assert c.get("/logout").status_code == 302 and c.get("/config").status_code == 401


def test_no_admin_tab_without_a_login(tmp_path):
    """Issue 26 item 16: with no login configured the «Quản trị» tab and its routes are not served at all; with
    one, the tab is there (shown to admins only)."""
    from fastapi.testclient import TestClient

    from assistant.accounts.access import Access
    from config import Settings
    from ui.server import create_server

    def page(settings):
        fake = SimpleNamespace(settings=settings, documents=lambda: [], describe=lambda: {},
                               stats=lambda: {"chunks": 0}, lookup=lambda *a, **k: [], access=Access(settings))
        with TestClient(create_server(fake, settings)) as c:
            if settings.auth:
                assert c.post("/login", data={"username": "an", "password": "mk"}).status_code == 200
            return c.get("/config").text, c.get("/gradio_api/info").text

    config, info = page(Settings(data_dir=tmp_path / "open", _env_file=None))
    assert "Quản trị" not in config and "admin_add_user" not in config + info and "Đăng xuất" not in config
    config, info = page(Settings(data_dir=tmp_path / "login", auth="an:mk", _env_file=None))
    assert "Quản trị" in config and "admin_add_user" in config
