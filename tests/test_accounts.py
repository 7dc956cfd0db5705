"""The accounts store and chat history, the same tests on SQLite and on a real PostgreSQL 15 server."""
from __future__ import annotations

import re
import threading
import uuid

import pytest

from vectorstore.accounts import AccountError, Accounts
from vectorstore.history import ChatHistory
from vectorstore.sqldb import Database

ROUNDS = 4  # bcrypt's cheapest cost: the hashing is real, only faster


@pytest.fixture(scope="module")
def pg_database(pg_dsn):
    """A database of this module's own in the session's PostgreSQL server."""
    import psycopg
    name = "acl_" + uuid.uuid4().hex[:8]
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return pg_dsn.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    if request.param == "sqlite":
        database = Database(tmp_path / "accounts.sqlite3")
    else:
        database = Database(request.getfixturevalue("pg_database"))
        database.execute("DROP TABLE IF EXISTS login_sessions, turns, conversations, grants, collections, users, "
                         "schema_versions")
    yield database
    database.close()


def test_users_passwords_and_roles(db):
    acc = Accounts(db, rounds=ROUNDS)
    assert not acc.has_users()
    acc.add_user("quantri", "mật khẩu dài", "admin")
    acc.add_user("an", "mật khẩu của An", "reader")
    assert acc.has_users() and [u.name for u in acc.users()] == ["an", "quantri"]
    stored = db.one("SELECT password_hash FROM users WHERE name='an'")[0]
    assert stored.startswith("$2") and "mật" not in stored  # a bcrypt hash, never the password
    assert acc.verify("an", "mật khẩu của An").role == "reader"
    assert acc.verify("an", "sai mật khẩu") is None and acc.verify("ai-đó", "mật khẩu của An") is None
    acc.set_password("an", "mật khẩu mới 123")
    assert acc.verify("an", "mật khẩu của An") is None and acc.verify("an", "mật khẩu mới 123")
    with pytest.raises(AccountError, match="đã có"):
        acc.add_user("an", "mật khẩu khác", "reader")
    with pytest.raises(AccountError, match="Vai trò"):
        acc.add_user("binh", "mật khẩu dài", "superuser")
    with pytest.raises(AccountError, match="ít nhất"):
        acc.add_user("binh", "ngắn", "reader")
    with pytest.raises(AccountError, match="quản trị viên cuối cùng"):
        acc.set_role("quantri", "reader")
    with pytest.raises(AccountError, match="quản trị viên cuối cùng"):
        acc.remove_user("quantri")
    acc.set_role("an", "editor")
    assert acc.user("an").role == "editor"
    acc.remove_user("an")
    assert acc.user("an") is None and acc.verify("an", "mật khẩu mới 123") is None
    assert Accounts(db, rounds=ROUNDS).has_users()  # reopened: schema already at its version
    assert db.one("SELECT version FROM schema_versions WHERE name='accounts'")[0] == 2


def test_collections_grants_and_scopes(db):
    acc = Accounts(db, rounds=ROUNDS)
    acc.add_user("quantri", "mật khẩu dài", "admin")
    acc.add_user("an", "mật khẩu dài", "reader")
    acc.add_user("binh", "mật khẩu dài", "editor")
    acc.add_collection("x", "Văn phòng")
    acc.add_collection("y")
    assert [c for c, _ in acc.collections()] == ["chung", "x", "y"]
    assert acc.read_scope("an") == {"chung"} and acc.read_scope("quantri") is None
    assert acc.read_scope("không-có") == frozenset()
    acc.grant("user:an", "x")
    acc.grant("user:binh", "y", write=True)
    assert acc.read_scope("an") == {"chung", "x"} and acc.read_scope("binh") == {"chung", "y"}
    assert acc.writable("an") == [] and acc.writable("binh") == ["chung", "y"]
    assert acc.writable("quantri", known=["z"]) == ["chung", "x", "y", "z"]
    acc.revoke("role:reader", "chung")
    assert acc.read_scope("an") == {"x"}
    with pytest.raises(AccountError, match="Không có bộ tài liệu"):
        acc.grant("user:an", "khong-co")
    with pytest.raises(AccountError, match="Không có người dùng"):
        acc.grant("user:khong-co", "x")
    acc.remove_collection("x")
    assert acc.read_scope("an") == frozenset() and all(g.collection != "x" for g in acc.grants())


