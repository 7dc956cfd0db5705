"""Lexical search on PostgreSQL: ``tsvector`` vs ``pg_trgm`` vs a postings table, each with FTS5's BM25.

Each is measured against today's SQLite FTS5 index on the same passages (seeds + law + news, chunked as
ingest chunks them) with the same queries: 6–10 consecutive words of a random passage
(bench.common.corpus_questions) plus the public eval questions, accent-folded, as the folded search gets them.
- hit@10: the passage the words came from is in the top 10;
- agree@10: share of FTS5's top 10 that the option also returns in its top 10 (today's behaviour);
- p50/p95: ms per query, one thread, after one warm-up pass.

(a) tsvector: our tokens as tsvector literals (what the ``simple`` configuration gives over the folded
    text + pair tokens), GIN finds candidates, ``unnest`` reads the query tokens' frequencies for BM25.
(b) pg_trgm: GIN ``gin_trgm_ops`` on the folded text; candidates by one word-bounded regex
    (``\\m(a|b|c d)\\M``, which the trigram index serves), ranked by the same BM25 computed from the
    candidates' text (tf = regex matches). Syllables of one or two letters have no trigram: such a
    query scans the table.
(c) postings: PgCatalogue.lexical_search_folded, the production code (vectorstore/pg_lexical.py): one
    B-tree row per (column, token, passage) with tf and positions; a query reads its tokens' rows only.

Measured 2026-12-02 on the 2-core machine shared with other jobs (load average 3–5; PostgreSQL 15 with
fsync off), 2,485 passages, 114 queries (100 built + 14 public eval questions, every syllable and pair of
each, common ones included: a heavier query than the retriever's, which drops common syllables):

    option        hit@10  agree@10  p50 ms  p95 ms  build s
    sqlite fts5    0.960     1.000    13.8    23.9      7.3
    pg postings    0.960     0.985    41.4   106.4     40.5
    pg tsvector    0.960     0.985   488.7   929.5      2.7   (index only; texts from the postings run)
    pg trgm        0.960     0.985   465.7   950.9      0.5   (index only)

All three PostgreSQL options rank the same passages (same tokens, same BM25: agree@10 0.985, the rest is
ties ordered otherwise), but tsvector must ``unnest`` each candidate's vector to read term frequencies (≈50 µs a row; a
question of common syllables has thousands of candidates) and pg_trgm must re-read every candidate's text.
Chosen: the postings table (c); its cost is at write time (≈15 ms a passage under this load, against
100–300 ms of e5 embedding per passage).

Run: .venv/bin/python bench/lexical_pg.py [--dsn postgresql://…/db] [--queries 100]
(without --dsn a throw-away cluster is started as tests do).
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path[0:1] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]

from bench.common import CORPUS, corpus_questions, load_questions, percentile, table  # noqa: E402


def _passages() -> list[tuple[str, str, str, str]]:
    """(doc_id, chunk_id, text, heading) of seeds + law + news, chunked as ingest does."""
    from ingest.chunk import chunk_document
    out = []
    for folder in ("seeds", "law", "news"):
        for path in sorted((CORPUS / folder).glob("*.txt")):
            kind = "law" if folder == "law" else "text"
            for c in chunk_document(path.name, path.read_text(encoding="utf-8"), "", kind=kind):
                out.append((path.name, c.chunk_id, c.text, c.heading))
    return out


def _fill(cat, passages) -> float:
    from vectorstore.catalogue import ChunkRow, DocRecord
    by_doc: dict[str, list] = {}
    for p in passages:
        by_doc.setdefault(p[0], []).append(p)
    t = time.perf_counter()
    for doc_id, rows in by_doc.items():
        chunks = [ChunkRow(cid, doc_id, i, text, heading) for i, (_, cid, text, heading) in enumerate(rows)]
        cat.replace_document(DocRecord(doc_id, doc_id, doc_id, doc_id, doc_id, n_chunks=len(chunks)),
                             chunks, [], set(), set(), None, [])
    return time.perf_counter() - t


class Tsvector:
    """Option (a): our tokens as tsvector literals (= the ``simple`` configuration over the folded text and
    the pair tokens), GIN for the candidates, positions read back with ``unnest`` for BM25."""

    def __init__(self, conn):
        self.conn = conn

    def build(self) -> float:
        from vectorstore import pg_lexical as lx
        t = time.perf_counter()
        self.conn.execute("DROP TABLE IF EXISTS lex_tsv")
        self.conn.execute("CREATE TABLE lex_tsv (chunk_id TEXT, ntok INT, folded_tsv TSVECTOR, pairs_tsv TSVECTOR)")
        rows = self.conn.execute("SELECT chunk_id, ntok, folded, pairs FROM lexical").fetchall()
        with self.conn.cursor() as cur:
            cur.executemany("INSERT INTO lex_tsv VALUES (%s,%s,%s::tsvector,%s::tsvector)",
                            [(c, n, lx.tsvector_literal(lx.tokens(f)), lx.tsvector_literal(lx.tokens(p)))
                             for c, n, f, p in rows])
        self.conn.execute("CREATE INDEX ON lex_tsv USING gin (folded_tsv)")
        self.conn.execute("CREATE INDEX ON lex_tsv USING gin (pairs_tsv)")
        self.conn.execute("VACUUM ANALYZE lex_tsv")
        return time.perf_counter() - t

    def search(self, terms: list[str], pairs: list[str], limit: int = 10) -> list[str]:
        from vectorstore import pg_lexical as lx
        phrases = list(dict.fromkeys([(t,) for t in terms] + [(p,) for p in pairs]))
        if not phrases:
            return []
        rows = self.conn.execute(
            "WITH cand AS MATERIALIZED (SELECT * FROM lex_tsv WHERE folded_tsv @@ %s::tsquery "
            "OR pairs_tsv @@ %s::tsquery) "
            "SELECT c.chunk_id, c.ntok, 1, u.lexeme, cardinality(u.positions), NULL::int[] FROM cand c, "
            "unnest(c.folded_tsv) u WHERE u.lexeme = ANY(%s) UNION ALL "
            "SELECT c.chunk_id, c.ntok, 2, u.lexeme, cardinality(u.positions), NULL::int[] FROM cand c, "
            "unnest(c.pairs_tsv) u WHERE u.lexeme = ANY(%s)",
            (lx.tsquery([(t,) for t in terms]) or "''", lx.tsquery([(p,) for p in pairs]) or "''",
             terms, pairs)).fetchall()
        n_rows, avg = self.conn.execute("SELECT COUNT(*), AVG(ntok)::float FROM lex_tsv").fetchone()
        return [c for c, _ in lx.bm25(rows, phrases, n_rows, avg, limit)]


class Trigram:
    """Option (b): pg_trgm over the folded text, BM25 from the candidates' text."""

    def __init__(self, conn):
        self.conn = conn

    def build(self) -> float:
        t = time.perf_counter()
        self.conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        self.conn.execute("DROP TABLE IF EXISTS lex_trgm")
        self.conn.execute("CREATE TABLE lex_trgm AS SELECT chunk_id, folded, ntok FROM lexical")
        self.conn.execute("CREATE INDEX lex_trgm_gin ON lex_trgm USING gin (folded gin_trgm_ops)")
        self.conn.execute("ANALYZE lex_trgm")
        return time.perf_counter() - t

    def search(self, terms: list[str], pairs: list[str], limit: int = 10) -> list[str]:
        from vectorstore import pg_lexical as lx
        phrases = list(dict.fromkeys([(t,) for t in terms] + [tuple(p.split("_")) for p in pairs]))
        if not phrases:
            return []
        alt = "|".join(re.escape(" ".join(p)) for p in phrases)
        rows = self.conn.execute("SELECT chunk_id, folded, ntok FROM lex_trgm WHERE folded ~ %s",
                                 (rf"\m({alt})\M",)).fetchall()
        n_rows, avg = self.conn.execute("SELECT COUNT(*), AVG(ntok)::float FROM lex_trgm").fetchone()
        as_rows = []
        for cid, folded, ntok in rows:
            toks = lx.tokens(folded)
            pos: dict[str, list[int]] = {}
            for i, tok in enumerate(toks, 1):
                pos.setdefault(tok, []).append(i)
            as_rows += [(cid, ntok, 1, w, len(pos[w]), pos[w]) for w in {t for p in phrases for t in p} if w in pos]
        return [c for c, _ in lx.bm25(as_rows, phrases, n_rows, avg, limit)]


