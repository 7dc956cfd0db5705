"""Login sessions in the accounts database (SQLite or PostgreSQL), so that every replica of the app knows a
logged-in user: when the replica that made a session dies, the front proxy sends the user to another, which
finds the session here.

Only a hash of each token is kept (SHA-256): a copy of the database (a backup) holds no usable session.
Expiry is wall-clock time, the same on every host; a session in use is renewed (``renew_s``: an idle expiry,
written at most once a minute). ``MemorySessions`` is the same interface in one process's
memory, for an app without an accounts store.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from typing import Callable

from vectorstore.sqldb import Database

TOKEN_BYTES = 32
PURGE_EVERY_S = 600.0
RENEW_EVERY_S = 60.0  # a session in use is written again at most this often


def _renewal_due(expires_at: float, now: float, renew_s: float | None) -> bool:
    return bool(renew_s) and now + renew_s - expires_at >= min(RENEW_EVERY_S, renew_s / 2)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class StoredSessions:
    """Sessions in the ``login_sessions`` table of the accounts schema (vectorstore/accounts.py, version 2)."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time):
        self.db = db
        self.clock = clock
        self._purged = 0.0

    def create(self, username: str, ttl_s: float) -> str:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = self.clock()
        self.db.execute("INSERT INTO login_sessions VALUES (?,?,?)", (_digest(token), username, now + ttl_s))
        if now - self._purged > PURGE_EVERY_S:  # expired rows go now and then, not on every login
            self._purged = now
            self.db.execute("DELETE FROM login_sessions WHERE expires_at <= ?", (now,))
        return token

    def user(self, token: str | None, renew_s: float | None = None) -> str | None:
        """The user of a live session token, else None; ``renew_s``: the session lives that long from now."""
        if not token:
            return None
        now = self.clock()
        row = self.db.one("SELECT username, expires_at FROM login_sessions WHERE token_hash=? AND expires_at > ?",
                          (_digest(token), now))
        if row and _renewal_due(row[1], now, renew_s):
            self.db.execute("UPDATE login_sessions SET expires_at=? WHERE token_hash=?", (now + renew_s, _digest(token)))
        return row[0] if row else None

    def delete(self, token: str | None) -> None:
        if token:
            self.db.execute("DELETE FROM login_sessions WHERE token_hash=?", (_digest(token),))

    def delete_user(self, username: str) -> int:
        """End every session of ``username`` (a removed account, a changed password)."""
        return self.db.execute("DELETE FROM login_sessions WHERE username=?", (username,))


class MemorySessions:
    """Sessions of one process (lost with it): the app without an accounts store, and the unit tests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._sessions: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def create(self, username: str, ttl_s: float) -> str:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self._lock:
            self._sessions[_digest(token)] = (username, self.clock() + ttl_s)
        return token

    def user(self, token: str | None, renew_s: float | None = None) -> str | None:
        if not token:
            return None
        key = _digest(token)
        now = self.clock()
        with self._lock:
            entry = self._sessions.get(key)
            if entry and entry[1] > now:
                if _renewal_due(entry[1], now, renew_s):
                    self._sessions[key] = (entry[0], now + renew_s)
                return entry[0]
            self._sessions.pop(key, None)
        return None

    def delete(self, token: str | None) -> None:
        with self._lock:
            self._sessions.pop(_digest(token or ""), None)

    def delete_user(self, username: str) -> int:
        with self._lock:
            gone = [k for k, (u, _) in self._sessions.items() if u == username]
            for k in gone:
                del self._sessions[k]
        return len(gone)
