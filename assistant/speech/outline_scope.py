"""Where and when an outline's material holds: the place a document is about, a figure's place and year, the
place and period a speech asks for (issue 29, item 3: a place's speech uses its own figures)."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from assistant.understand.query import YEAR_RE as _YEAR_RE, place_phrases
from assistant.speech.speech_frame import find_place, org_preceded
from assistant.types import Passage
from ingest.extract import extract_facts
from vntext import folded_form, tokens
from vntext.vocab import ADMIN_UNITS, CITY_ABBR, VILLAGE_UNITS, folded, pick, without

# Vietnamese place names are mostly two syllables ("Cẩm Xuyên", "Hồng Lĩnh").
PLACE_NAME_WORDS = 2


def _legal(p: Passage) -> bool:
    return bool(p.meta.get("instrument") or p.meta.get("article"))


def _figure_of(point: str) -> tuple[str, dict] | None:
    """The first count the point gives (not a year, not a date), with its place and year fields."""
    for fact in extract_facts(point):
        if fact.kind != "figure":
            continue
        value = str(fact.fields.get("value") or "")
        if _YEAR_RE.fullmatch(value):
            continue
        return fact.text, fact.fields
    return None


def _doc_year(p: Passage) -> str:
    m = _YEAR_RE.search(p.date or "") or _YEAR_RE.search(str(p.meta.get("date_iso") or ""))
    return m.group(1) if m else ""


@lru_cache(maxsize=256)
def document_place(doc_text: str) -> str:
    """The place a document is mostly about ("huyện Cẩm Xuyên"): its most named place phrase, the
    name cut to PLACE_NAME_WORDS words (a name runs into the next sentence's capitalised word)."""
    counts: Counter[str] = Counter()
    for phrase, name in place_phrases(doc_text):
        kind = phrase[:len(phrase) - len(name)].strip()
        words_ = name.split("\n")[0].split()[:PLACE_NAME_WORDS]
        if "\n" in kind or not words_ or not all(w[:1].isupper() for w in words_):
            continue
        shown = kind if kind[:2].isupper() else kind.lower()  # "Huyện" at a sentence start → "huyện"
        # two words as written on one line ("huyện Cẩm Xuyên"); else an abbreviation alone ("TP. HCM")
        written = f"{kind} {' '.join(words_)}"
        if all(org_preceded(doc_text, m.start()) for m in re.finditer(re.escape(written), doc_text)) \
                and written in doc_text:
            continue  # "Thông tấn xã Việt Nam": an organisation's name, not a place the document is about
        if len(words_) >= PLACE_NAME_WORDS and written in doc_text:
            counts[f"{shown} {' '.join(words_)}"] += 1
        elif words_[0].isupper():
            counts[f"{shown} {words_[0]}"] += 1
    return counts.most_common(1)[0][0] if counts else ""


# A count of administrative units: the figure spans many places, so no single place of the document is its own.
# Counted units: not "thành phố", "thị xã" (few enough to be named); "thôn", "bản", "địa phương", "đơn vị" too.
_COUNTED_UNITS = (without(ADMIN_UNITS, "thành phố", CITY_ABBR, "thị xã") + pick(VILLAGE_UNITS, "thôn", "bản")
                  + ("địa phương", "đơn vị"))
MANY_PLACES_RE = re.compile(rf"\d[\d.,]*\s+(?:{'|'.join(_COUNTED_UNITS)})\b", re.IGNORECASE)


def _place_year_label(point: str, fields: dict, p: Passage, doc_text: str) -> str:
    """"huyện Cẩm Xuyên, 2021": where and when the figure holds, said only when the point does not say it."""
    page_places = str((p.meta or {}).get("places") or "").split("; ")[0]  # a portal's own town (ingest/metadata.py)
    place = str(fields.get("place") or "")
    if not place and not MANY_PLACES_RE.search(point):  # "123 xã thuộc 18 huyện": no one place's figure
        place = document_place(doc_text) or page_places
    year = str(fields.get("year") or "") or _doc_year(p)
    parts = [x for x in (place, year) if x and _name_of(x) not in folded_form(point)]
    return ", ".join(parts)


# A figure of a wider or other scope than a place's own ("ở cấp Trung ương", "cả nước", "toàn quốc").
WIDER_SCOPE_RE = re.compile(r"\b(trung uong|ca nuoc|toan quoc|tren toan the gioi)\b")


def _figure_here(point: str, fields: dict, doc_text: str, place: str) -> bool:
    """Whether a figure holds for the place asked: the place the figure, its sentence or its document names is
    that place, and the sentence names no wider scope."""
    if WIDER_SCOPE_RE.search(folded_form(point)):
        return False
    said = f" {' '.join(tokens(folded_form(point)))} "
    at, first_number = said.find(f" {' '.join(tokens(_name_of(place)))} "), re.search(r"\d", said)
    if at >= 0 and first_number and at < first_number.start():
        return True  # "Nghĩa trang liệt sỹ Quốc gia Vị Xuyên, tỉnh Hà Giang hiện có 1.756 ngôi mộ": the place, then its figure
    found = find_place(point)
    where = str(fields.get("place") or "") or (found[0] if found else "") or document_place(doc_text)
    return not where or _name_of(place) in _name_of(where) or _name_of(where) in _name_of(place)


def _name_of(place: str) -> str:
    """"huyện Cẩm Xuyên" → "cam xuyen": the name without its administrative word, folded."""
    folded = folded_form(place)
    return _UNIT_HEAD_RE.sub("", folded)


_UNIT_HEAD_RE = re.compile(rf"^({'|'.join(folded(ADMIN_UNITS))})\s+")


# A document names the place it is about in more than one sentence, or in one that is not a list of places.
PLACE_MIN_MENTIONS = 2


def _about_place(p: Passage, sentence: str, doc_text: str, place: str) -> bool:
    """The sentence names the place, or its document is about it: in its title or its page's places, or named
    at least PLACE_MIN_MENTIONS times (the name without its administrative word: "Thị xã", "TX" all name it)."""
    name = f" {' '.join(tokens(_name_of(place)))} "

    def names(text: str) -> int:
        return f" {' '.join(tokens(folded_form(text)))} ".count(name)
    if names(sentence) or names(f"{p.title or ''} . {p.meta.get('places') or ''}"):
        return True
    # distinct sentences: a text joined from overlapping chunks repeats a sentence, not a mention
    said = {x.strip() for x in re.split(r"(?<=[.!?…])\s+", doc_text) if names(x)}
    return len(said) >= PLACE_MIN_MENTIONS or (len(said) == 1 and not _lists_names(next(iter(said))))


# A sentence that lists this many capitalised names ("Lạng Sơn (24,4%), Lào Cai (19,1%), Hải Phòng …") names each
# in passing.
LISTED_NAMES = 3


def _lists_names(sentence: str) -> bool:
    items = [x.split() for x in re.split(r"[,;:]", sentence)]
    return sum(1 for w in items if len(w) >= 2 and w[0][:1].isupper() and w[1][:1].isupper()) >= LISTED_NAMES


def _in_filters(p: Passage, sentence: str, doc_text: str, options: Any) -> bool:
    if _legal(p):
        return True  # a law holds everywhere and from its effective date: no place or year of its own
    if options.place and not _about_place(p, sentence, doc_text, options.place):
        return False
    span = options.years()
    if span:
        said = [int(y) for y in _YEAR_RE.findall(sentence)]
        if said and not any(span[0] <= y <= span[1] for y in said):
            return False
        # a sentence with no year of its own holds for its document's year; a review of a period is published
        # up to a year after it ("tổng kết năm 2021" on 6/1/2022). A page dated without its year ("Chiều 6/1")
        # holds for the period when its text names a year of it ("… năm 2021, triển khai nhiệm vụ năm 2022")
        if not said and not _dated_within(p, doc_text, span):
            return False
    return True


def _dated_within(p: Passage, doc_text: str, span: tuple[int, int]) -> bool:
    year = _doc_year(p)
    if year:
        return span[0] <= int(year) <= span[1] + 1
    return any(span[0] <= int(y) <= span[1] for y in _YEAR_RE.findall(doc_text))


def figure_passages(catalogue, passages: list[Passage], limit: int = 40, scope=None) -> list[Passage]:
    """Passages of the retrieved documents that the facts index says hold a figure, built with the
    documents' metadata from the retrieved passages (so they cite like any other passage)."""
    by_doc = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, p)
    if not by_doc:
        return []
    facts = catalogue.facts_of_documents(list(by_doc), kind="figure", scope=scope)
    wanted = [f["chunk_id"] for f in facts if f["chunk_id"] not in {p.chunk_id for p in passages}]
    wanted = list(dict.fromkeys(wanted))[:limit]
    rows = catalogue.chunks_by_ids(wanted)
    out = []
    for cid in wanted:
        c = rows.get(cid)
        if c is None:
            continue
        out.append(chunk_passage(c, by_doc[c.doc_id]))
    return out


