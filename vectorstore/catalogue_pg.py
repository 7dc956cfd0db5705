"""PostgreSQL catalogue (server profile): the same public methods and results as ``Catalogue`` (SQLite).

Several app replicas share one database, so nothing here caches catalogue state past a write by another
process: every write transaction bumps ``meta.generation`` and the few cached values (passage count,
BM25 statistics, term document counts) are kept only while the generation they were read under holds.
One autocommit connection per thread; each write is one explicit transaction, so a reader never sees a
half-written document.
"""
from __future__ import annotations

import json
import threading
import time
from typing import Any, Iterable

import psycopg

from vectorstore import pg_lexical as lx
from vectorstore.catalogue import DOC_COLUMNS, ChunkRow, DocRecord, _CHUNK_COLUMNS, _chunk_row, lexical_text
from vectorstore.connections import PgConnection, ThreadConnections
from vectorstore.pg_migrations import migrate
from vntext.lines import drop_keys

_DOCS = ",".join(DOC_COLUMNS)
_FACT_COLS = "f.id, f.doc_id, f.chunk_id, f.kind, f.text, f.fields, f.start"


def _write_lexical(cur: psycopg.Cursor, rows: Iterable[tuple[str, str, str]], keys: set[str]) -> None:
    """Index passages ``(chunk_id, text, heading)``: their three forms and their postings (COPY)."""
    texts, posts = [], []
    for chunk_id, text, heading in rows:
        forms = lexical_text(drop_keys(text, keys), drop_keys(heading or "", keys))
        ntok, p = lx.postings(chunk_id, forms)
        texts.append((chunk_id, *forms, ntok))
        posts += p
    with cur.copy("COPY lexical (chunk_id, exact, folded, pairs, ntok) FROM STDIN") as cp:
        for r in texts:
            cp.write_row(r)
    with cur.copy("COPY lexical_postings (col, term, chunk_id, ntok, tf, pos) FROM STDIN") as cp:
        cp.write("".join(f"{c}\t{t}\t{cid}\t{n}\t{tf}\t{{{','.join(map(str, pos))}}}\n"  # tokens: \w only
                         for c, t, cid, n, tf, pos in posts))


def _scope(scope: Iterable[str] | None, column: str = "d.collection") -> tuple[str, list]:
    """`` AND <column> = ANY(%s)`` for a read scope (the collections a user may read; None: all)."""
    return ("", []) if scope is None else (f" AND {column} = ANY(%s)", [sorted(set(scope))])


def _fact(r: tuple) -> dict[str, Any]:
    return {"id": r[0], "doc_id": r[1], "chunk_id": r[2], "kind": r[3], "text": r[4],
            "fields": json.loads(r[5] or "{}"), "start": r[6]}