def _queries(passages, n: int) -> list[tuple[list[str], list[str], str]]:
    from vntext.normalize import fold_accents, search_form
    from vectorstore import pg_lexical as lx
    texts = [(cid, text) for _, cid, text, _ in passages]
    qs = corpus_questions(texts, n)
    qs += [(q["question"], "") for q in load_questions()]
    out = []
    for question, cid in qs:
        words = lx.tokens(fold_accents(search_form(question)).lower())
        out.append((words, [f"{a}_{b}" for a, b in zip(words, words[1:])], cid))
    return out


def _run(name, fn, queries, ref=None):
    for terms, pairs, _ in queries[:20]:
        fn(terms, pairs)
    times, hits, agree, tops = [], 0, [], []
    for i, (terms, pairs, cid) in enumerate(queries):
        t = time.perf_counter()
        top = fn(terms, pairs)
        times.append((time.perf_counter() - t) * 1000)
        tops.append(top)
        hits += bool(cid) and cid in top
        if ref is not None and ref[i]:
            agree.append(len(set(top) & set(ref[i])) / len(ref[i]))
    n_hit = sum(1 for q in queries if q[2])
    return tops, [name, hits / n_hit, sum(agree) / len(agree) if agree else 1.0,
                  percentile(times, 50), percentile(times, 95)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dsn")
    ap.add_argument("--queries", type=int, default=100)
    args = ap.parse_args()
    import psycopg
    from pgcluster import PgCluster
    from vectorstore.catalogue import Catalogue
    from vectorstore.catalogue_pg import PgCatalogue
    cluster = None
    if not args.dsn:
        cluster = PgCluster()
        args.dsn = cluster.start()
    try:
        passages = _passages()
        queries = _queries(passages, args.queries)
        tmp = Path(tempfile.mkdtemp(prefix="lexbench-"))
        lite = Catalogue(tmp / "catalogue.sqlite3")
        build = {"sqlite fts5": _fill(lite, passages)}
        with psycopg.connect(args.dsn, autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS lexbench")
            c.execute("CREATE DATABASE lexbench")
        dsn = args.dsn.rsplit("/", 1)[0] + "/lexbench"
        pg = PgCatalogue(dsn)
        build["pg postings"] = _fill(pg, passages)
        pg.db.execute("VACUUM ANALYZE")
        tsv = Tsvector(psycopg.connect(dsn, autocommit=True))
        build["pg tsvector"] = tsv.build()
        trgm = Trigram(psycopg.connect(dsn, autocommit=True))
        build["pg trgm"] = trgm.build()

        def top(cat):
            return lambda t, p: [c for c, _ in cat.lexical_search_folded([f'"{x}"' for x in t], [f'"{x}"' for x in p], 10)]
        ref, row_l = _run("sqlite fts5", top(lite), queries)
        _, row_p = _run("pg postings", top(pg), queries, ref)
        _, row_t = _run("pg tsvector", tsv.search, queries, ref)
        _, row_g = _run("pg trgm", trgm.search, queries, ref)
        rows = [r + [build[r[0]]] for r in (row_l, row_p, row_t, row_g)]
        print(f"{len(passages)} passages, {len(queries)} queries")
        print(table(["option", "hit@10", "agree@10", "p50 ms", "p95 ms", "build s"], rows, digits=3))
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    main()
