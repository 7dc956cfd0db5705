"""Users, roles, document collections and read grants, on SQLite (embedded) or PostgreSQL (server).

Roles: ``admin`` reads and writes every collection and manages accounts; ``editor`` reads its granted
collections and uploads into those granted with write; ``reader`` reads its granted collections. A grant
names a subject, ``user:NAME`` or ``role:ROLE``, and a collection. The default collection
(vectorstore.scope.DEFAULT_COLLECTION, where older stores' documents went) is granted to every role when
the schema is created, so it stays readable by everyone until an admin revokes that.

Passwords are kept as bcrypt hashes of their SHA-256 (base64): bcrypt reads only 72 bytes, a pass
phrase may be longer. A user's read scope (``read_scope``) is what the assistant passes to every store
query (vectorstore/scope.py).
"""
from __future__ import annotations

import base64
import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

from vectorstore.scope import DEFAULT_COLLECTION
from vectorstore.sqldb import Database

ROLES = ("admin", "editor", "reader")
BCRYPT_ROUNDS = 12
NAME_RE = re.compile(r"^[\w.@-]{1,64}$")
MIN_PASSWORD = 8

SCHEMA = [
    [  # version 1: accounts, collections, grants, chat history
        "CREATE TABLE users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, role TEXT NOT NULL, "
        "created_at DOUBLE PRECISION NOT NULL)",
        "CREATE TABLE collections (name TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', "
        "created_at DOUBLE PRECISION NOT NULL)",
        "CREATE TABLE grants (subject TEXT NOT NULL, collection TEXT NOT NULL REFERENCES collections(name) "
        "ON DELETE CASCADE, can_write INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (subject, collection))",
        "CREATE TABLE conversations (id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, "
        "created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL)",
        "CREATE INDEX conversations_owner ON conversations(owner, updated_at)",
        "CREATE TABLE turns (conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE, "
        "position INTEGER NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, payload TEXT NOT NULL, "
        "created_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (conversation_id, position))",
        f"INSERT INTO collections VALUES ('{DEFAULT_COLLECTION}', 'Tài liệu chung', 0)",
        f"INSERT INTO grants VALUES ('role:reader', '{DEFAULT_COLLECTION}', 0)",
        f"INSERT INTO grants VALUES ('role:editor', '{DEFAULT_COLLECTION}', 1)",
    ],
    [  # version 2: login sessions (vectorstore/sessions.py), so that any replica knows a logged-in user
        "CREATE TABLE login_sessions (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, "
        "expires_at DOUBLE PRECISION NOT NULL)",
        "CREATE INDEX login_sessions_expiry ON login_sessions(expires_at)",
    ],
]


class AccountError(ValueError):
    """A refused change to accounts; the message is for the user (Vietnamese)."""


@dataclass(frozen=True)
class User:
    name: str
    role: str


@dataclass(frozen=True)
class Grant:
    subject: str  # "user:NAME" or "role:ROLE"
    collection: str
    write: bool


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str, rounds: int = BCRYPT_ROUNDS) -> str:
    import bcrypt
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds)).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    import bcrypt
    try:
        return bcrypt.checkpw(_prehash(password or ""), hashed.encode("ascii"))
    except ValueError:  # a malformed hash
        return False


def open_database(settings) -> Database:
    """The accounts/history database of a Settings: its PostgreSQL URL, else a SQLite file in DATA_DIR."""
    return Database(settings.database_url or Path(settings.accounts_path))


