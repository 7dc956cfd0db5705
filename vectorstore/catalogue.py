"""SQLite catalogue: documents, chunks, extracted facts, the lexical (FTS5) index, pending Chroma ids.

Refinement state (two-phase ingest): ``unrefined`` holds the passages that have only a static vector;
``pending_static`` the ids whose static vector is to be deleted (an older store opens with all refined).

One connection per thread (WAL), so a question asked while an ingest writes never reads a
half-written document: a document's rows appear in one transaction.

Read scope (access control, issue 18): every document belongs to one *collection* (``DocRecord.collection``,
default ``DEFAULT_COLLECTION``). The reads that find passages for a user take ``scope``: the collections
that user may read (any iterable of names), or None for every collection (simple modes). The filter is a
condition inside the query (SQL WHERE on the document's collection; in the FTS5 MATCH for the lexical index,
vectorstore/lexical.py), never a filter after ranking, so a
passage outside the scope can neither be returned nor take a rank from one inside it. Methods with a
``scope`` keyword (an implementation on another engine mirrors these signatures):
``documents(scope)``, ``find_documents(ref, scope)``, ``chunks_of_article(article, limit, scope)``,
``lexical_search(match, column, limit, scope)``, ``lexical_search_folded(terms, pairs, limit, scope)``,
``facts(kind, scope)``, ``facts_of_documents(doc_ids, kind, scope)``, ``stats(scope)``; plus
``collections()`` (name → number of documents). An empty scope reads nothing. Reads by id
(``chunks_by_ids``, ``documents_by_ids``, ``chunks_of``) take ids that came from scoped reads.
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from vectorstore.connections import ThreadConnections, open_sqlite
from vectorstore.lexical import LEXICAL_INSERT, collection_token, lexical_text, scoped_match
from vectorstore.migrations import migrate
from vectorstore.scope import DEFAULT_COLLECTION, scope_sql  # noqa: F401 (DEFAULT_COLLECTION: imported from here)
from vntext.lines import drop_keys  # drop_keys: also imported from here (assistant/retrieve/retriever.py)
from vntext.pairs import pair_token  # noqa: F401 (imported from here by assistant/retrieve/retriever.py and tests)


@dataclass
class DocRecord:
    doc_id: str
    source: str
    path: str
    content_hash: str
    title: str
    outlet: str | None = None
    date: str | None = None
    date_iso: str | None = None
    kind: str = "text"
    instrument: str | None = None
    article: str | None = None
    effective_date: str | None = None
    encoding: str = ""
    n_chunks: int = 0
    n_chars: int = 0
    ingested_at: float = 0.0
    near_dup_of: str | None = None
    places: str | None = None  # "thị xã Hồng Lĩnh; …": the places the document is about (ingest/metadata.py)
    collection: str = "chung"  # who may read it: the read grants name collections (vectorstore/accounts.py)
    # Shown beside the title (sources panel, documents table), read by nothing that answers (ingest/year_place.py):
    year: str | None = None  # "2018": the year the document gives for itself
    place: str | None = None  # "huyện Cẩm Xuyên (Hà Tĩnh)": the place it names for itself

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


DOC_COLUMNS = list(DocRecord.__dataclass_fields__)


@dataclass
class ChunkRow:
    chunk_id: str
    doc_id: str
    position: int
    text: str
    heading: str
    start: int = 0
    end: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    page: int | None = None  # 1-based page the passage starts on (paged files only)
    ocr: bool = False  # read from a scanned page


_CHUNK_COLUMNS = 'chunk_id, doc_id, position, text, heading, start, "end", page, ocr'


def _chunk_row(r: tuple) -> ChunkRow:
    return ChunkRow(*r[:7], page=r[7], ocr=bool(r[8]))


class Catalogue:
    # Past this many passages the retriever's accented query keeps only selective syllables, no phrases
    # (assistant/retrieve/retriever.py): FTS5 phrase queries over common syllables grow with the collection.
    exact_phrases_max = 20000

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conns = ThreadConnections(self._connect)
        self._df_cache: dict[str, int] = {}
        migrate(self)  # the tables of vectorstore/schema.py

    def _connect(self) -> sqlite3.Connection:
        conn = open_sqlite(self.path)
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @property
    def db(self) -> sqlite3.Connection:
        return self._conns.get()

    def close(self) -> None:
        self._conns.close()

    # ---- meta ----
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (key, value))

    # ---- documents ----
    def _doc(self, row: tuple | None) -> DocRecord | None:
        return DocRecord(*row) if row else None

    def get_document(self, doc_id: str) -> DocRecord | None:
        return self._doc(self.db.execute(
            f"SELECT {','.join(DOC_COLUMNS)} FROM documents WHERE doc_id=?", (doc_id,)).fetchone())

    def find_by_hash(self, content_hash: str) -> DocRecord | None:
        return self._doc(self.db.execute(
            f"SELECT {','.join(DOC_COLUMNS)} FROM documents WHERE content_hash=? LIMIT 1",
            (content_hash,)).fetchone())

    def find_documents(self, ref: str, scope: Iterable[str] | None = None) -> list[DocRecord]:
        """Documents matching an id, a file name or a path (within ``scope``)."""
        where, args = scope_sql(scope, "collection")
        rows = self.db.execute(
            f"SELECT {','.join(DOC_COLUMNS)} FROM documents WHERE (doc_id=? OR source=? OR path=?){where}",
            (ref, ref, ref, *args)).fetchall()
        return [DocRecord(*r) for r in rows]

    def documents(self, scope: Iterable[str] | None = None) -> list[DocRecord]:
        where, args = scope_sql(scope, "collection")
        rows = self.db.execute(f"SELECT {','.join(DOC_COLUMNS)} FROM documents WHERE 1=1{where} ORDER BY source",
                               args).fetchall()
        return [DocRecord(*r) for r in rows]

    def collections(self) -> dict[str, int]:
        """Collection name → number of documents in it."""
        return dict(self.db.execute("SELECT collection, COUNT(*) FROM documents GROUP BY collection"))

    def chunks_of_article(self, article: str, limit: int = 20,
                          scope: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(chunk_id, instrument) of the legal articles numbered ``article`` ("Điều 32"), any instrument."""
        where, args = scope_sql(scope)
        return [(r[0], r[1] or "") for r in self.db.execute(
            "SELECT c.chunk_id, d.instrument FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
            f"WHERE d.article = ?{where} ORDER BY c.position LIMIT ?", (article, *args, limit))]

    def documents_by_ids(self, ids: Iterable[str]) -> dict[str, DocRecord]:
        ids = list(set(ids))
        out: dict[str, DocRecord] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            for r in self.db.execute(
                    f"SELECT {','.join(DOC_COLUMNS)} FROM documents WHERE doc_id IN ({','.join('?' * len(part))})",
                    part):
                d = DocRecord(*r)
                out[d.doc_id] = d
        return out

    def chunk_ids_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT chunk_id FROM chunks WHERE doc_id=? ORDER BY position",
                                              (doc_id,))]

    def chunks_by_ids(self, ids: Iterable[str]) -> dict[str, ChunkRow]:
        ids = list(dict.fromkeys(ids))
        out: dict[str, ChunkRow] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            for r in self.db.execute(
                    f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN ({','.join('?' * len(part))})", part):
                out[r[0]] = _chunk_row(r)
        return out

    def chunks_of(self, doc_id: str) -> list[ChunkRow]:
        return [_chunk_row(r) for r in self.db.execute(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE doc_id=? ORDER BY position", (doc_id,))]

    # ---- pending ids (crash safety) ----
    def add_pending(self, ids: Iterable[str]) -> None:
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO pending VALUES (?)", [(i,) for i in ids])

    def pending(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT chunk_id FROM pending")]

    def clear_pending(self, ids: Iterable[str]) -> None:
        with self.db:
            self.db.executemany("DELETE FROM pending WHERE chunk_id=?", [(i,) for i in ids])

    # ---- refinement state (two-phase ingest) ----
    def count_unrefined(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM unrefined").fetchone()[0]

    def unrefined_of(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that have only a static vector."""
        ids = list(dict.fromkeys(ids))
        out: set[str] = set()
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            out.update(r[0] for r in self.db.execute(
                f"SELECT chunk_id FROM unrefined WHERE chunk_id IN ({','.join('?' * len(part))})", part))
        return out

    def unrefined_batch(self, limit: int) -> list[tuple[ChunkRow, DocRecord]]:
        """Up to ``limit`` passages awaiting their e5 vector, with their documents, in ingest order."""
        rows = self.db.execute(
            'SELECT c.chunk_id, c.doc_id, c.position, c.text, c.heading, c.start, c."end" FROM unrefined u '
            "JOIN chunks c ON c.chunk_id = u.chunk_id ORDER BY u.rowid LIMIT ?", (limit,)).fetchall()
        chunks = [ChunkRow(*r) for r in rows]
        docs = self.documents_by_ids(c.doc_id for c in chunks)
        return [(c, docs[c.doc_id]) for c in chunks if c.doc_id in docs]

    def mark_refined(self, ids: list[str]) -> None:
        """One transaction: the passages leave `unrefined`; their static vectors are to be deleted."""
        with self.db:
            self.db.executemany("DELETE FROM unrefined WHERE chunk_id=?", [(i,) for i in ids])
            self.db.executemany("INSERT OR IGNORE INTO pending_static VALUES (?)", [(i,) for i in ids])

    def pending_static(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT chunk_id FROM pending_static")]

    def clear_pending_static(self, ids: Iterable[str]) -> None:
        with self.db:
            self.db.executemany("DELETE FROM pending_static WHERE chunk_id=?", [(i,) for i in ids])

    # ---- writes ----
    def replace_document(self, doc: DocRecord, chunks: list[ChunkRow], facts: list[dict[str, Any]],
                         line_keys: set[str], boilerplate: set[str], minhash: bytes | None,
                         stale_ids: list[str], static: bool = False) -> None:
        """One transaction: the document's rows replace its old ones; new ids leave `pending`,
        old ids no longer used enter it (they are deleted from Chroma next). ``static``: the new
        passages have only static vectors (they enter `unrefined`); otherwise they have e5 vectors
        and any static vector of theirs is to be deleted."""
        db = self.db
        new_ids = [c.chunk_id for c in chunks]
        with db:
            if not static:  # passages that had only a static vector: it goes
                had_static = self.unrefined_of(new_ids)
                db.executemany("INSERT OR IGNORE INTO pending_static VALUES (?)", [(i,) for i in had_static])
            self._delete_rows(doc.doc_id)
            if static:
                db.executemany("INSERT OR IGNORE INTO unrefined VALUES (?)", [(i,) for i in new_ids])
            doc.ingested_at = doc.ingested_at or time.time()
            db.execute(f"INSERT INTO documents ({','.join(DOC_COLUMNS)}) VALUES ({','.join('?' * len(DOC_COLUMNS))})",
                       [getattr(doc, c) for c in DOC_COLUMNS])
            db.executemany(f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                           [(c.chunk_id, c.doc_id, c.position, c.text, c.heading, c.start, c.end, c.page,
                             int(bool(c.ocr))) for c in chunks])
            coll = collection_token(doc.collection)
            db.executemany(LEXICAL_INSERT, [(c.chunk_id, *lexical_text(drop_keys(c.text, boilerplate),
                                                                       drop_keys(c.heading, boilerplate)), coll)
                                            for c in chunks])
            db.executemany("INSERT INTO facts (doc_id, chunk_id, kind, text, fields, start) VALUES (?,?,?,?,?,?)",
                           [(doc.doc_id, f["chunk_id"], f["kind"], f["text"],
                             json.dumps(f.get("fields", {}), ensure_ascii=False), f.get("start", 0)) for f in facts])
            db.executemany("INSERT OR IGNORE INTO doc_lines VALUES (?,?)", [(doc.doc_id, k) for k in line_keys])
            if minhash is not None:
                db.execute("INSERT OR REPLACE INTO minhash VALUES (?,?)", (doc.doc_id, minhash))
                from vntext.shingles import band_keys
                import numpy as np
                db.executemany("INSERT INTO minhash_bands VALUES (?,?)",
                               [(b, doc.doc_id) for b in band_keys(np.frombuffer(minhash, dtype=np.uint64))])
            db.executemany("DELETE FROM pending WHERE chunk_id=?", [(i,) for i in new_ids])
            db.executemany("INSERT OR IGNORE INTO pending VALUES (?)", [(i,) for i in stale_ids])

    def _delete_rows(self, doc_id: str) -> None:
        db = self.db
        ids = [r[0] for r in db.execute("SELECT chunk_id FROM chunks WHERE doc_id=?", (doc_id,))]
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            db.execute(f"DELETE FROM lexical WHERE chunk_id IN ({','.join('?' * len(part))})", part)
            db.execute(f"DELETE FROM unrefined WHERE chunk_id IN ({','.join('?' * len(part))})", part)
        for table in ("chunks", "facts", "doc_lines", "minhash", "minhash_bands", "documents"):
            db.execute(f"DELETE FROM {table} WHERE doc_id=?", (doc_id,))

    def remove_document(self, doc_id: str) -> list[str]:
        """Delete a document's rows; its chunk ids go to `pending` for deletion from Chroma."""
        ids = self.chunk_ids_of(doc_id)
        with self.db:
            self._delete_rows(doc_id)
            self.db.executemany("INSERT OR IGNORE INTO pending VALUES (?)", [(i,) for i in ids])
        return ids

    # ---- collection boilerplate ----
    def line_document_counts(self) -> dict[str, int]:
        return {k: n for k, n in self.db.execute("SELECT key, COUNT(*) FROM doc_lines GROUP BY key")}

    def boilerplate(self) -> set[str]:
        raw = self.get_meta("boilerplate_lines")
        return set(json.loads(raw)) if raw else set()

    def set_boilerplate(self, keys: set[str]) -> list[str]:
        """Store the new set and re-index the lexical rows of documents whose lines changed status."""
        old = self.boilerplate()
        changed = old ^ keys
        if not changed:
            return []
        db = self.db
        with db:
            docs = {r[0] for k in changed for r in db.execute("SELECT doc_id FROM doc_lines WHERE key=?", (k,))}
            for doc_id in docs:
                coll = collection_token(self.get_document(doc_id).collection)
                for c in self.chunks_of(doc_id):
                    db.execute("DELETE FROM lexical WHERE chunk_id=?", (c.chunk_id,))
                    db.execute(LEXICAL_INSERT, (c.chunk_id, *lexical_text(drop_keys(c.text, keys),
                                                                          drop_keys(c.heading, keys)), coll))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('boilerplate_lines', ?)",
                       (json.dumps(sorted(keys), ensure_ascii=False),))
        return sorted(docs)

    # ---- reads for retrieval / lookup ----
    def lexical_search(self, match: str, column: str = "folded", limit: int = 50,
                       scope: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """FTS5 query on one column; returns (chunk_id, bm25) best first. Bad syntax → []."""
        weights = ", ".join("1.0" if c == column else "0.0" for c in ("exact", "folded", "pairs"))
        return self._fts(f"{{{column}}} : ({match})", weights, limit, scope)

    def lexical_search_folded(self, terms: list[str], pairs: list[str], limit: int = 50,
                              scope: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """One BM25 ranking over folded syllables and folded syllable pairs (already quoted FTS terms;
        pairs as pair tokens): a pair is scored like the phrase it stands for."""
        parts = []
        if terms:
            parts.append(f"({{folded}} : ({' OR '.join(terms)}))")
        if pairs:
            parts.append(f"({{pairs}} : ({' OR '.join(pairs)}))")
        return self._fts(" OR ".join(parts), "0.0, 1.0, 1.0", limit, scope) if parts else []

    def _fts(self, match: str, weights: str, limit: int, scope: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """A read scope is part of the MATCH (vectorstore/lexical.py): LIMIT counts readable passages only."""
        match = scoped_match(match, scope)
        if match is None:
            return []
        try:
            rows = self.db.execute(
                f"SELECT chunk_id, bm25(lexical, 0, {weights}, 0) AS s FROM lexical WHERE lexical MATCH ? "
                "ORDER BY s LIMIT ?", (match, limit)).fetchall()
        except sqlite3.OperationalError:
            return []
        return [(r[0], r[1]) for r in rows]

    def term_document_counts(self, terms: list[str]) -> dict[str, int]:
        """How many passages hold each term (FTS5 vocabulary): lets a query leave out syllables so
        common that matching them would rank most of the collection."""
        if not terms:
            return {}
        key = self.chunk_count()  # counts are cached until the collection changes size
        if self._df_cache.get("__size__") != key:
            self._df_cache = {"__size__": key}
        missing = [t for t in dict.fromkeys(terms) if t not in self._df_cache]
        if missing:
            found = dict(self.db.execute(
                f"SELECT term, doc FROM lexical_vocab WHERE term IN ({','.join('?' * len(missing))})", missing))
            for t in missing:
                self._df_cache[t] = found.get(t, 0)
        return {t: self._df_cache[t] for t in terms}

    def chunk_count(self) -> int:
        """Passages in the store; the COUNT(*) (ms at 100k rows) is redone only after a commit by
        any connection (data_version) or by this one (total_changes)."""
        db = self.db
        key = (db.execute("PRAGMA data_version").fetchone()[0], db.total_changes)
        cached = getattr(self._conns.local, "chunk_count", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        n = db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        self._conns.local.chunk_count = (key, n)
        return n

    def facts(self, kind: str | None = None, scope: Iterable[str] | None = None) -> list[dict[str, Any]]:
        sql = "SELECT f.id, f.doc_id, f.chunk_id, f.kind, f.text, f.fields, f.start FROM facts f"
        where, args = scope_sql(scope)
        if where:
            sql += " JOIN documents d ON d.doc_id = f.doc_id"
        sql += " WHERE 1=1" + where
        if kind:
            sql += " AND f.kind=?"
            args.append(kind)
        out = []
        for r in self.db.execute(sql + " ORDER BY f.doc_id, f.id", args):
            out.append({"id": r[0], "doc_id": r[1], "chunk_id": r[2], "kind": r[3], "text": r[4],
                        "fields": json.loads(r[5] or "{}"), "start": r[6]})
        return out

    def facts_of_documents(self, doc_ids: Iterable[str], kind: str | None = None,
                           scope: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """The facts of a few documents (index on doc_id): what an outline draws its figures from."""
        ids = list(dict.fromkeys(doc_ids))
        out = []
        where, scope_args = scope_sql(scope)
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            sql = ("SELECT f.id, f.doc_id, f.chunk_id, f.kind, f.text, f.fields, f.start FROM facts f "
                   "JOIN documents d ON d.doc_id = f.doc_id "
                   f"WHERE f.doc_id IN ({','.join('?' * len(part))}){where}")
            args: list = list(part) + scope_args
            if kind:
                sql += " AND f.kind=?"
                args.append(kind)
            for r in self.db.execute(sql + " ORDER BY f.doc_id, f.id", args):
                out.append({"id": r[0], "doc_id": r[1], "chunk_id": r[2], "kind": r[3], "text": r[4],
                            "fields": json.loads(r[5] or "{}"), "start": r[6]})
        return out

    def near_duplicate_candidates(self, bands: list[str]) -> dict[str, bytes]:
        if not bands:
            return {}
        rows = self.db.execute(
            "SELECT m.doc_id, m.sig FROM minhash m WHERE m.doc_id IN (SELECT doc_id FROM minhash_bands "
            f"WHERE band IN ({','.join('?' * len(bands))}))", bands).fetchall()
        return {r[0]: r[1] for r in rows}

    def has_chunks(self) -> bool:
        return self.db.execute("SELECT 1 FROM chunks LIMIT 1").fetchone() is not None

    def stats(self, scope: Iterable[str] | None = None) -> dict[str, Any]:
        db = self.db
        where, args = scope_sql(scope)
        docs = f"documents d WHERE 1=1{where}"
        n_docs = db.execute(f"SELECT COUNT(*) FROM {docs}", args).fetchone()[0]
        n_chunks = db.execute(f"SELECT COALESCE(SUM(d.n_chunks),0) FROM {docs}", args).fetchone()[0] if where \
            else db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        n_chars = db.execute(f"SELECT COALESCE(SUM(d.n_chars),0) FROM {docs}", args).fetchone()[0]
        n_facts = db.execute(f"SELECT COUNT(*) FROM facts f JOIN documents d ON d.doc_id = f.doc_id WHERE 1=1{where}",
                             args).fetchone()[0] if where else db.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
        n_dups = db.execute(f"SELECT COUNT(*) FROM {docs} AND d.near_dup_of IS NOT NULL", args).fetchone()[0]
        return {"documents": n_docs, "chunks": n_chunks, "characters": n_chars, "facts": n_facts,
                "near_duplicates": n_dups, "pending": len(self.pending()),
                "unrefined": self.count_unrefined(),
                "boilerplate_lines": len(self.boilerplate())}
