"""A tiny DB-API layer: the same SQL (``?`` placeholders, portable types) on a SQLite file or on PostgreSQL.

Why: the accounts store and chat history (vectorstore/accounts.py, vectorstore/history.py) run unchanged on
the embedded profile (a SQLite file in DATA_DIR) and on the server profile (``Settings.database_url``).
One connection per thread, in autocommit; ``transaction()`` groups statements. Schema versions are
applied once, under a lock both engines honour (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock).
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

from vectorstore.connections import PgConnection, ThreadConnections, open_sqlite

PG_LOCK_KEY = 7_263_018  # advisory lock taken while a schema version is applied


def is_postgres(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("postgresql://", "postgres://"))


class Database:
    """A SQLite file (``target`` a path) or a PostgreSQL database (``target`` a postgresql:// URL)."""

    def __init__(self, target: str | Path):
        self.target = str(target)
        self.postgres = is_postgres(self.target)
        if not self.postgres:
            Path(self.target).parent.mkdir(parents=True, exist_ok=True)
        self._conns = ThreadConnections(self._connect)

    def _connect(self) -> Any:
        if self.postgres:
            import psycopg
            return PgConnection(lambda: psycopg.connect(self.target, autocommit=True))
        conn = open_sqlite(self.target, isolation_level=None)
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _conn(self) -> Any:
        return self._conns.get()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        cur = self._conn().execute(self._sql(sql), tuple(args))
        return cur.rowcount

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        return [tuple(r) for r in self._conn().execute(self._sql(sql), tuple(args)).fetchall()]

    def one(self, sql: str, args: Sequence[Any] = ()) -> tuple | None:
        found = self.rows(sql, args)
        return found[0] if found else None

    @contextmanager
    def transaction(self) -> Iterator["Database"]:
        """Statements inside commit together or not at all (nested calls join the outer one)."""
        if getattr(self._conns.local, "in_tx", False):
            yield self
            return
        conn = self._conn()
        self._conns.local.in_tx = True
        try:
            if self.postgres:
                with conn.transaction():
                    yield self
            else:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        finally:
            self._conns.local.in_tx = False

    def migrate(self, name: str, versions: list[list[str]]) -> int:
        """Apply the schema ``versions`` (lists of statements; version i+1 is versions[i]) not yet applied
        to the schema ``name``; the version now in force."""
        with self.transaction():
            if self.postgres:  # first, so that two replicas starting on a new database never both create the table
                self.execute("SELECT pg_advisory_xact_lock(?)", (PG_LOCK_KEY,))
            self.execute("CREATE TABLE IF NOT EXISTS schema_versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL)")
            row = self.one("SELECT version FROM schema_versions WHERE name=?", (name,))
            current = row[0] if row else 0
            for number, statements in enumerate(versions[current:], current + 1):
                for stmt in statements:
                    self.execute(stmt)
                if number == 1:
                    self.execute("INSERT INTO schema_versions VALUES (?, ?)", (name, number))
                else:
                    self.execute("UPDATE schema_versions SET version=? WHERE name=?", (number, name))
        return len(versions)

    def close(self) -> None:
        self._conns.close()
