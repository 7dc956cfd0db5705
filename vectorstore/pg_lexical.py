"""The lexical index on PostgreSQL: our own tokens in a postings table, FTS5's BM25 computed from it.

The text is already folded in Python (``catalogue.lexical_text``: accents, ``đ``, tone placement, syllable
pairs); here it is split the way SQLite FTS5's ``unicode61`` splits it and each (column, token, passage)
becomes one row of ``lexical_postings`` with its term frequency and positions — an inverted index kept
in an ordinary B-tree. A query reads the postings of its tokens only (as FTS5 does), phrases are matched
on positions, and BM25 is computed as FTS5's ``bm25()`` (k1 1.2, b 0.75, the passage's token count over
all columns as its length), so rankings match the embedded profile's.

Why not ``tsvector`` + GIN (``to_tsvector('simple', …)`` or a literal of our tokens): GIN finds the
candidates fast, but BM25 needs each query token's frequency, and the only way to read it out of a
tsvector is ``unnest()``, ≈50 µs per candidate row — 0.5 s for a question of common syllables over a few
thousand passages. ``pg_trgm`` matches trigrams, not syllables, ranks by similarity and must re-read
every candidate's text. bench/lexical_pg.py measured all three; its docstring has the numbers.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Iterable

TOKEN = re.compile(r"\w+")  # unicode61 with tokenchars '_': runs of letters, digits and '_'
MAX_POS = 16383  # tsvector positions stop here
K1, B = 1.2, 0.75


# FTS5's bm25() over the hits of each query item, in the server; ties broken by id so the order is stable.
# ``postings`` yields (chunk_id, ntok, term, tf): the postings of single tokens (a token is in one searched
# column only: pair tokens hold "_", syllables do not), or the phrase hits of ``phrase_hits_sql``.
BM25_SQL = f"""
WITH p AS MATERIALIZED ({{postings}}),
df AS (SELECT term, GREATEST(LN((%(n)s::float8 - COUNT(*) + 0.5) / (COUNT(*) + 0.5)), 1e-6::float8) AS idf
       FROM p GROUP BY term)
SELECT p.chunk_id, -SUM(df.idf * p.tf * {K1 + 1}::float8
       / (p.tf + {K1}::float8 * ({1 - B}::float8 + {B}::float8 * p.ntok / %(avg)s::float8))) AS s
FROM p JOIN df USING (term) {{scope}} GROUP BY p.chunk_id ORDER BY s, p.chunk_id LIMIT %(limit)s
"""
TOKEN_POSTINGS = ("SELECT chunk_id, ntok::float8 AS ntok, term, tf::float8 AS tf FROM lexical_postings "
                  "WHERE col = ANY(%(cols)s) AND term = ANY(%(terms)s)")


def phrase_hits_sql(phrases: list[tuple[str, ...]], args: dict) -> str:
    """Rows (chunk_id, ntok, item, hits) for a query with phrases: a phrase's hits are the positions of
    its first token followed by the others (postings joined on the passage), summed over the searched
    columns, as FTS5 counts them; ``args`` receives the tokens."""
    parts = []
    for i, phrase in enumerate(phrases):
        args.update({f"t{i}_{k}": t for k, t in enumerate(phrase)})
        joins = " ".join(f"JOIN lexical_postings p{k} ON p{k}.col = p0.col AND p{k}.chunk_id = p0.chunk_id "
                         f"AND p{k}.term = %(t{i}_{k})s" for k in range(1, len(phrase)))
        cond = " AND ".join(f"x + {k} = ANY(p{k}.pos)" for k in range(1, len(phrase)))
        tf = f"(SELECT COUNT(*) FROM unnest(p0.pos) x WHERE {cond})" if cond else "p0.tf"
        parts.append(f"SELECT p0.chunk_id, p0.ntok, {i} AS item, {tf} AS tf FROM lexical_postings p0 {joins} "
                     f"WHERE p0.col = ANY(%(cols)s) AND p0.term = %(t{i}_0)s")
    return ("SELECT chunk_id, ntok::float8 AS ntok, item AS term, SUM(tf)::float8 AS tf FROM ("
            + " UNION ALL ".join(parts) + ") u WHERE tf > 0 GROUP BY chunk_id, ntok, item")


# a read scope filters the ranked passages, not the statistics (as FTS5's bm25() keeps its global idf)
IN_SCOPE = ("p.chunk_id IN (SELECT c.chunk_id FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
            "WHERE d.collection = ANY(%(scope)s))")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


COLUMNS = ("exact", "folded", "pairs")  # lexical_postings.col: the index in this tuple


def postings(chunk_id: str, columns: tuple[str, str, str]) -> tuple[int, list[tuple]]:
    """(token count of the passage, rows ``(col, term, chunk_id, ntok, tf, positions)``) of its three forms."""
    toks = [tokens(text) for text in columns]
    ntok = sum(map(len, toks))
    rows = []
    for col, col_toks in enumerate(toks):
        pos: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(col_toks, 1):
            pos[t].append(i)
        rows += [(col, t, chunk_id, ntok, len(p), p) for t, p in pos.items()]
    return ntok, rows


def tsvector_literal(toks: list[str]) -> str:
    """``'tok':1,5 'other':2``: the tsvector PostgreSQL's ``simple`` configuration would give (bench only)."""
    pos: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(toks, 1):
        pos[t].append(min(i, MAX_POS))
    return " ".join(f"'{t}':{','.join(map(str, dict.fromkeys(p)))}" for t, p in pos.items())