class PgCatalogue:
    # Past this many passages the retriever's accented query keeps only selective syllables, no phrases
    # (assistant/retrieve/retriever.py; SQLite: 20,000): common accented syllables and their phrases cost ≈160 ms
    # a question here at 2,400 passages against ≈10 ms in FTS5 (measured, bench/profiles.py).
    exact_phrases_max = 2000

    def __init__(self, dsn: str):
        self.dsn = dsn
        self._conns = ThreadConnections(lambda: PgConnection(lambda: psycopg.connect(self.dsn, autocommit=True)))
        self._cache: dict[str, Any] = {"generation": None}
        self._cache_lock = threading.Lock()
        migrate(self.db)

    @property
    def db(self) -> psycopg.Connection:
        return self._conns.get()

    def close(self) -> None:
        self._conns.close()

    def _bump(self, db: psycopg.Connection) -> None:
        """Inside a write transaction: readers in every process drop what they cached."""
        db.execute("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'generation'")

    def generation(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def _cached(self, key: str, compute):
        """``compute()`` once per generation of the catalogue."""
        gen = self.generation()
        with self._cache_lock:
            if self._cache["generation"] != gen:
                self._cache = {"generation": gen}
            if key in self._cache:
                return self._cache[key]
        value = compute()
        with self._cache_lock:
            if self._cache["generation"] == gen:
                self._cache[key] = value
        return value

    # ---- meta ----
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=%s", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO meta VALUES (%s,%s) ON CONFLICT (key) DO UPDATE SET value=EXCLUDED.value",
                        (key, value))

    # ---- documents ----
    def _docs(self, sql: str, args: Any = ()) -> list[DocRecord]:
        return [DocRecord(*r) for r in self.db.execute(sql, args)]

    def get_document(self, doc_id: str) -> DocRecord | None:
        found = self._docs(f"SELECT {_DOCS} FROM documents WHERE doc_id=%s", (doc_id,))
        return found[0] if found else None

    def find_by_hash(self, content_hash: str) -> DocRecord | None:
        found = self._docs(f"SELECT {_DOCS} FROM documents WHERE content_hash=%s LIMIT 1", (content_hash,))
        return found[0] if found else None

    def find_documents(self, ref: str, scope: Iterable[str] | None = None) -> list[DocRecord]:
        """Documents matching an id, a file name or a path (within ``scope``)."""
        where, args = _scope(scope, "collection")
        return self._docs(f"SELECT {_DOCS} FROM documents WHERE (doc_id=%s OR source=%s OR path=%s){where}",
                          (ref, ref, ref, *args))

    def documents(self, scope: Iterable[str] | None = None) -> list[DocRecord]:
        where, args = _scope(scope, "collection")
        return self._docs(f'SELECT {_DOCS} FROM documents WHERE TRUE{where} ORDER BY source COLLATE "C"', args)

    def collections(self) -> dict[str, int]:
        """Collection name → number of documents in it."""
        return dict(self.db.execute("SELECT collection, COUNT(*) FROM documents GROUP BY collection").fetchall())

    def chunks_of_article(self, article: str, limit: int = 20,
                          scope: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(chunk_id, instrument) of the legal articles numbered ``article`` ("Điều 32"), any instrument."""
        where, args = _scope(scope)
        return [(r[0], r[1] or "") for r in self.db.execute(
            "SELECT c.chunk_id, d.instrument FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
            f"WHERE d.article = %s{where} ORDER BY c.position LIMIT %s", (article, *args, limit))]

    def documents_by_ids(self, ids: Iterable[str]) -> dict[str, DocRecord]:
        docs = self._docs(f"SELECT {_DOCS} FROM documents WHERE doc_id = ANY(%s)", (list(set(ids)),))
        return {d.doc_id: d for d in docs}

    def chunk_ids_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT chunk_id FROM chunks WHERE doc_id=%s ORDER BY position",
                                              (doc_id,))]

    def chunks_by_ids(self, ids: Iterable[str]) -> dict[str, ChunkRow]:
        ids = list(dict.fromkeys(ids))
        rows = {r[0]: _chunk_row(r) for r in self.db.execute(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE chunk_id = ANY(%s)", (ids,))}
        return {i: rows[i] for i in ids if i in rows}

    def chunks_of(self, doc_id: str) -> list[ChunkRow]:
        return [_chunk_row(r) for r in self.db.execute(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE doc_id=%s ORDER BY position", (doc_id,))]

    # ---- pending ids (crash safety) ----
    def add_pending(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if ids:
            self.db.execute("INSERT INTO pending SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING", (ids,))

    def pending(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT chunk_id FROM pending")]

    def clear_pending(self, ids: Iterable[str]) -> None:
        self.db.execute("DELETE FROM pending WHERE chunk_id = ANY(%s)", (list(ids),))

    # ---- refinement state (two-phase ingest) ----
    def count_unrefined(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM unrefined").fetchone()[0]

    def unrefined_of(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that have only a static vector."""
        return {r[0] for r in self.db.execute("SELECT chunk_id FROM unrefined WHERE chunk_id = ANY(%s)",
                                              (list(dict.fromkeys(ids)),))}

    def unrefined_batch(self, limit: int) -> list[tuple[ChunkRow, DocRecord]]:
        """Up to ``limit`` passages awaiting their e5 vector, with their documents, in ingest order."""
        rows = self.db.execute(
            'SELECT c.chunk_id, c.doc_id, c.position, c.text, c.heading, c.start, c."end" FROM unrefined u '
            "JOIN chunks c ON c.chunk_id = u.chunk_id ORDER BY u.seq LIMIT %s", (limit,)).fetchall()
        chunks = [ChunkRow(*r) for r in rows]
        docs = self.documents_by_ids(c.doc_id for c in chunks)
        return [(c, docs[c.doc_id]) for c in chunks if c.doc_id in docs]

    def mark_refined(self, ids: list[str]) -> None:
        """One transaction: the passages leave `unrefined`; their static vectors are to be deleted."""
        db = self.db
        with db.transaction():
            db.execute("DELETE FROM unrefined WHERE chunk_id = ANY(%s)", (ids,))
            db.execute("INSERT INTO pending_static SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING", (ids,))
            self._bump(db)

    def pending_static(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT chunk_id FROM pending_static")]

    def clear_pending_static(self, ids: Iterable[str]) -> None:
        self.db.execute("DELETE FROM pending_static WHERE chunk_id = ANY(%s)", (list(ids),))

    # ---- writes ----
    def replace_document(self, doc: DocRecord, chunks: list[ChunkRow], facts: list[dict[str, Any]],
                         line_keys: set[str], boilerplate: set[str], minhash: bytes | None,
                         stale_ids: list[str], static: bool = False) -> None:
        """One transaction, as ``Catalogue.replace_document``: the document's rows replace its old ones,
        new ids leave `pending`, ids no longer used enter it."""
        db = self.db
        new_ids = [c.chunk_id for c in chunks]
        with db.transaction(), db.cursor() as cur:
            if not static:  # passages that had only a static vector: it goes
                cur.execute("INSERT INTO pending_static SELECT chunk_id FROM unrefined WHERE chunk_id = ANY(%s) "
                            "ON CONFLICT DO NOTHING", (new_ids,))
            self._delete_rows(cur, doc.doc_id)
            if static:
                cur.executemany("INSERT INTO unrefined (chunk_id) VALUES (%s) ON CONFLICT DO NOTHING",
                                [(i,) for i in new_ids])
            doc.ingested_at = doc.ingested_at or time.time()
            cur.execute(f"INSERT INTO documents ({_DOCS}) VALUES ({','.join(['%s'] * len(DOC_COLUMNS))})",
                        [getattr(doc, c) for c in DOC_COLUMNS])
            cur.executemany(f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                            [(c.chunk_id, c.doc_id, c.position, c.text, c.heading, c.start, c.end, c.page,
                              int(bool(c.ocr))) for c in chunks])
            _write_lexical(cur, [(c.chunk_id, c.text, c.heading) for c in chunks], boilerplate)
            cur.executemany("INSERT INTO facts (doc_id, chunk_id, kind, text, fields, start) VALUES (%s,%s,%s,%s,%s,%s)",
                            [(doc.doc_id, f["chunk_id"], f["kind"], f["text"],
                              json.dumps(f.get("fields", {}), ensure_ascii=False), f.get("start", 0)) for f in facts])
            cur.executemany("INSERT INTO doc_lines VALUES (%s,%s) ON CONFLICT DO NOTHING",
                            [(doc.doc_id, k) for k in line_keys])
            if minhash is not None:
                cur.execute("INSERT INTO minhash VALUES (%s,%s)", (doc.doc_id, minhash))
                from vntext.shingles import band_keys
                import numpy as np
                cur.executemany("INSERT INTO minhash_bands VALUES (%s,%s)",
                                [(b, doc.doc_id) for b in band_keys(np.frombuffer(minhash, dtype=np.uint64))])
            cur.execute("DELETE FROM pending WHERE chunk_id = ANY(%s)", (new_ids,))
            cur.execute("INSERT INTO pending SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING", (list(stale_ids),))
            self._bump(db)

    def _delete_rows(self, cur: psycopg.Cursor, doc_id: str) -> None:
        for table in ("lexical", "lexical_postings"):
            cur.execute(f"DELETE FROM {table} WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE doc_id=%s)",
                        (doc_id,))
        cur.execute("DELETE FROM unrefined WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE doc_id=%s)", (doc_id,))
        for table in ("chunks", "facts", "doc_lines", "minhash", "minhash_bands", "documents"):
            cur.execute(f"DELETE FROM {table} WHERE doc_id=%s", (doc_id,))

    def remove_document(self, doc_id: str) -> list[str]:
        """Delete a document's rows; its chunk ids go to `pending` for deletion from Chroma."""
        ids = self.chunk_ids_of(doc_id)
        db = self.db
        with db.transaction(), db.cursor() as cur:
            self._delete_rows(cur, doc_id)
            cur.execute("INSERT INTO pending SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING", (ids,))
            self._bump(db)
        return ids

    # ---- collection boilerplate ----
    def line_document_counts(self) -> dict[str, int]:
        return {k: n for k, n in self.db.execute("SELECT key, COUNT(*) FROM doc_lines GROUP BY key")}

    def boilerplate(self) -> set[str]:
        raw = self.get_meta("boilerplate_lines")
        return set(json.loads(raw)) if raw else set()

    def set_boilerplate(self, keys: set[str]) -> list[str]:
        """Store the new set and re-index the lexical rows of documents whose lines changed status."""
        changed = self.boilerplate() ^ keys
        if not changed:
            return []
        db = self.db
        with db.transaction(), db.cursor() as cur:
            docs = {r[0] for r in cur.execute("SELECT DISTINCT doc_id FROM doc_lines WHERE key = ANY(%s)",
                                              (sorted(changed),)).fetchall()}
            rows = cur.execute("SELECT chunk_id, text, heading FROM chunks WHERE doc_id = ANY(%s)",
                               (sorted(docs),)).fetchall()
            for table in ("lexical", "lexical_postings"):
                cur.execute(f"DELETE FROM {table} WHERE chunk_id = ANY(%s)", ([r[0] for r in rows],))
            _write_lexical(cur, rows, keys)
            cur.execute("INSERT INTO meta VALUES ('boilerplate_lines', %s) ON CONFLICT (key) DO UPDATE "
                        "SET value=EXCLUDED.value", (json.dumps(sorted(keys), ensure_ascii=False),))
            self._bump(db)
        return sorted(docs)

    # ---- reads for retrieval / lookup ----
    def lexical_search(self, match: str, column: str = "folded", limit: int = 50,
                       scope: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """An FTS5-syntax query (``"a b" OR "c"``) on one column; (chunk_id, bm25) best first."""
        if column not in ("exact", "folded", "pairs"):
            return []
        return self._search(lx.parse_match(match), {column: lx.parse_match(match)}, limit, scope)

    def lexical_search_folded(self, terms: list[str], pairs: list[str], limit: int = 50,
                              scope: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """One BM25 ranking over folded syllables and folded syllable pairs (quoted FTS terms)."""
        t, p = lx.parse_match(" ".join(terms)), lx.parse_match(" ".join(pairs))
        return self._search(t + [x for x in p if x not in t], {"folded": t, "pairs": p}, limit, scope)

    def _search(self, phrases: list[tuple[str, ...]], by_col: dict[str, list[tuple[str, ...]]],
                limit: int, scope: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """Read the postings of the query's tokens in the searched columns; BM25 in pg_lexical."""
        cols = [lx.COLUMNS.index(c) for c, ps in by_col.items() if ps]
        terms = sorted({t for ps in by_col.values() for p in ps for t in p})
        if not cols or not terms:
            return []
        n_rows, avg_len = self._cached("bm25_stats", lambda: tuple(self.db.execute(
            "SELECT COUNT(*), COALESCE(AVG(ntok), 0)::float FROM lexical").fetchone()))
        args = {"cols": cols, "terms": terms, "n": n_rows, "avg": avg_len or 1.0, "limit": limit,
                "scope": sorted(set(scope or ()))}
        postings = (lx.TOKEN_POSTINGS if all(len(p) == 1 for p in phrases)  # single tokens: postings as they are
                    else lx.phrase_hits_sql(phrases, args))
        sql = lx.BM25_SQL.format(postings=postings, scope="" if scope is None else "WHERE " + lx.IN_SCOPE)
        return [(r[0], r[1]) for r in self.db.execute(sql, args)]

    def term_document_counts(self, terms: list[str]) -> dict[str, int]:
        """How many passages hold each token (a pair token in `pairs`, a syllable in `folded`), cached
        for the catalogue's generation."""
        if not terms:
            return {}
        counts = self._cached("df", dict)
        missing = [t for t in dict.fromkeys(terms) if t not in counts]
        if missing:
            found = dict(self.db.execute(
                "SELECT term, COUNT(*) FROM lexical_postings WHERE (col = 1 AND term = ANY(%s)) "
                "OR (col = 2 AND term = ANY(%s)) GROUP BY term",
                ([t for t in missing if "_" not in t], [t for t in missing if "_" in t])).fetchall())
            for t in missing:
                counts[t] = found.get(t, 0)
        return {t: counts[t] for t in terms}

    def chunk_count(self) -> int:
        """Passages in the store, counted again only after a write by any replica (generation)."""
        return self._cached("chunk_count", lambda: self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def facts(self, kind: str | None = None, scope: Iterable[str] | None = None) -> list[dict[str, Any]]:
        where, args = _scope(scope)
        sql = f"SELECT {_FACT_COLS} FROM facts f" + (" JOIN documents d ON d.doc_id = f.doc_id" if where else "")
        sql += " WHERE TRUE" + where
        if kind:
            sql += " AND f.kind=%s"
            args.append(kind)
        return [_fact(r) for r in self.db.execute(sql + ' ORDER BY f.doc_id COLLATE "C", f.id', args)]

    def facts_of_documents(self, doc_ids: Iterable[str], kind: str | None = None,
                           scope: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """The facts of a few documents (index on doc_id): what an outline draws its figures from."""
        where, scope_args = _scope(scope)
        sql = (f"SELECT {_FACT_COLS} FROM facts f JOIN documents d ON d.doc_id = f.doc_id "
               f"WHERE f.doc_id = ANY(%s){where}")
        args = [list(dict.fromkeys(doc_ids)), *scope_args]
        if kind:
            sql += " AND f.kind=%s"
            args.append(kind)
        return [_fact(r) for r in self.db.execute(sql + ' ORDER BY f.doc_id COLLATE "C", f.id', args)]

    def near_duplicate_candidates(self, bands: list[str]) -> dict[str, bytes]:
        if not bands:
            return {}
        rows = self.db.execute("SELECT m.doc_id, m.sig FROM minhash m WHERE m.doc_id IN "
                               "(SELECT doc_id FROM minhash_bands WHERE band = ANY(%s))", (bands,)).fetchall()
        return {r[0]: bytes(r[1]) for r in rows}

    def has_chunks(self) -> bool:
        return self.db.execute("SELECT 1 FROM chunks LIMIT 1").fetchone() is not None

    def stats(self, scope: Iterable[str] | None = None) -> dict[str, Any]:
        where, args = _scope(scope)
        docs = f"documents d WHERE TRUE{where}"
        r = self.db.execute(
            f"SELECT (SELECT COUNT(*) FROM {docs}), (SELECT COUNT(*) FROM chunks c, {docs} AND d.doc_id = c.doc_id), "
            f"(SELECT COALESCE(SUM(n_chars),0) FROM {docs}), "
            f"(SELECT COUNT(*) FROM facts f, {docs} AND d.doc_id = f.doc_id), "
            f"(SELECT COUNT(*) FROM {docs} AND d.near_dup_of IS NOT NULL)", args * 5).fetchone()
        return {"documents": r[0], "chunks": r[1], "characters": int(r[2]), "facts": r[3],
                "near_duplicates": r[4], "pending": len(self.pending()),
                "unrefined": self.count_unrefined(), "boilerplate_lines": len(self.boilerplate())}
