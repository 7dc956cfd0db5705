"""Who may use the app: the accounts from DANVAN_AUTH, password checks, sessions, and failed-login throttling.

Failed logins are counted per user name and per client address: after MAX_FAILURES for one user name, or
MAX_FAILURES_CLIENT from one client, inside ``window_s``, further attempts for that user or from that client
are refused for ``lockout_s`` (doubling with each lockout, up to
``max_lockout_s``), whatever the password. Every failure and every lockout is logged. Pure logic; the web
layer (ui/server.py) only passes names, passwords and client addresses in.
"""
from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

log = logging.getLogger("danvan.auth")

MAX_FAILURES = 5  # per user name
MAX_FAILURES_CLIENT = 20  # per client address: an office behind one address has many users
WINDOW_S = 15 * 60
LOCKOUT_S = 30.0
MAX_LOCKOUT_S = 15 * 60.0
SESSION_TTL_S = 12 * 3600


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """``user:pw[,user2:pw2]`` or a path to a file of ``user:pw`` lines → accounts (None if unset)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    path = Path(value).expanduser()
    if path.is_file():
        items = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        items = [ln for ln in items if ln and not ln.startswith("#")]
    elif ":" in value:
        items = [p.strip() for p in value.split(",") if p.strip()]
    else:
        raise ValueError("DANVAN_AUTH: không phải dạng 'tên:mật_khẩu' cũng không phải một tệp có sẵn")
    pairs = []
    for item in items:
        user, sep, pw = item.partition(":")
        if not sep or not user.strip() or not pw:
            raise ValueError("DANVAN_AUTH: mỗi mục phải có dạng 'tên:mật_khẩu'")
        pairs.append((user.strip(), pw))
    if not pairs:
        raise ValueError("DANVAN_AUTH: không có tài khoản nào")
    return pairs


class LoginRefused(Exception):
    """A login attempt refused; ``message`` is for the user (Vietnamese), ``retry_after`` in seconds or 0."""

    def __init__(self, message: str, retry_after: float = 0.0):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


WRONG = "Sai tên đăng nhập hoặc mật khẩu."
LOCKED = "Đăng nhập sai quá nhiều lần. Hãy thử lại sau {seconds} giây."


@dataclass
class _Record:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0
    lockouts: int = 0


class LoginThrottle:
    """Counts failed logins per key ("user:…", "client:…") and locks a key out after too many."""

    def __init__(self, max_failures: int = MAX_FAILURES, window_s: float = WINDOW_S, lockout_s: float = LOCKOUT_S,
                 max_lockout_s: float = MAX_LOCKOUT_S, clock: Callable[[], float] = time.monotonic):
        self.max_failures, self.window_s = max_failures, window_s
        self.lockout_s, self.max_lockout_s = lockout_s, max_lockout_s
        self.clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def retry_after(self, keys: list[str]) -> float:
        """Seconds until every key may try again (0 when none is locked out)."""
        now = self.clock()
        with self._lock:
            until = max((self._records[k].locked_until for k in keys if k in self._records), default=0.0)
        return max(0.0, until - now)

    def failure(self, keys: list[str]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                rec = self._records.setdefault(key, _Record())
                rec.failures = [t for t in rec.failures if now - t < self.window_s] + [now]
                if len(rec.failures) >= self.max_failures:
                    seconds = min(self.lockout_s * (2 ** rec.lockouts), self.max_lockout_s)
                    rec.locked_until, rec.lockouts, rec.failures = now + seconds, rec.lockouts + 1, []
                    log.warning("Khoá đăng nhập %s trong %.0f giây sau %d lần sai", key, seconds, self.max_failures)

    def success(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._records.pop(key, None)


class Sessions(Protocol):
    """Where login sessions live: vectorstore.sessions.StoredSessions (the accounts database, seen by every
    replica) or MemorySessions (one process)."""

    def create(self, username: str, ttl_s: float) -> str: ...
    def user(self, token: str | None, renew_s: float | None = None) -> str | None: ...
    def delete(self, token: str | None) -> None: ...


class Authenticator:
    """Checks passwords (constant time), throttles failures, and keeps the sessions of logged-in users."""

    def __init__(self, accounts: list[tuple[str, str]], session_ttl_s: float = SESSION_TTL_S,
                 clock: Callable[[], float] = time.monotonic, max_failures: int = MAX_FAILURES,
                 max_failures_client: int = MAX_FAILURES_CLIENT,
                 verify: Callable[[str, str], bool] | None = None, sessions: Sessions | None = None):
        """``accounts``: the DANVAN_AUTH pairs (checked first); ``verify(name, password)``: the accounts
        store's check (bcrypt hashes) for every other name. The throttling covers both. ``sessions``: where
        sessions live (default: this process's memory, on ``clock``)."""
        from vectorstore.sessions import MemorySessions
        self._accounts = dict(accounts)
        self._verify = verify
        self.users = LoginThrottle(max_failures, clock=clock)
        self.clients = LoginThrottle(max_failures_client, clock=clock)
        self.session_ttl_s = session_ttl_s
        self.clock = clock
        self.sessions = sessions if sessions is not None else MemorySessions(clock)

    def login(self, username: str, password: str, client: str) -> str:
        """A new session token for a right user name and password; raises LoginRefused otherwise."""
        username = (username or "").strip()
        user_key, client_key = [f"user:{username.lower()}"], [f"client:{client}"]
        wait = max(self.users.retry_after(user_key), self.clients.retry_after(client_key))
        if wait > 0:
            log.warning("Đăng nhập bị từ chối (đang khoá): tên=%r máy=%s", username, client)
            raise LoginRefused(LOCKED.format(seconds=int(wait) + 1), wait)
        expected = self._accounts.get(username)
        if expected is None and self._verify is not None:
            ok = self._verify(username, password or "")
        else:
            ok = hmac.compare_digest((password or "").encode(), (expected or secrets.token_hex(16)).encode())
            ok = ok and expected is not None
        if not ok:
            log.warning("Đăng nhập sai: tên=%r máy=%s", username, client)
            self.users.failure(user_key)
            self.clients.failure(client_key)
            raise LoginRefused(WRONG)
        self.users.success(user_key)
        token = self.sessions.create(username, self.session_ttl_s)
        log.info("Đăng nhập: tên=%r máy=%s", username, client)
        return token

    def user(self, token: str | None) -> str | None:
        """The user of a live session token, else None. Each use renews it: a session ends after
        ``session_ttl_s`` without use (the idle expiry, DANVAN_SESSION_IDLE_MINUTES)."""
        return self.sessions.user(token, renew_s=self.session_ttl_s)

    def logout(self, token: str | None) -> None:
        self.sessions.delete(token)