class Accounts:
    """The accounts store (one per process; thread-safe through per-thread connections)."""

    def __init__(self, db: Database, rounds: int = BCRYPT_ROUNDS):
        self.db = db
        self.rounds = rounds
        self.db.migrate("accounts", SCHEMA)
        self._dummy = hash_password("không-có-người-dùng-này", rounds)  # unknown names cost a check too

    # ---- users ----
    def add_user(self, name: str, password: str, role: str = "reader") -> User:
        name = (name or "").strip()
        if not NAME_RE.match(name):
            raise AccountError("Tên đăng nhập chỉ gồm chữ, số và . _ - @ (tối đa 64 ký tự).")
        self._check_role(role)
        self._check_password(password)
        hashed = hash_password(password, self.rounds)  # outside the transaction: it takes a while
        with self.db.transaction():
            if self.db.one("SELECT 1 FROM users WHERE name=?", (name,)):
                raise AccountError(f"Người dùng «{name}» đã có.")
            self.db.execute("INSERT INTO users VALUES (?,?,?,?)", (name, hashed, role, time.time()))
        return User(name, role)

    def _check_role(self, role: str) -> None:
        if role not in ROLES:
            raise AccountError("Vai trò phải là một trong: " + ", ".join(ROLES) + ".")

    def _check_password(self, password: str) -> None:
        if len(password or "") < MIN_PASSWORD:
            raise AccountError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")

    def set_password(self, name: str, password: str) -> None:
        self._check_password(password)
        if not self.db.execute("UPDATE users SET password_hash=? WHERE name=?",
                               (hash_password(password, self.rounds), name)):
            raise AccountError(f"Không có người dùng «{name}».")
        self.db.execute("DELETE FROM login_sessions WHERE username=?", (name,))  # logged in with the old one

    def set_role(self, name: str, role: str) -> None:
        self._check_role(role)
        with self.db.transaction():
            self._keep_an_admin(name, role)
            if not self.db.execute("UPDATE users SET role=? WHERE name=?", (role, name)):
                raise AccountError(f"Không có người dùng «{name}».")

    def remove_user(self, name: str) -> None:
        with self.db.transaction():
            self._keep_an_admin(name, None)
            if not self.db.execute("DELETE FROM users WHERE name=?", (name,)):
                raise AccountError(f"Không có người dùng «{name}».")
            self.db.execute("DELETE FROM grants WHERE subject=?", (f"user:{name}",))
            self.db.execute("DELETE FROM login_sessions WHERE username=?", (name,))

    def _keep_an_admin(self, name: str, new_role: str | None) -> None:
        """The last admin may not lose the role: nobody could manage accounts any more."""
        user = self.user(name)
        if user and user.role == "admin" and new_role != "admin":
            if self.db.one("SELECT COUNT(*) FROM users WHERE role='admin'")[0] <= 1:
                raise AccountError("Không thể bỏ quản trị viên cuối cùng.")

    def user(self, name: str | None) -> User | None:
        row = self.db.one("SELECT name, role FROM users WHERE name=?", (name or "",))
        return User(*row) if row else None

    def users(self) -> list[User]:
        return [User(*r) for r in self.db.rows("SELECT name, role FROM users ORDER BY name")]

    def has_users(self) -> bool:
        return self.db.one("SELECT 1 FROM users LIMIT 1") is not None

    def verify(self, name: str, password: str) -> User | None:
        """The user when the password is right (a check costs the same for an unknown name)."""
        row = self.db.one("SELECT name, role, password_hash FROM users WHERE name=?", ((name or "").strip(),))
        ok = check_password(password, row[2] if row else self._dummy)
        return User(row[0], row[1]) if row and ok else None

    # ---- collections and grants ----
    def add_collection(self, name: str, title: str = "") -> None:
        name = (name or "").strip()
        if not NAME_RE.match(name):
            raise AccountError("Tên bộ tài liệu chỉ gồm chữ, số và . _ - @ (tối đa 64 ký tự).")
        with self.db.transaction():
            if self.db.one("SELECT 1 FROM collections WHERE name=?", (name,)):
                raise AccountError(f"Bộ tài liệu «{name}» đã có.")
            self.db.execute("INSERT INTO collections VALUES (?,?,?)", (name, title or "", time.time()))

    def remove_collection(self, name: str) -> None:
        """Forget a collection and its grants (its documents stay in the store, readable by admins)."""
        if not self.db.execute("DELETE FROM collections WHERE name=?", (name,)):
            raise AccountError(f"Không có bộ tài liệu «{name}».")
        self.db.execute("DELETE FROM grants WHERE collection=?", (name,))  # SQLite without FK cascade

    def collections(self) -> list[tuple[str, str]]:
        """(name, title) of the collections, by name."""
        return [(r[0], r[1]) for r in self.db.rows("SELECT name, title FROM collections ORDER BY name")]

    @staticmethod
    def subject(subject: str) -> str:
        """"user:NAME" or "role:ROLE" as written; a bare name is a user's ("an" is "user:an")."""
        subject = (subject or "").strip()
        return subject if ":" in subject else f"user:{subject}"

    def grant(self, subject: str, collection: str, write: bool = False) -> None:
        """Let ``subject`` ("user:NAME", a bare NAME, or "role:ROLE") read ``collection`` (and upload into it:
        ``write``)."""
        subject = self.subject(subject)
        kind, _, who = subject.partition(":")
        if kind == "role":
            self._check_role(who)
        elif kind != "user" or not self.user(who):
            raise AccountError(f"Không có người dùng hoặc vai trò «{subject}».")
        with self.db.transaction():
            if not self.db.one("SELECT 1 FROM collections WHERE name=?", (collection,)):
                raise AccountError(f"Không có bộ tài liệu «{collection}».")
            self.db.execute("DELETE FROM grants WHERE subject=? AND collection=?", (subject, collection))
            self.db.execute("INSERT INTO grants VALUES (?,?,?)", (subject, collection, int(bool(write))))

    def revoke(self, subject: str, collection: str) -> bool:
        subject = self.subject(subject)
        return self.db.execute("DELETE FROM grants WHERE subject=? AND collection=?", (subject, collection)) > 0

    def grants(self) -> list[Grant]:
        return [Grant(r[0], r[1], bool(r[2])) for r in
                self.db.rows("SELECT subject, collection, can_write FROM grants ORDER BY subject, collection")]

    def _granted(self, user: User) -> list[tuple[str, bool]]:
        return [(r[0], bool(r[1])) for r in self.db.rows(
            "SELECT collection, can_write FROM grants WHERE subject IN (?, ?)", (f"user:{user.name}", f"role:{user.role}"))]

    def read_scope(self, name: str) -> frozenset[str] | None:
        """The collections ``name`` may read: None (all) for an admin, empty for an unknown name."""
        user = self.user(name)
        if user is None:
            return frozenset()
        if user.role == "admin":
            return None
        return frozenset(c for c, _ in self._granted(user))

    def writable(self, name: str, known: list[str] | None = None) -> list[str]:
        """The collections ``name`` may upload into: every one for an admin (``known`` adds those the
        store holds), the write grants for an editor, none for a reader."""
        user = self.user(name)
        if user is None or user.role == "reader":
            return []
        if user.role == "admin":
            return sorted({c for c, _ in self.collections()} | set(known or []))
        return sorted({c for c, w in self._granted(user) if w})