def chunk_passage(chunk, base: Passage) -> Passage:
    """A chunk of a retrieved document as a passage, with the document's metadata from ``base`` (a passage of the
    same document), so it cites like any other."""
    return Passage(chunk_id=chunk.chunk_id, doc_id=base.doc_id, source=base.source, title=base.title, text=chunk.text,
                   position=chunk.position, heading=chunk.heading, outlet=base.outlet, date=base.date,
                   meta={k: v for k, v in base.meta.items() if k != "facts"}, score=0.0)


# The documents a speech reads whole: the first retrieved ones (the occasion's report, the articles on its matter);
# a report's figures and an article's later clauses are often in chunks the question's words did not reach.
WHOLE_DOCUMENTS = 3


def whole_document_passages(catalogue, passages: list[Passage], count: int = WHOLE_DOCUMENTS) -> list[Passage]:
    """Every chunk of the first ``count`` documents of ``passages`` that ``passages`` does not hold, with the
    documents' metadata from the retrieved passages (already within the asker's scope)."""
    firsts: dict[str, Passage] = {}
    for p in passages:
        if p.doc_id not in firsts and len(firsts) < count:
            firsts[p.doc_id] = p
    held = {p.chunk_id for p in passages}
    out = []
    for doc_id, base in firsts.items():
        out += [chunk_passage(c, base) for c in catalogue.chunks_of(doc_id) if c.chunk_id not in held]
    return out
