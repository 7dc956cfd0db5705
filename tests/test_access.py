"""The app's access rules (assistant/accounts/access.py) in each mode, on SQLite and PostgreSQL, and `danvan user`."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from assistant.accounts.access import Access, AccessDenied
from config import Settings
from vectorstore.accounts import AccountError

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "mật khẩu thử nghiệm"


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request, tmp_path):
    url = None
    if request.param == "postgresql":
        import psycopg
        dsn = request.getfixturevalue("pg_dsn")
        name = "access_" + uuid.uuid4().hex[:8]
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = dsn.rsplit("/", 1)[0] + "/" + name
    return Settings(data_dir=tmp_path, database_url=url, _env_file=None)


def test_modes(settings):
    in_store = {"van-phong": 3, "chung": 1}
    acc = Access(settings, lambda: in_store)
    assert acc.scope(None) is None and acc.is_admin(None)  # no login configured: everything, as before
    assert acc.writable(None) == ["chung", "van-phong"]
    acc.accounts.add_user("an", PASSWORD, "reader")
    assert acc.scope(None) == frozenset() and not acc.is_admin(None)  # accounts exist: no user, no rights
    assert acc.scope("an") == {"chung"} and acc.writable("an") == [] and acc.role("an") == "reader"
    assert acc.scope("bịa") == frozenset() and acc.role("bịa") is None
    with pytest.raises(AccessDenied, match="quản trị viên"):
        acc.admin("an")
    simple = Access(settings.model_copy(update={"auth": "chu:mk"}), lambda: in_store)
    assert simple.scope("chu") is None and simple.is_admin("chu") and simple.scope("an") == {"chung"}
    admin = simple.admin("chu")
    assert "được đọc" in admin.grant("user:an", "van-phong")  # a collection only the store knew: registered
    assert acc.scope("an") == {"chung", "van-phong"}
    view = admin.overview()
    assert ["van-phong", "(chưa đăng ký)", 3] not in view["collections"] and ["an", "reader"] in view["users"]
    assert ["user:an", "van-phong", "đọc"] in view["grants"]
    with pytest.raises(AccountError):
        admin.revoke("user:an", "khong-co")
    assert acc.verify("an", PASSWORD) and not acc.verify("an", "sai")


def test_cli_creates_the_first_admin(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO), "DANVAN_DATA_DIR": str(tmp_path)}
    env.pop("DANVAN_DATABASE_URL", None)
    run = lambda *args, stdin="": subprocess.run([sys.executable, "-m", "ui.cli", "user", *args],  # noqa: E731
                                                 input=stdin, capture_output=True, text=True, env=env, cwd=REPO)
    r = run("add", "quantri", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 0 and "quantri" in r.stdout, r.stderr
    r = run("add", "quantri", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 2 and "đã có" in r.stderr
    r = run("add", "b", "--role", "sếp", "--password-stdin", stdin=PASSWORD + "\n")
    assert r.returncode == 2 and "vai trò" in r.stderr
    assert run("collection", "van-phong").returncode == 0
    assert run("add", "an", "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    assert run("grant", "user:an", "van-phong").returncode == 0
    listed = run("list").stdout
    assert "quantri\tadmin" in listed and "user:an\tvan-phong" in listed
    acc = Access(Settings(data_dir=tmp_path, _env_file=None))
    assert acc.verify("quantri", PASSWORD) and acc.scope("an") == {"chung", "van-phong"}
