"""The lexical index on PostgreSQL: our own tokens in ``tsvector`` columns, FTS5's BM25 computed here.

Why not ``to_tsvector('simple', …)``: PostgreSQL's parser has its own token types (a file path
``15/2020/nd-cp`` or a hyphenated word ``nd-cp`` become extra tokens, ``dan_van`` splits at ``_``), so
the tokens would differ from SQLite FTS5's ``unicode61`` ones. The text is already folded in Python
(``catalogue.lexical_text``: accents, ``đ``, tone placement, syllable pairs); here it is split the way
``unicode61`` splits it and written as a ``tsvector`` literal with positions — the same thing as the
``simple`` configuration over pre-tokenised text, minus the parser's surprises. A GIN index on each
column finds the candidates (``@@`` with ``|`` and ``<->`` for phrases); the positions of the query's
tokens come back with them and BM25 is computed as FTS5's ``bm25()`` does (k1 1.2, b 0.75, the row's
token count over all columns as its length), so rankings match the embedded profile's.
bench/lexical_pg.py measured this against ``pg_trgm`` (its docstring has the numbers).
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Iterable

TOKEN = re.compile(r"\w+")  # unicode61 with tokenchars '_': runs of letters, digits and '_'
MAX_POS = 16383  # tsvector positions stop here
K1, B = 1.2, 0.75


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def tsvector_literal(toks: list[str]) -> str:
    """``'tok':1,5 'other':2`` — positions 1-based, as PostgreSQL's ``simple`` configuration would give."""
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


def bm25(rows: Iterable[tuple[str, int, str, str, list[int]]], phrases: list[tuple[str, ...]],
         n_rows: int, avg_len: float, limit: int) -> list[tuple[str, float]]:
    """Rank ``(chunk_id, row_length, column, lexeme, positions)`` rows like FTS5's bm25(): a phrase's
    hits are summed over the searched columns; returns (chunk_id, negative score) best first."""
    per_chunk: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(lambda: defaultdict(dict))
    lengths: dict[str, int] = {}
    for cid, length, col, lexeme, pos in rows:
        per_chunk[cid][col][lexeme] = pos
        lengths[cid] = length
    hits: dict[str, Counter] = {}
    df: Counter = Counter()
    for cid, cols in per_chunk.items():
        h: Counter = Counter()
        for p in phrases:
            n = sum(phrase_hits(p, positions) for positions in cols.values())
            if n:
                h[p] = n
                df[p] += 1
        if h:
            hits[cid] = h
    idf = {p: max(math.log((n_rows - n + 0.5) / (n + 0.5)), 1e-6) for p, n in df.items()}
    avg = avg_len or 1.0
    scored = []
    for cid, h in hits.items():
        norm = K1 * (1 - B + B * lengths[cid] / avg)
        s = sum(idf[p] * (tf * (K1 + 1)) / (tf + norm) for p, tf in h.items())
        scored.append((-s, cid))
    scored.sort()
    return [(cid, s) for s, cid in scored[:limit]]
