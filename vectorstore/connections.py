"""One database connection per thread, all closed together; SQLite files opened in WAL mode safely.

Why: SQLite and psycopg connections must not be shared between the app's worker threads, and a store that is
closed must close the connections every thread opened. The catalogue (both engines) and the accounts /
history layer (vectorstore/sqldb.py) keep their connections here.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

WAL_TRIES = 100  # × 0.05 s: switching a new file to WAL takes a lock the busy timeout does not wait for


def set_wal(conn: sqlite3.Connection) -> None:
    """WAL mode (persistent: once any process set it, this returns at once); retried while another
    connection to a new file holds the lock."""
    for attempt in range(WAL_TRIES):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_TRIES - 1:
                raise
            time.sleep(0.05)


def open_sqlite(path: str | Path, **kwargs: Any) -> sqlite3.Connection:
    """A connection to a SQLite file in WAL mode, usable from the thread that keeps it (busy timeout 60 s)."""
    conn = sqlite3.connect(path, timeout=60, check_same_thread=False, **kwargs)
    set_wal(conn)
    return conn


class ThreadConnections:
    """Each thread's own connection, made by ``factory`` on first use (or again once ``alive`` says it
    closed); ``local`` holds other per-thread state (a transaction flag, a cached count)."""

    def __init__(self, factory: Callable[[], Any], alive: Callable[[Any], bool] = lambda conn: True):
        self._factory, self._alive = factory, alive
        self.local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    def get(self) -> Any:
        conn = getattr(self.local, "conn", None)
        if conn is None or not self._alive(conn):
            conn = self._factory()
            self.local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection; the next use opens new ones."""
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except Exception:  # noqa: BLE001 (closing: nothing left to do)
                    pass
            self._all.clear()
        self.local = threading.local()


class PgConnection:
    """A psycopg connection (autocommit) that is opened again when the server dropped it, as a restart of
    PostgreSQL does: a statement sent outside a transaction, or the start of a transaction, that finds the
    connection dead is sent once more on a new connection. Inside a transaction the error stands: what the
    transaction did is gone with the old connection, and the caller's own protocol (the store's crash
    safety) decides. Anything else is the psycopg connection's own."""

    def __init__(self, connect: Callable[[], Any]):
        self._connect = connect
        self._conn = connect()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def _idle(self) -> bool:
        from psycopg.pq import TransactionStatus
        return self._conn.info.transaction_status == TransactionStatus.IDLE

    def _reopen(self) -> None:
        try:
            self._conn.close()
        except Exception:  # noqa: BLE001 (already dead)
            pass
        self._conn = self._connect()

    def _retry(self, call: Callable[[], Any]) -> Any:
        import psycopg
        if self._conn.closed:
            self._reopen()
        idle = self._idle()
        try:
            return call()
        except psycopg.OperationalError:
            if not (idle and self._conn.closed):
                raise
            self._reopen()  # the server went away and came back: once more, on a new connection
            return call()

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        return self._retry(lambda: self._conn.execute(*args, **kwargs))

    @contextmanager
    def transaction(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        def begin() -> Any:
            tx = self._conn.transaction(*args, **kwargs)
            tx.__enter__()
            return tx
        tx = self._retry(begin)
        try:
            yield tx
        except BaseException as exc:
            if not tx.__exit__(type(exc), exc, exc.__traceback__):
                raise
        else:
            tx.__exit__(None, None, None)