def test_history_is_private_to_its_owner(db):
    Accounts(db, rounds=ROUNDS)
    h = ChatHistory(db)
    cid = h.add_turn("an", None, "Câu hỏi một?", "Trả lời một [1].", {"citations": [{"n": 1}]})
    assert h.add_turn("an", cid, "Câu hỏi hai?", "Trả lời hai.") == cid
    other = h.add_turn("binh", None, "Câu của Bình?", "Trả lời.")
    assert [c.id for c in h.conversations("an")] == [cid] and h.conversations("an")[0].turns == 2
    assert [c.title for c in h.conversations("binh")] == ["Câu của Bình?"]
    turns = h.turns("an", cid)
    assert [t.question for t in turns] == ["Câu hỏi một?", "Câu hỏi hai?"]
    assert turns[0].payload == {"citations": [{"n": 1}]}
    assert h.turns("binh", cid) is None and h.delete("binh", cid) is False
    assert h.add_turn("binh", cid, "Chen vào?", "Không.") != cid  # another's id starts a new conversation
    assert len(h.turns("an", cid)) == 2
    assert h.delete("an", cid) and h.turns("an", cid) is None and h.conversations("an") == []
    assert h.turns("binh", other)


def test_concurrent_turns_keep_their_order(db):
    Accounts(db, rounds=ROUNDS)
    h = ChatHistory(db)
    cid = h.add_turn("an", None, "Câu 0", "Đáp 0")
    errors: list[Exception] = []

    def ask(i: int) -> None:
        try:
            h.add_turn("an", cid, f"Câu {i}", f"Đáp {i}")
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(t.question for t in h.turns("an", cid)) == sorted(f"Câu {i}" for i in range(9))


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_replicas_starting_together_on_a_new_database(engine, tmp_path, pg_dsn):
    """Several app processes open the accounts store of a new database at once: one creates the schema,
    the others wait for it (the race that once failed the two-replica stack's start)."""
    from conftest import new_pg_database
    target = tmp_path / "accounts.sqlite3" if engine == "sqlite" else new_pg_database(pg_dsn)
    barrier, errors, dbs = threading.Barrier(6), [], []

    def open_store() -> None:
        db = Database(target)
        dbs.append(db)
        barrier.wait()
        try:
            Accounts(db, rounds=ROUNDS)
        except Exception as exc:  # noqa: BLE001 (collected and asserted below)
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert tuple(dbs[0].one("SELECT version FROM schema_versions WHERE name='accounts'")) == (2,)
    for db in dbs:
        db.close()


def test_login_sessions_are_shared_by_replicas(db):
    """A session made through one connection (one replica) is found through another; it expires, ends at
    logout, and ends with its account or a new password; only a hash of the token is stored."""
    from vectorstore.sessions import StoredSessions
    acc = Accounts(db, rounds=ROUNDS)
    acc.add_user("quantri", "mật khẩu dài", "admin")
    acc.add_user("an", "mật khẩu dài", "reader")
    now = [1_000_000.0]
    replica_a = StoredSessions(db, clock=lambda: now[0])
    other = Database(db.target)  # another process's connections to the same store
    try:
        replica_b = StoredSessions(other, clock=lambda: now[0])
        token = replica_a.create("an", ttl_s=60)
        assert replica_b.user(token) == "an" and replica_b.user(token + "x") is None and replica_b.user(None) is None
        assert token not in str(db.rows("SELECT * FROM login_sessions"))
        now[0] += 61
        assert replica_b.user(token) is None  # expired
        t1, t2 = replica_a.create("an", 60), replica_a.create("quantri", 60)
        replica_b.delete(t2)  # logout on the other replica
        assert replica_a.user(t2) is None and replica_a.user(t1) == "an"
        acc.set_password("an", "mật khẩu mới 123")
        assert replica_b.user(t1) is None
        t3 = replica_a.create("an", 60)
        acc.remove_user("an")
        assert replica_b.user(t3) is None
    finally:
        other.close()


def test_cli_grant_with_a_bare_user_name_and_list_shows_collections(tmp_path):
    """Issue 26 item 17: `danvan user grant an van-phong` (a bare name, as `user:an`); `user list` shows the
    collections, what each user reads and writes, and the grants."""
    from typer.testing import CliRunner

    from assistant.cli import app
    run = CliRunner()

    def danvan(*args, stdin=None):
        out = run.invoke(app, ["user", *args, "--db", str(tmp_path)], input=stdin)
        return out.exit_code, out.output

    assert danvan("add", "an", "--role", "editor", "--password-stdin", stdin="mật khẩu dài\n")[0] == 0
    assert danvan("collection", "van-phong", "--title", "Văn phòng")[0] == 0
    code, out = danvan("grant", "an", "van-phong", "--write")
    assert code == 0 and "user:an" in out and "van-phong" in out, out
    code, out = danvan("list")
    assert code == 0, out
    assert "van-phong\tVăn phòng" in out and "user:an\tvan-phong\tđọc và nạp" in out, out
    assert re.search(r"an\teditor\tđọc: .*van-phong.*\tnạp: .*van-phong", out), out
    code, out = danvan("revoke", "an", "van-phong")
    assert code == 0 and "Đã thu hồi" in out, out
    code, out = danvan("grant", "khong-co", "van-phong")
    assert code == 2 and "Không có người dùng" in out, out
