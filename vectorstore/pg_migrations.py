"""Versioned schema of the PostgreSQL catalogue (the server profile), applied when it is opened.

``schema_version`` holds the last step applied; each replica that opens the database runs the missing
steps inside one transaction under an advisory lock, so two replicas starting together neither race
nor apply a step twice. Add a step at the end; never edit one that has shipped.
"""
from __future__ import annotations

from typing import Any

MIGRATE_LOCK = 0x64616E76_00000001  # pg_advisory_xact_lock key: one migrating replica at a time

STEPS: list[tuple[int, str]] = [
    (1, """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT, path TEXT, content_hash TEXT, title TEXT, outlet TEXT,
    date TEXT, date_iso TEXT, kind TEXT, instrument TEXT, article TEXT, effective_date TEXT,
    encoding TEXT, n_chunks INTEGER, n_chars BIGINT, ingested_at DOUBLE PRECISION, near_dup_of TEXT,
    places TEXT, collection TEXT NOT NULL DEFAULT 'chung');
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE INDEX IF NOT EXISTS documents_article ON documents(article);
CREATE INDEX IF NOT EXISTS documents_collection ON documents(collection);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT, position INTEGER, text TEXT, heading TEXT,
    start INTEGER, "end" INTEGER, page INTEGER, ocr INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS facts (
    id BIGSERIAL PRIMARY KEY, doc_id TEXT, chunk_id TEXT, kind TEXT, text TEXT, fields TEXT, start INTEGER);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id);
CREATE INDEX IF NOT EXISTS facts_kind ON facts(kind);
CREATE TABLE IF NOT EXISTS doc_lines (doc_id TEXT, key TEXT, PRIMARY KEY (doc_id, key));
CREATE INDEX IF NOT EXISTS doc_lines_key ON doc_lines(key);
CREATE TABLE IF NOT EXISTS pending (chunk_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS unrefined (chunk_id TEXT PRIMARY KEY, seq BIGSERIAL);
CREATE TABLE IF NOT EXISTS pending_static (chunk_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS minhash (doc_id TEXT PRIMARY KEY, sig BYTEA);
CREATE TABLE IF NOT EXISTS minhash_bands (band TEXT, doc_id TEXT);
CREATE INDEX IF NOT EXISTS minhash_bands_band ON minhash_bands(band);
CREATE INDEX IF NOT EXISTS minhash_bands_doc ON minhash_bands(doc_id);
CREATE TABLE IF NOT EXISTS lexical (chunk_id TEXT PRIMARY KEY, exact TEXT, folded TEXT, pairs TEXT, ntok INTEGER);
CREATE TABLE IF NOT EXISTS lexical_postings (
    col SMALLINT, term TEXT COLLATE "C", chunk_id TEXT, ntok INTEGER, tf INTEGER, pos INTEGER[],
    PRIMARY KEY (col, term, chunk_id));
CREATE INDEX IF NOT EXISTS lexical_postings_chunk ON lexical_postings(chunk_id);
INSERT INTO meta VALUES ('generation', '0') ON CONFLICT DO NOTHING;
"""),
    (2, """
ALTER TABLE documents ADD COLUMN IF NOT EXISTS year TEXT;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS place TEXT;
"""),
]


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