def parse_match(match: str) -> list[tuple[str, ...]]:
    """The phrases of an FTS5 query of the form ``"a b" OR "c" OR d``: each a tuple of tokens."""
    out: list[tuple[str, ...]] = []
    for m in re.finditer(r'"([^"]*)"|(\S+)', match):
        if m.group(2) in ("OR", "AND", "NOT"):
            continue
        toks = tuple(tokens(m.group(1) if m.group(1) is not None else m.group(2)))
        if toks and toks not in out:
            out.append(toks)
    return out


def tsquery(phrases: Iterable[tuple[str, ...]]) -> str:
    """The tsquery of the phrases (bench only)."""
    return " | ".join("(" + " <-> ".join(f"'{t}'" for t in p) + ")" for p in phrases)


def phrase_hits(phrase: tuple[str, ...], positions: dict[str, list[int]]) -> int:
    """How many times the phrase occurs (consecutive positions), as FTS5 counts it."""
    first = positions.get(phrase[0])
    if not first:
        return 0
    if len(phrase) == 1:
        return len(first)
    rest = [set(positions.get(t, ())) for t in phrase[1:]]
    return sum(1 for p in first if all(p + i + 1 in s for i, s in enumerate(rest)))


def bm25(rows: Iterable[tuple[str, int, int, str, int, list[int] | None]], phrases: list[tuple[str, ...]],
         n_rows: int, avg_len: float, limit: int) -> list[tuple[str, float]]:
    """Rank postings ``(chunk_id, ntok, col, term, tf, positions)`` like FTS5's bm25(): a phrase's hits
    are summed over the searched columns; returns (chunk_id, negative score) best first."""
    per_chunk: dict[str, dict[int, dict[str, tuple[int, list[int] | None]]]] = defaultdict(lambda: defaultdict(dict))
    lengths: dict[str, int] = {}
    for cid, ntok, col, term, tf, pos in rows:
        per_chunk[cid][col][term] = (tf, pos)
        lengths[cid] = ntok
    singles = [p for p in phrases if len(p) == 1]
    multi = [p for p in phrases if len(p) > 1]
    hits: dict[str, dict[tuple[str, ...], int]] = {}
    df: Counter = Counter()
    for cid, cols in per_chunk.items():
        h: dict[tuple[str, ...], int] = {}
        for p in singles:
            n = sum(c[p[0]][0] for c in cols.values() if p[0] in c)
            if n:
                h[p] = n
        for p in multi:
            n = sum(phrase_hits(p, {t: v[1] or [] for t, v in c.items()}) for c in cols.values())
            if n:
                h[p] = n
        for p in h:
            df[p] += 1
        if h:
            hits[cid] = h
    idf = {p: max(math.log((n_rows - n + 0.5) / (n + 0.5)), 1e-6) for p, n in df.items()}
    avg = avg_len or 1.0
    scored = []
    for cid, h in hits.items():
        norm = K1 * (1 - B + B * lengths[cid] / avg)
        scored.append((-sum(idf[p] * (tf * (K1 + 1)) / (tf + norm) for p, tf in h.items()), cid))
    scored.sort()
    return [(cid, s) for s, cid in scored[:limit]]
