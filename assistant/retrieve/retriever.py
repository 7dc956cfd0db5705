"""Hybrid retrieval: dense (Chroma) + lexical (SQLite FTS5, accented and accent-folded) + the
directive/results index, fused by reciprocal rank fusion; near-duplicate passages collapsed.

Only chunks present in the catalogue are returned, so a document being ingested is invisible
until its transaction commits.
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from typing import Any, Iterable

from assistant.understand.constraint_match import meets
from assistant.retrieve.lookup import search_facts
from assistant.understand.query import QueryInfo
from assistant.types import Passage
from vntext.shingles import shingles
from vntext import drop_keys, pair_token
from vectorstore.scope import in_scope
from vectorstore.store import Store

RRF_K = 60
W_NAME_PHRASE = 2.0  # RRF weight of passages holding a name the question gives in full: only they can answer (train split
# with the public questions asked of the seeds + law + news store: at 3.0 twenty news passages that merely name
# "Hà Tĩnh" outranked the congress report both other lists put second; 2.0 keeps those 14/14, train loses 1 of 254)
ARTICLE_CANDIDATES = 200  # passages of the articles bearing a number the question names, before the instrument filter


@dataclass
class Filters:
    """Optional narrowing: ISO date range, outlet/place substring, document ids or sources."""
    date_from: str | None = None  # yyyy-mm-dd
    date_to: str | None = None
    outlet: str | None = None
    documents: list[str] = field(default_factory=list)
    include_undated: bool = False  # with a date range: keep documents that state no date

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
               timings: dict[str, float] | None = None, scope: Iterable[str] | None = None) -> list[Passage]:
        """``scope``: the collections the asker may read (None = all); every list below is drawn from
        them inside its query (SQL WHERE, Chroma where), so nothing else can take a rank."""
        timings = timings if timings is not None else {}
        scope = None if scope is None else frozenset(scope)
        cat = self.store.catalogue
        lists: list[tuple[float, list[str]]] = []
        n = self.n_candidates * (3 if filters and filters.active() else 1)

        # The query embedding (C code, GIL released) and the Chroma query run in a worker thread while
        # this thread runs the SQLite searches: a question costs max(dense, lexical), not their sum.
        dense_job = _workers().submit(self._dense, q.dense_text or q.text, n, scope) if cat.has_chunks() else None
        if dense_job is not None:
            self.store.open_search()  # here, while the worker embeds: the first question of a process opens it

        t = time.perf_counter()
        folded_terms, pairs = lexical_tokens(cat, q.terms + q.lexical_extra, q.bigrams)
        keep = set(folded_terms)
        lex = [i for i, _ in cat.lexical_search_folded([_fts_term(w) for w in folded_terms],
                                                       [_fts_term(p) for p in pairs], n, scope)]
        lists.append((1.0, lex))
        if q.accented:
            from vntext import fold_accents, tokens
            exact_terms = [w for w in tokens(q.search) if len(w) > 1]
            exact_bi: list[str] = []
            if cat.chunk_count() < cat.exact_phrases_max:  # and phrases (a property of each catalogue)
                exact_bi = [f"{a} {b}" for a, b in zip(exact_terms, exact_terms[1:])]
            else:  # large one: the accents of the selective syllables only (phrases would scan long lists)
                exact_terms = [w for w in exact_terms if fold_accents(w) in keep]
            if exact_terms:
                lists.append((0.5, [i for i, _ in cat.lexical_search(lexical_query(exact_terms, exact_bi), "exact", n, scope)]))
        for ref in q.refs:
            phrase = " ".join(ref.replace("-", " ").replace("/", " ").split())
            lists.append((1.5, [i for i, _ in cat.lexical_search(_fts_term(phrase), "folded", 20, scope)]))
        for name in selective_names(cat, q):  # a full name is the most selective thing a question holds
            lists.append((W_NAME_PHRASE, [i for i, _ in cat.lexical_search(_fts_term(name), "folded", 20, scope)]))
        timings["lexical"] = (time.perf_counter() - t) * 1000

        dense_ids: list[str] = []
        if dense_job is not None:
            t = time.perf_counter()
            dense_ids, dense_timings = dense_job.result()
            timings.update(dense_timings)
            timings["dense_wait"] = (time.perf_counter() - t) * 1000
        lists.insert(0, (1.0, dense_ids))  # list 0 is the dense one (Passage.dense_rank)

        t = time.perf_counter()
        fact_texts: dict[str, list[str]] = {}
        lists += self._index_lists(q, fact_texts, scope)
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
        kept_shingles: list[frozenset[int]] = []
        for cid in ordered:
            c = chunks.get(cid)
            d = docs.get(c.doc_id) if c else None
            if not c or not d or not _passes(d, filters) or not in_scope(d.collection, scope):
                continue
            text = drop_keys(c.text, boiler)
            sh = _passage_shingles(text)
            if any(_jaccard(sh, other) > 0.7 for other in kept_shingles):
                continue  # the same passage from a reposted copy
            kept_shingles.append(sh)
            out.append(_passage(c, d, text, boiler, fact_texts.get(cid, []), scores[cid], ranks[cid]))
            if len(out) >= k:
                break
        timings["fuse"] = (time.perf_counter() - t) * 1000
        return out

    def _index_lists(self, q: QueryInfo, fact_texts: dict[str, list[str]],
                     scope: frozenset[str] | None = None) -> list[tuple[float, list[str]]]:
        """Ranked lists from the directive index and the legal articles' recorded numbers."""
        cat = self.store.catalogue
        lists: list[tuple[float, list[str]]] = []
        if q.refs:
            hits = search_facts(cat, kind="document_ref", refs=q.refs, limit=20, scope=scope)
            lists.append((2.0, list(dict.fromkeys(h.chunk_id for h in hits))))
            for h in hits:
                fact_texts.setdefault(h.chunk_id, []).append(h.text)
        docs_named = [n for n in q.needs if n.kind == "document"]
        for need in (n for n in q.needs if n.kind == "article"):  # "Điều 32 Luật số 10/2022/QH15": by its number
            hits = cat.chunks_of_article(f"Điều {need.keys[0].split()[-1]}", ARTICLE_CANDIDATES, scope)
            lists.append((2.0, [cid for cid, instrument in hits
                                if not docs_named or any(meets(d, instrument) for d in docs_named)]))
        return lists

    def whole_documents(self, passages: list[Passage], doc_ids: list[str],
                        scope: Iterable[str] | None = None) -> list[Passage]:
        """The passages plus every other passage of the named documents (after them, in document order): a
        question that names a document or a legal article by number is answered from all of it, not from
        the one passage that happened to rank."""
        cat = self.store.catalogue
        have = {p.chunk_id for p in passages}
        docs = {i: d for i, d in cat.documents_by_ids(doc_ids).items() if in_scope(d.collection, scope)}
        boiler = cat.boilerplate()
        out = list(passages)
        for doc_id in doc_ids:
            d = docs.get(doc_id)
            for c in cat.chunks_of(doc_id) if d else []:
                if c.chunk_id not in have and len(out) < len(passages) + WHOLE_DOCUMENT_MAX_EXTRA:
                    out.append(_passage(c, d, drop_keys(c.text, boiler), boiler, [], 0.0, {}))
                    have.add(c.chunk_id)
        return out

    def _dense(self, text: str, n: int, scope: frozenset[str] | None = None) -> tuple[list[str], dict[str, float]]:
        return self.store.dense_search(text, n, scope)  # each passage by its best vector (e5, else static)


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _workers() -> ThreadPoolExecutor:
    """One small pool per process for the dense half of each question (the app asks concurrently)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="danvan-dense")
        return _POOL


COMMON_SHARE = 0.08  # a syllable in more than this share of passages is left to the phrases
COMMON_MIN_COLLECTION = 2000
# Past a catalogue's ``exact_phrases_max`` passages (SQLite 20,000; PostgreSQL 2,000: its postings cost more per
# common token than FTS5's) the accented list keeps the selective syllables, no phrases.


POSTINGS_BUDGET = 10000  # passages one folded query may score, summed over its tokens


def lexical_tokens(cat: Any, terms: list[str], bigrams: list[str]) -> tuple[list[str], list[str]]:
    """The syllables and syllable-pair tokens of the folded query.

    FTS5 scores every passage that holds any token of an OR query, so its cost is the sum of the
    tokens' posting lists: at 100k passages a question of ordinary words ("công tác", "cơ quan",
    "năm 2021") reaches 30–45k postings (≈100 ms). Tokens are taken rarest first until their lists
    add up to POSTINGS_BUDGET: the rare ones decide BM25's top ranks anyway, and the dense list is
    fused in. Collections under COMMON_MIN_COLLECTION keep every token (never near the budget)."""
    folded_terms = selective_terms(cat, terms)
    pairs = [pair_token(b) for b in bigrams]
    if cat.chunk_count() < COMMON_MIN_COLLECTION:
        return folded_terms, pairs
    candidates = list(dict.fromkeys(folded_terms + pairs))
    df = cat.term_document_counts(candidates)
    kept: set[str] = set()
    spent = 0
    for tok in sorted(candidates, key=lambda t: df.get(t, 0)):
        if spent + df.get(tok, 0) > POSTINGS_BUDGET and len(kept) >= 2:
            break
        kept.add(tok)
        spent += df.get(tok, 0)
    return [t for t in folded_terms if t in kept], [p for p in pairs if p in kept]


NAME_PHRASE_MAX_SHARE = 0.01  # a name in more passages than this ("Việt Nam") selects nothing (train split)


def selective_names(cat: Any, q: QueryInfo) -> list[str]:
    """Names and places of two or more syllables that few passages hold (estimated by the rarest of
    their syllable pairs)."""
    names = [n.keys[0] for n in q.needs if n.kind in ("name", "place") and len(n.keys[0].split()) >= 2]
    if not names:
        return []
    out = []
    limit = max(1, NAME_PHRASE_MAX_SHARE * cat.chunk_count())
    for name in names:
        words = name.split()
        pairs = [pair_token(f"{a} {b}") for a, b in zip(words, words[1:])]
        df = cat.term_document_counts(pairs)
        if min(df.get(t, 0) for t in pairs) <= limit:
            out.append(name)
    return out


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


@lru_cache(maxsize=4096)
def _passage_shingles(text: str) -> frozenset[int]:
    """Word 5-gram hashes of a passage, cached (≈1 ms each; the same passages return often)."""
    return frozenset(shingles(text))


def _jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


WHOLE_DOCUMENT_MAX_EXTRA = 12  # passages a named document may add (a long legal article has ~5)


def _passage(c: Any, d: Any, text: str, boiler: Any, facts: list[str], score: float, ranks: dict[str, int]) -> Passage:
    return Passage(chunk_id=c.chunk_id, doc_id=d.doc_id, source=d.source, title=d.title, text=text,
                   position=c.position, heading=drop_keys(c.heading, boiler), outlet=d.outlet, date=d.date,
                   meta={"kind": d.kind, "instrument": d.instrument, "article": d.article,
                         "effective_date": d.effective_date, "date_iso": d.date_iso, "places": d.places,
                         "year": getattr(d, "year", None),
                         "facts": facts},
                   score=score, dense_rank=ranks.get("0"), lexical_rank=ranks.get("1"), page=c.page, ocr=c.ocr)


def _passes(doc: Any, filters: Filters | None) -> bool:
    if not filters or not filters.active():
        return True
    if filters.documents and doc.doc_id not in filters.documents and doc.source not in filters.documents:
        return False
    if filters.outlet:
        from vntext import folded_form
        hay = folded_form(f"{doc.outlet or ''} {doc.title or ''} {doc.source}")
        if folded_form(filters.outlet) not in hay:
            return False
    if filters.date_from or filters.date_to:
        if not doc.date_iso:
            return filters.include_undated
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
