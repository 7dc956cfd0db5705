"""Upgrades of a store's SQLite catalogue to the schema of vectorstore/schema.py, applied when it is opened.

SQLite stores carry no version number: a store is upgraded by what it lacks (tables, columns, indexes,
the lexical index's layout). Each step is idempotent and safe against another process doing it at the
same time; none re-embeds anything. Order matters: later steps may read columns earlier ones add.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from vectorstore import schema
from vntext.lines import drop_keys


def migrate(self: Any) -> None:
    """Bring the catalogue ``self`` (a vectorstore.catalogue.Catalogue) to the current schema
    (vectorstore/schema.py): new tables, the columns an older store lacks, the indexes, the lexical index."""
    db = self.db
    db.executescript(";\n".join(schema.sqlite_tables()) + ";")
    db.commit()
    _columns(self)
    db.executescript(";\n".join(schema.sqlite_indexes()) + ";")  # after _columns: some index added columns
    db.commit()
    _lexical(self)  # after _columns: the index holds each passage's collection


VECTOR_COLLECTIONS = "vector_collections"  # meta key: "pending" while Chroma metadata lack the collection


def _missing(db: sqlite3.Connection) -> list[tuple[schema.Table, schema.Column]]:
    out = []
    for table in schema.TABLES:
        have = {r[1] for r in db.execute(f"PRAGMA table_info({table.name})")}
        out += [(table, c) for c in table.columns_of(schema.SQLITE) if c.name not in have]
    return out


def _columns(self) -> None:
    """Add the columns the definition has and an older store lacks, in one transaction (another process
    opening the store waits, then finds them added). Those columns read as their default (NULL) in the
    existing rows: chunks.page/ocr (no page, not OCR'd), documents.places (documents described as before),
    documents.collection: every document joins DEFAULT_COLLECTION ("chung", readable by every role), and
    the passages' Chroma metadata are to be given it (``Store.backfill_collections``). Nothing is re-embedded."""
    db = self.db
    if not _missing(db):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        added = _missing(db)
        for table, column in added:
            db.execute(schema.add_column_sql(table, column, schema.SQLITE))
        if (any((t.name, c.name) == ("documents", "collection") for t, c in added)
                and db.execute("SELECT 1 FROM chunks LIMIT 1").fetchone()):
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, 'pending')", (VECTOR_COLLECTIONS,))
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
