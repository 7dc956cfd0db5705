"""The directive and results index: find extracted document references and figures.

Used by `danvan lookup`, the app's "Tra cứu" tab, and the `lookup` answer mode (index first).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from vectorstore.catalogue import Catalogue
from vntext.doctypes import TYPE_KEYS  # also imported from here by app.py
from vntext.normalize import folded_form, tokens


NUMBER_QUERY_RE = re.compile(r"\d+(?:[/-]\w+)+")  # a document number typed alone: "75/2015", "20-CT/ThU"


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
                 figure: str | None = None, refs: list[str] | None = None, limit: int = 200,
                 scope: Any = None) -> list[FactHit]:
    """Facts matching a free-text query (number, words), a type (chi-thi…) or a figure's counted noun,
    of the documents in ``scope`` (collections; None = all), filtered in the catalogue's query."""
    facts = cat.facts(kind, scope)
    q_terms = set(tokens(folded_form(query))) if query else set()
    fig_terms = set(tokens(folded_form(figure))) if figure else set()
    want_type = TYPE_KEYS.get(type_key or "", type_key)
    number_query = bool(query and NUMBER_QUERY_RE.fullmatch(query.strip()))
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
            elif not common or number_query:  # "75/2015" is that document, not every figure of 2015
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


# --------------------------------------------------------------------------- #
# One row per thing found: what a figure counts, where and when; one row per document reference
# --------------------------------------------------------------------------- #

KIND_LABELS = {"document_ref": "Văn bản", "figure": "Số liệu", "period": "Nhiệm kỳ / giai đoạn",
               "role": "Chức danh"}


def _join(*xs: Any) -> str:
    return " ".join(str(x) for x in xs if x not in (None, "", []))


def fact_value(kind: str, f: dict[str, Any]) -> tuple[str, str]:
    """(number or value, what it is: the subject of a document, what a figure counts) for one fact."""
    if kind == "document_ref":
        return _join(f.get("doc_type"), f.get("number")), _join(
            f.get("subject"), f"({f['issuer']})" if f.get("issuer") else "", f.get("date"))
    if kind == "figure":
        counts = f.get("counts") or ""
        what = counts if f.get("unit") and counts.startswith(f["unit"]) else _join(f.get("unit"), counts)
        return _join(f.get("qualifier"), f.get("value")), what
    if kind == "period":
        return f"{f.get('start')}–{f.get('end')}", _join(f.get("label"))
    if kind == "role":
        return _join(f.get("person")), _join(f.get("position"))
    return "", _join(*f.values())


_CLAUSE_END = re.compile(r"[.;:()\n]|,(?=\s)")
MAX_CONTEXT = 160  # characters of the clause shown around a fact


def fact_context(passage: str, text: str) -> str:
    """The clause of ``passage`` that holds ``text`` ("Trên lĩnh vực kinh tế có 19 mô hình"): what a bare figure
    counts, in the document's words; ``text`` itself when it is not found."""
    found = re.search(rf"(?<!\w){re.escape(text)}(?!\w)", passage or "") if text else None
    if not found:
        return text or ""
    i = found.start()
    starts = [m.end() for m in _CLAUSE_END.finditer(passage, 0, i)]
    start = starts[-1] if starts else 0
    m = _CLAUSE_END.search(passage, i + len(text))
    end = m.start() if m else len(passage)
    clause = passage[start:end].strip()
    if len(clause) > MAX_CONTEXT:  # a window around the text, cut between words
        a = max(start, i - max(0, (MAX_CONTEXT - len(text)) // 2))  # never after the text's own start
        b = min(end, a + MAX_CONTEXT)
        if a > start and not passage[a - 1].isspace():
            space = passage.find(" ", a, i)
            a = space + 1 if space >= 0 else a
        if b < end and not passage[b].isspace():
            cut = passage.rfind(" ", a, b)
            b = cut if cut > a else b
        clause = (("…" if passage[start:a].strip() else "") + passage[a:b].strip()
                  + ("…" if passage[b:end].strip() else ""))
    return clause


@dataclass
class FactRow:
    """One row of the lookup table: a fact with its mentions across passages and documents merged."""
    kind: str
    value: str
    subject: str
    place: str
    year: str
    text: str  # the first mention, verbatim
    hits: list[FactHit] = field(default_factory=list)

    @property
    def mentions(self) -> int:
        return len(self.hits)

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(h.source for h in self.hits))


def _row_key(hit: FactHit, value: str, subject: str) -> tuple:
    f = hit.fields or {}
    if hit.kind == "document_ref":
        return ("document_ref", _num_key(f.get("number") or hit.text))
    if hit.kind == "figure":
        return ("figure", value, folded_form(subject), folded_form(f.get("place") or ""), str(f.get("year") or ""))
    return (hit.kind, folded_form(value), folded_form(subject))


def _place_and_year(hit: FactHit) -> tuple[str, str]:
    """A figure's place and year: as extracted, else the place its title or passage names (a local report
    speaks of one place) and the year its title names; empty when nothing says."""
    from assistant.understand.query import YEAR_RE, place_phrases
    f = hit.fields or {}
    if hit.kind != "figure":
        return str(f.get("place") or ""), str(f.get("year") or "")
    place = f.get("place") or next((p for p, name in place_phrases(f"{hit.title or ''}\n{hit.passage or ''}")
                                    if folded_form(name) != "viet nam"), "")  # not "(Thông tấn) xã Việt Nam"
    year = f.get("year") or next(iter(YEAR_RE.findall(hit.title or "")), "")
    return str(place), str(year)


def group_facts(hits: list[FactHit]) -> list[FactRow]:
    """Hits → rows, in the order of their best hit: every mention of one document reference is one row
    (with its count of mentions); a figure is one row per value, counted thing, place and year."""
    rows: dict[tuple, FactRow] = {}
    for hit in hits:
        f = hit.fields or {}
        value, subject = fact_value(hit.kind, f)
        key = _row_key(hit, value, subject)
        row = rows.get(key)
        if row is None:
            place, year = _place_and_year(hit)
            row = rows[key] = FactRow(kind=hit.kind, value=value, subject=subject, place=place, year=year,
                                      text=fact_context(hit.passage, hit.text))
        elif len(subject) > len(row.subject):  # the fullest description of a reference wins
            row.subject = subject
        row.hits.append(hit)
    return _merge_same_figures(list(rows.values()))


def _merge_same_figures(rows: list[FactRow]) -> list[FactRow]:
    """One row for one figure that a document writes twice, once more fully ("400 đại biểu điển hình tiên
    tiến", then "400 điển hình tiên tiến"): same value, place, year and document, one description ending the
    other's. The fuller description is kept."""
    out: list[FactRow] = []
    for row in rows:
        same = next((r for r in out if row.kind == r.kind == "figure" and (r.value, r.place, r.year) ==
                     (row.value, row.place, row.year) and set(r.sources) == set(row.sources) and
                     _one_ends_other(folded_form(r.subject), folded_form(row.subject))), None)
        if same is None:
            out.append(row)
            continue
        if len(row.subject) > len(same.subject):
            same.subject = row.subject
        same.hits.extend(row.hits)
    return out


def _one_ends_other(a: str, b: str) -> bool:
    short, long = sorted((a.strip(), b.strip()), key=len)
    return bool(short) and (long == short or long.endswith(" " + short))
