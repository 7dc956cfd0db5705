"""The two storage profiles: embedded (SQLite file + file lock) and server (PostgreSQL + advisory lock).

``open_catalogue`` and ``writer_lock`` are the only places that choose, by ``settings.database_url``.
The writer lock on PostgreSQL is a session advisory lock held on a connection of its own: replicas on
other hosts see it, and a writer killed with ``kill -9`` loses its connection and so its lock, as a
killed process loses its ``flock``.
"""
from __future__ import annotations

import fcntl
import os
from typing import Any, Protocol

from config import Settings

WRITER_LOCK_KEY = 0x64616E76_00000002  # pg_advisory_lock key of the store's one writer


class WriterLock(Protocol):
    def try_acquire(self) -> bool: ...
    def release(self) -> None: ...


def open_catalogue(settings: Settings) -> Any:
    """The catalogue of the configured profile (``Catalogue`` or ``PgCatalogue``: the same methods)."""
    if settings.database_url:
        from vectorstore.catalogue_pg import PgCatalogue
        return PgCatalogue(settings.database_url)
    from vectorstore.catalogue import Catalogue
    return Catalogue(settings.catalogue_path)


def writer_lock(settings: Settings) -> WriterLock:
    return PgWriterLock(settings.database_url) if settings.database_url else FileWriterLock(settings)


class FileWriterLock:
    """flock on DATA_DIR/.writer.lock: one writer among the processes of one host."""

    def __init__(self, settings: Settings):
        self.path = settings.data_dir / ".writer.lock"
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def held(self) -> bool:
        return self.fd is not None

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


class PgWriterLock:
    """pg_try_advisory_lock on a dedicated connection: one writer among all replicas of a database."""

    def __init__(self, dsn: str):
        self.dsn = dsn
        self.conn: Any = None

    def try_acquire(self) -> bool:
        import psycopg
        conn = psycopg.connect(self.dsn, autocommit=True)
        if conn.execute("SELECT pg_try_advisory_lock(%s)", (WRITER_LOCK_KEY,)).fetchone()[0]:
            self.conn = conn
            return True
        conn.close()
        return False

    def held(self) -> bool:
        """Still ours: the lock's connection answers (a server restart ends it, and the lock with it)."""
        try:
            self.conn.execute("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 (the connection is gone)
            return False

    def release(self) -> None:
        if self.conn is not None:
            try:
                self.conn.execute("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK_KEY,))
            except Exception:  # noqa: BLE001 (the connection died: the server released the lock with it)
                pass
            finally:
                self.conn.close()
                self.conn = None
