"""Versioned upgrades of a store's SQLite catalogue, applied when it is opened.

Each step is idempotent and safe against another process doing it at the same time; none re-embeds
anything. Order matters: later steps may read columns earlier ones add.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from vntext.lines import drop_keys

def migrate(self: Any) -> None:
    """Bring the catalogue ``self`` (a vectorstore.catalogue.Catalogue) to the current schema."""
    _chunk_pages(self)
    _documents(self)
    _collections(self)
    _lexical(self)  # after _collections: the index holds each passage's collection


VECTOR_COLLECTIONS = "vector_collections"  # meta key: "pending" while Chroma metadata lack the collection


def _collections(self) -> None:
    """Stores made before collections: every document joins DEFAULT_COLLECTION ("chung", readable by
    every role), and the passages' Chroma metadata are to be given it (``Store.backfill_collections``)."""
    db = self.db
    if "collection" not in [r[1] for r in db.execute("PRAGMA table_info(documents)")]:
        try:
            db.execute("ALTER TABLE documents ADD COLUMN collection TEXT NOT NULL DEFAULT 'chung'")
            if db.execute("SELECT 1 FROM chunks LIMIT 1").fetchone():
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, 'pending')", (VECTOR_COLLECTIONS,))
            db.commit()
        except sqlite3.OperationalError:  # another process added it first
            db.rollback()
    db.execute("CREATE INDEX IF NOT EXISTS documents_collection ON documents(collection)")
    db.commit()


def _documents(self) -> None:
    """Stores made before the `places`, `year` and `place` columns get them (empty: their documents are
    described as before until they are ingested again)."""
    db = self.db
    for column in ("places", "year", "place"):
        if column not in [r[1] for r in db.execute("PRAGMA table_info(documents)")]:
            try:
                db.execute(f"ALTER TABLE documents ADD COLUMN {column} TEXT")
                db.commit()
            except sqlite3.OperationalError:  # another process added it first
                db.rollback()

def _chunk_pages(self) -> None:
    """Add the `page` and `ocr` columns to a store made before them (existing passages: no page,
    not OCR'd; nothing is re-embedded)."""
    db = self.db
    cols = {r[1] for r in db.execute("PRAGMA table_info(chunks)")}
    if {"page", "ocr"} <= cols:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        cols = {r[1] for r in db.execute("PRAGMA table_info(chunks)")}
        if "page" not in cols:
            db.execute("ALTER TABLE chunks ADD COLUMN page INTEGER")
        if "ocr" not in cols:
            db.execute("ALTER TABLE chunks ADD COLUMN ocr INTEGER DEFAULT 0")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise

def _lexical(self) -> None:
    """Create the lexical index, or rebuild it from the chunks when it predates the `pairs` or the `coll`
    column (stores made before them keep working after an upgrade; nothing is re-embedded)."""
    db = self.db
    cols = [r[1] for r in db.execute("PRAGMA table_info(lexical)")]
    if "coll" in cols:
        return
    db.execute("BEGIN IMMEDIATE")  # one process rebuilds; another waits and then finds it done
    try:
        cols = [r[1] for r in db.execute("PRAGMA table_info(lexical)")]
        if "coll" not in cols:
            db.execute("DROP TABLE IF EXISTS lexical_vocab")
            db.execute("DROP TABLE IF EXISTS lexical")
            from vectorstore.lexical import LEXICAL_INSERT, LEXICAL_SCHEMA, collection_token, lexical_text
            for stmt in LEXICAL_SCHEMA.strip().split(";"):
                if stmt.strip():
                    db.execute(stmt)
            keys = self.boilerplate()
            rows = db.execute("SELECT c.chunk_id, c.text, c.heading, d.collection FROM chunks c "
                              "LEFT JOIN documents d ON d.doc_id = c.doc_id")
            while batch := rows.fetchmany(2000):
                db.executemany(LEXICAL_INSERT,
                               [(cid, *lexical_text(drop_keys(text, keys), drop_keys(heading or "", keys)),
                                 collection_token(coll)) for cid, text, heading, coll in batch])
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
