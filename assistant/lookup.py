"""The directive and results index: find extracted document references and figures.

Used by `danvan lookup`, the app's "Tra cứu" tab, and the `lookup` answer mode (index first).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from vectorstore.catalogue import Catalogue
from vntext.doctypes import TYPE_KEYS  # also imported from here by app.py
from vntext.normalize import folded_form, tokens


@dataclass
class FactHit:
    kind: str
    text: str
    fields: dict[str, Any]
    chunk_id: str
    doc_id: str
    source: str
    title: str
    passage: str
    score: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@lru_cache(maxsize=65536)
def _num_key(s: str) -> str:
    return folded_form(s).replace(" ", "")


@lru_cache(maxsize=65536)
def _folded(s: str) -> str:
    """folded_form, cached: the same document types and numbers come back for every fact and question."""
    return folded_form(s)


def ref_matches(ref: str, fact: dict[str, Any]) -> float:
    """How well a folded query reference ("20-ct/thu", "nghị quyết 01", "59/2023") names a document_ref fact."""
    f = fact["fields"]
    number = _num_key(f.get("number") or "")
    ref_f = _folded(ref)
    doc_type = _folded(f.get("doc_type") or "")
    parts = ref_f.rsplit(" ", 1)
    if len(parts) == 2 and not parts[0][:1].isdigit():  # typed: "nghi quyet 01"
        rtype, rnum = parts
        if doc_type and rtype != doc_type:
            return 0.0
    else:
        rnum = ref_f
    rnum = rnum.replace(" ", "")
    if not number or not rnum:
        return 0.0
    if number == rnum:
        return 1.0
    if number.startswith(rnum) and not number[len(rnum):len(rnum) + 1].isdigit():
        return 0.8
    return 0.0


def search_facts(cat: Catalogue, query: str | None = None, kind: str | None = None, type_key: str | None = None,
                 figure: str | None = None, refs: list[str] | None = None, limit: int = 200) -> list[FactHit]:
    """Facts matching a free-text query (number, words), a type (chi-thi…) or a figure's counted noun."""
    facts = cat.facts(kind)
    q_terms = set(tokens(folded_form(query))) if query else set()
    fig_terms = set(tokens(folded_form(figure))) if figure else set()
    want_type = TYPE_KEYS.get(type_key or "", type_key)
    hits: list[tuple[float, dict]] = []
    for fact in facts:
        f = fact["fields"]
        score = 0.0
        if want_type:
            if fact["kind"] != "document_ref" or folded_form(f.get("doc_type") or "") != folded_form(want_type):
                continue
            score += 1.0
        if figure is not None:
            if fact["kind"] != "figure":
                continue
            counted = set(tokens(folded_form(f"{f.get('unit') or ''} {f.get('counts') or ''}")))
            if fig_terms and not fig_terms <= counted | set(tokens(folded_form(fact["text"]))):
                continue
            score += 1.0
        if refs:
            best = max((ref_matches(r, fact) for r in refs), default=0.0) if fact["kind"] == "document_ref" else 0.0
            if best == 0:
                continue
            score += 2 * best
        if query and not refs:
            text_f = folded_form(fact["text"] + " " + " ".join(str(v) for v in f.values() if v))
            ftoks = set(tokens(text_f))
            common = q_terms & ftoks
            qkey = _num_key(query)
            if qkey and qkey in text_f.replace(" ", ""):
                score += 2.0
            elif not common:
                continue
            score += len(common) / max(1, len(q_terms))
        hits.append((score, fact))
    hits.sort(key=lambda x: -x[0])
    seen: set[tuple] = set()
    unique = []
    for score, fact in hits:  # overlapping passages repeat a fact: keep it once per document
        key = (fact["doc_id"], fact["kind"], fact["text"])
        if key not in seen:
            seen.add(key)
            unique.append((score, fact))
    hits = unique[:limit]
    chunks = cat.chunks_by_ids(h[1]["chunk_id"] for h in hits)
    docs = cat.documents_by_ids(h[1]["doc_id"] for h in hits)
    out = []
    for score, fact in hits:
        c = chunks.get(fact["chunk_id"])
        d = docs.get(fact["doc_id"])
        if not c or not d:
            continue
        out.append(FactHit(kind=fact["kind"], text=fact["text"], fields=fact["fields"], chunk_id=fact["chunk_id"],
                           doc_id=fact["doc_id"], source=d.source, title=d.title, passage=c.text, score=score))
    return out
