"""One database connection per thread, all closed together; SQLite files opened in WAL mode safely.

Why: SQLite and psycopg connections must not be shared between the app's worker threads, and a store that is
closed must close the connections every thread opened. The catalogue (both engines) and the accounts /
history layer (vectorstore/sqldb.py) keep their connections here.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable

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
