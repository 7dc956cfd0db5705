"""Versioned schema of the PostgreSQL catalogue (the server profile), applied when it is opened.

``schema_version`` holds the last step applied; each replica that opens the database runs the missing
steps inside one transaction under an advisory lock, so two replicas starting together neither race
nor apply a step twice. A step is the part of the one definition of the tables (vectorstore/schema.py)
whose ``since`` is its number, plus its own statements here (``OWN``). Add a step at the end (a new
``since`` there, or a new key here); never edit one that has shipped.
"""
from __future__ import annotations

from typing import Any

from vectorstore import schema

MIGRATE_LOCK = 0x64616E76_00000001  # pg_advisory_xact_lock key: one migrating replica at a time

# Each step's own statements, besides what vectorstore/schema.py gives it: the lexical index (PostgreSQL's
# own design, vectorstore/pg_lexical.py; SQLite has FTS5 there) and seed rows.
OWN: dict[int, str] = {
    1: """
CREATE TABLE IF NOT EXISTS lexical (chunk_id TEXT PRIMARY KEY, exact TEXT, folded TEXT, pairs TEXT, ntok INTEGER);
CREATE TABLE IF NOT EXISTS lexical_postings (
    col SMALLINT, term TEXT COLLATE "C", chunk_id TEXT, ntok INTEGER, tf INTEGER, pos INTEGER[],
    PRIMARY KEY (col, term, chunk_id));
CREATE INDEX IF NOT EXISTS lexical_postings_chunk ON lexical_postings(chunk_id);
INSERT INTO meta VALUES ('generation', '0') ON CONFLICT DO NOTHING;
""",
}


def steps(tables: tuple[schema.Table, ...] | None = None, own: dict[int, str] | None = None) -> list[tuple[int, str]]:
    """(version, SQL) of every step: the definition's part of it, then its own statements."""
    own = OWN if own is None else own
    numbers = sorted(set(schema.versions(tables)) | set(own))
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"PostgreSQL catalogue steps must be numbered 1, 2, … without a gap: {numbers}")
    return [(v, "".join(s + ";\n" for s in schema.postgres_step(v, tables)) + own.get(v, "")) for v in numbers]


STEPS: list[tuple[int, str]] = steps()


def migrate(conn: Any) -> int:
    """Apply the missing steps to the database of ``conn`` (autocommit psycopg connection); returns
    the schema version it ends at."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        current = row[0] or 0
        for version, sql in STEPS:
            if version > current:
                conn.execute(sql)
                conn.execute("INSERT INTO schema_version VALUES (%s)", (version,))
                current = version
    return current
