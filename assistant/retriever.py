"""Hybrid retrieval: dense (Chroma) + lexical (SQLite FTS5, accented and accent-folded) + the
directive/results index, fused by reciprocal rank fusion; near-duplicate passages collapsed.

Only chunks present in the catalogue are returned, so a document being ingested is invisible
until its transaction commits.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.lookup import search_facts
from assistant.query import QueryInfo
from assistant.types import Passage
from ingest.dedupe import shingles
from vectorstore.catalogue import drop_keys
from vectorstore.store import Store

RRF_K = 60


@dataclass
class Filters:
    """Optional narrowing: ISO date range, outlet/place substring, document ids or sources."""
    date_from: str | None = None  # yyyy-mm-dd
    date_to: str | None = None
    outlet: str | None = None
    documents: list[str] = field(default_factory=list)

    def active(self) -> bool:
        return bool(self.date_from or self.date_to or self.outlet or self.documents)


def _fts_term(t: str) -> str:
    return '"' + t.replace('"', "") + '"'


def lexical_query(terms: list[str], phrases: list[str]) -> str:
    parts = [_fts_term(t) for t in terms] + [_fts_term(p) for p in phrases]
    return " OR ".join(dict.fromkeys(parts))


class HybridSearch:
    """Ranks passages for a question. Library code: returns data, prints nothing."""

    def __init__(self, store: Store, n_candidates: int = 40):
        self.store = store
        self.n_candidates = n_candidates

    def search(self, q: QueryInfo, k: int = 8, filters: Filters | None = None,
               timings: dict[str, float] | None = None) -> list[Passage]:
        timings = timings if timings is not None else {}
        cat = self.store.catalogue
        lists: list[tuple[float, list[str]]] = []
        n = self.n_candidates * (3 if filters and filters.active() else 1)

        t = time.perf_counter()
        dense_ids: list[str] = []
        if cat.has_chunks():
            vec = self.store.embeddings.embed_query(q.text)
            timings["embed_query"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            dense_ids = [i for i, _ in self.store.index.query(vec, n)]
        timings["dense"] = (time.perf_counter() - t) * 1000
        lists.append((1.0, dense_ids))

        t = time.perf_counter()
        folded_terms = selective_terms(cat, q.terms)
        keep = set(folded_terms)
        bigrams = q.bigrams
        if cat.chunk_count() >= PHRASE_PRUNE_MIN_COLLECTION:
            # at this size a word pair of two very common syllables costs a scan of both posting lists
            # (≈0.5 s at 100k passages); dense retrieval carries those questions
            bigrams = [b for b in q.bigrams if set(b.split()) & keep]
        lex = [i for i, _ in cat.lexical_search(lexical_query(folded_terms, bigrams), "folded", n)]
        lists.append((1.0, lex))
        if q.accented:
            from ingest.text import fold_accents, tokens
            exact_terms = [w for w in tokens(q.search) if len(w) > 1 and fold_accents(w) in keep]
            if bigrams is q.bigrams:  # small collection: the accented query keeps every syllable
                exact_terms = [w for w in tokens(q.search) if len(w) > 1]
            exact_bi = [f"{a} {b}" for a, b in zip(exact_terms, exact_terms[1:])]
            if exact_terms:
                lists.append((0.5, [i for i, _ in cat.lexical_search(lexical_query(exact_terms, exact_bi), "exact", n)]))
        for ref in q.refs:
            phrase = " ".join(ref.replace("-", " ").replace("/", " ").split())
            lists.append((1.5, [i for i, _ in cat.lexical_search(_fts_term(phrase), "folded", 20)]))
        timings["lexical"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        fact_texts: dict[str, list[str]] = {}
        if q.refs:
            hits = search_facts(cat, kind="document_ref", refs=q.refs, limit=20)
            lists.append((2.0, list(dict.fromkeys(h.chunk_id for h in hits))))
            for h in hits:
                fact_texts.setdefault(h.chunk_id, []).append(h.text)
        timings["index"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        scores: dict[str, float] = {}
        ranks: dict[str, dict[str, int]] = {}
        for li, (weight, ids) in enumerate(lists):
            for rank, cid in enumerate(ids):
                scores[cid] = scores.get(cid, 0.0) + weight / (RRF_K + rank + 1)
                ranks.setdefault(cid, {})[str(li)] = rank + 1
        ordered = sorted(scores, key=lambda c: -scores[c])[: max(3 * k, 30)]
        chunks = cat.chunks_by_ids(ordered)
        docs = cat.documents_by_ids(c.doc_id for c in chunks.values())
        boiler = cat.boilerplate()
        out: list[Passage] = []
        kept_shingles: list[set[int]] = []
        for cid in ordered:
            c = chunks.get(cid)
            d = docs.get(c.doc_id) if c else None
            if not c or not d or not _passes(d, filters):
                continue
            text = drop_keys(c.text, boiler)
            sh = shingles(text)
            if any(_jaccard(sh, other) > 0.7 for other in kept_shingles):
                continue  # the same passage from a reposted copy
            kept_shingles.append(sh)
            out.append(Passage(
                chunk_id=cid, doc_id=d.doc_id, source=d.source, title=d.title, text=text, position=c.position,
                heading=drop_keys(c.heading, boiler), outlet=d.outlet, date=d.date,
                meta={"kind": d.kind, "instrument": d.instrument, "article": d.article,
                      "effective_date": d.effective_date, "date_iso": d.date_iso,
                      "facts": fact_texts.get(cid, [])},
                score=scores[cid], dense_rank=ranks[cid].get("0"), lexical_rank=ranks[cid].get("1")))
            if len(out) >= k:
                break
        timings["fuse"] = (time.perf_counter() - t) * 1000
        return out


COMMON_SHARE = 0.08  # a syllable in more than this share of passages is left to the phrases
COMMON_MIN_COLLECTION = 2000
PHRASE_PRUNE_MIN_COLLECTION = 20000


def selective_terms(cat: Any, terms: list[str]) -> list[str]:
    """Single syllables worth an OR clause. In a large collection, syllables such as "dan", "cong",
    "nam" match most passages: BM25 would rank them all for nothing. They still count inside the
    bigram phrases ("dan van", "cong tac"), which keep the query's meaning."""
    total = cat.chunk_count()
    if total < COMMON_MIN_COLLECTION or not terms:
        return terms
    df = cat.term_document_counts(terms)
    kept = [t for t in terms if df.get(t, 0) <= COMMON_SHARE * total]
    return kept or sorted(terms, key=lambda t: df.get(t, 0))[:2]


def _jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _passes(doc: Any, filters: Filters | None) -> bool:
    if not filters or not filters.active():
        return True
    if filters.documents and doc.doc_id not in filters.documents and doc.source not in filters.documents:
        return False
    if filters.outlet:
        from ingest.text import folded_form
        hay = folded_form(f"{doc.outlet or ''} {doc.title or ''} {doc.source}")
        if folded_form(filters.outlet) not in hay:
            return False
    if filters.date_from or filters.date_to:
        if not doc.date_iso:
            return False
        if filters.date_from and doc.date_iso < filters.date_from:
            return False
        if filters.date_to and doc.date_iso > filters.date_to:
            return False
    return True


def parse_date(value: str | None) -> str | None:
    """dd/mm/yyyy or yyyy-mm-dd → yyyy-mm-dd (None when empty)."""
    if not value:
        return None
    value = value.strip()
    if "/" in value:
        d, m, y = value.split("/")
        return date(int(y), int(m), int(d)).isoformat()
    return date.fromisoformat(value).isoformat()
