"""Whether a candidate sentence answers the question asked, not a neighbouring one.

Two checks, both before an answer may be called found:
- every hard constraint of the question (assistant/understand/constraints.py) is met within its scope — the
  sentence, its passage, its document's header, or its whole document — and the sentence itself does
  not state a conflicting value (another year, another term, another number of the same directive);
- the sentence holds what the question word asks for: a person for "ai", a figure for "bao nhiêu",
  a date for "khi nào", a period for "giai đoạn nào".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.understand.constraint_match import cased_haystack, conflicts, haystack, meets
from assistant.understand.constraints import (DOC_TYPE_HEADS, NON_NAME_STARTS, PERIOD_RE, TITLE_HEADS,
                                   Need, _cap_runs, _starts_with)
from assistant.types import Passage
from ingest.extract import extract_facts
from vntext import folded_form, tokens
from vntext.vocab import (ADDRESS_FORMS, BODY_HEAD_TITLES, CALENDAR_UNITS, CENTURY_YEAR, FORMER, LEGAL_DIVISIONS,
                          NUMBER_POINTERS, ORG_HEADS, PLACE_UNITS, PREPOSITIONS, TIME_UNITS, TITLE_PREFIXES, TITLES,
                          folded, pick, without)

# Scopes, from narrow to wide. A need of a kind is met when its key occurs anywhere up to SCOPE[kind].
SENTENCE, PASSAGE, HEADER, DOCUMENT = 0, 1, 2, 3
# Fitted on eval/generated-train.jsonl (see eval/README.md): the widest scope that did not let another
# document's figure through. Years and places must be in the passage or the document's header (a town
# portal names its town in the title or lead, not in every passage); a person's or country's name anywhere
# in the document; a field of work in the very sentence that gives the figure.
SCOPE = {"year": DOCUMENT, "period": PASSAGE, "quarter": HEADER, "place": HEADER, "name": DOCUMENT, "quantity": PASSAGE,
         "body": HEADER, "category": SENTENCE, "document": HEADER, "article": HEADER,
         "clause": DOCUMENT, "law": DOCUMENT}  # a clause or a law's title: the cited legal text itself
# A sentence — or, for a year, its whole passage — that states another value of the kind and not the asked
# one contradicts the question, whatever the rest of the document says (train split).
CONFLICT_SCOPE = {"year": PASSAGE, "period": SENTENCE, "document": SENTENCE}
LEAD_CHARS = 400  # the document's first characters count as its header: a news lead names place and date


@dataclass
class Evidence:
    """The texts a sentence's claim can lean on, narrow to wide."""
    sentence: str
    passage: str
    header: str
    document: str
    outlet: str = ""  # "Baonghean.vn": a provincial paper's name holds its province ("nghean")

    def scopes(self, widest: int) -> list[str]:
        return [self.sentence, self.passage, self.header, self.document][:widest + 1]


def header_text(p: Passage, doc_text: str) -> str:
    m = p.meta or {}
    parts = [p.title or "", p.outlet or "", p.date or "", p.heading or "", m.get("instrument") or "",
             m.get("article") or "", m.get("effective_date") or "", m.get("places") or "", doc_text[:LEAD_CHARS]]
    return "\n".join(x for x in parts if x)


def evidence_for(sentence: str, p: Passage, doc_text: str) -> Evidence:
    return Evidence(sentence=sentence, passage=p.text, header=header_text(p, doc_text), document=doc_text,
                    outlet=p.outlet or "")


def unmet_needs(needs: list[Need], ev: Evidence) -> list[Need]:
    """The needs this evidence does not meet, or that its sentence contradicts."""
    out = []
    for need in needs:
        if any(conflicts(need, t) for t in ev.scopes(CONFLICT_SCOPE.get(need.kind, SENTENCE))):
            out.append(need)
        elif not any(meets(need, t) for t in ev.scopes(SCOPE.get(need.kind, HEADER) if need.scope is None
                                                        else need.scope)) and \
                not _named_by_outlet(need, ev):
            out.append(need)
    return out


def _named_by_outlet(need: Need, ev: Evidence) -> bool:
    """"Baonghean.vn", "Báo Hà Tĩnh": a provincial outlet's name holds the province it reports on."""
    if need.kind not in ("place", "name") or not ev.outlet or SCOPE.get(need.kind, HEADER) < HEADER:
        return False
    compact = "".join(haystack(ev.outlet).split())
    return any(len(k.replace(" ", "")) >= 4 and k.replace(" ", "") in compact for k in need.keys)


NAMING_KINDS = ("document", "article")  # constraints that single out one document


def named_documents(q: Any, passages: list[Passage], doc_texts: dict[str, str]) -> list[str]:
    """Documents among the retrieved that meet every document/article number the question names
    ("Điều 4 Nghị định số 59/2023/NĐ-CP"): the question is about them as a whole."""
    needs = [n for n in q.needs if n.kind in NAMING_KINDS]
    if not needs:
        return []
    out: list[str] = []
    for p in passages:
        if p.doc_id in out:
            continue
        header = header_text(p, doc_texts.get(p.doc_id, ""))
        if all(meets(n, header) or meets(n, p.text) for n in needs):
            out.append(p.doc_id)
    return out[:MAX_NAMED_DOCUMENTS]


MAX_NAMED_DOCUMENTS = 2


# --- what the question word asks for --------------------------------------------------------------------
NUMBER_RE = re.compile(r"(?<![\w/.-])\d+(?:[.,]\d+)*(?:\s*%)?(?![\w/-])")
_YEAR_ONLY = re.compile(rf"^{CENTURY_YEAR}$")
DATE_RE = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d/])|\bngày\s+\d{1,2}\b|\btháng\s+\d{1,2}\b"
                     r"|\b(?:sáng|chiều|tối|trưa)\s+(?:nay|qua|mai)\b|\bhôm (?:nay|qua)\b", re.IGNORECASE)
NUMBER_WORDS_RE = re.compile(r"\b(một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|trăm|nghìn|ngàn|triệu|tỷ|"
                             r"toàn bộ|tất cả|100%)\b", re.IGNORECASE)


# Numbers that point somewhere rather than count: "Điều 15", "khoản 1", "lần thứ 9", a list marker "2. ".
_POINTING = (LEGAL_DIVISIONS + NUMBER_POINTERS + ("lần thứ",) + pick(PREPOSITIONS, "tại") + CALENDAR_UNITS
             + pick(TIME_UNITS, "quý"))
_REFERENCE_BEFORE_RE = re.compile(rf"(?:{'|'.join(_POINTING)})\s*$", re.IGNORECASE)
_LIST_MARKER_RE = re.compile(r"^\s*(?:\d{1,2}|[a-zđ])[.)]\s")


def has_count(text: str) -> bool:
    """A number that counts (a count, a share, an amount) — not a year, a date, a list marker or a reference."""
    body = _LIST_MARKER_RE.sub("", text, count=1)
    for m in NUMBER_RE.finditer(body):
        if _YEAR_ONLY.match(m.group(0)) or _REFERENCE_BEFORE_RE.search(body[:m.start()]):
            continue
        return True
    return False


# A form of address (or "đ/c", and the kin words one addresses people by) right before a name.
PERSON_BEFORE_RE = re.compile(rf"(?:{'|'.join(ADDRESS_FORMS + ('đ/c', 'cháu', 'cụ', 'em'))})\s*$", re.IGNORECASE)
# A title (or "hội viên", "đảng viên") right after a name, as an apposition; not "Chủ nhiệm", "Thủ tướng".
PERSON_AFTER_RE = re.compile(rf"^\s*(?:[,–-]|\()\s*(?:{FORMER}\s+)?(?:"
                             + "|".join(without(TITLE_PREFIXES, FORMER) + without(TITLES, "chủ nhiệm", "thủ tướng")
                                        + ("hội viên", "đảng viên")) + ")", re.IGNORECASE)


@lru_cache(maxsize=8192)
def has_person(text: str) -> bool:
    """A person is named: a role in the index ("Ngô Văn Huỳnh, Phó trưởng ban …"), or capitalised syllables
    after a form of address ("đồng chí", "ông", "bà") or before a position ("…, Chủ tịch …")."""
    if any(f.kind == "role" for f in extract_facts(text)):
        return True
    first = re.search(r"[\w'’]+", text)
    for start, end, words in _cap_runs(text):
        if first and start == first.start() and len(words) < SENTENCE_START_NAME_MIN:
            continue  # "Tại Lễ ký kết": the first word is capitalised as the sentence's
        name = list(words)
        while name and _starts_with(" ".join(name), TITLE_HEADS):
            name = name[1:]
        if len(name) < 2 or _starts_with(" ".join(name), ORG_HEADS + PLACE_UNITS + DOC_TYPE_HEADS + NON_NAME_STARTS):
            continue
        if name != words or PERSON_BEFORE_RE.search(text[:start]) or PERSON_AFTER_RE.match(text[end:]):
            return True
    return False


SENTENCE_START_NAME_MIN = 3  # a run that opens the sentence counts as a name from three syllables ("Phan Cao Thanh")


def has_position_of(text: str, names: list[Need]) -> bool:
    """The sentence gives a position to the person asked about: a role in the index for that name, or the name
    written next to a title ("Vũ Hồng Nam, Chủ nhiệm …", "Chủ tịch … Vũ Hồng Khanh")."""
    roles = [f for f in extract_facts(text) if f.kind == "role"]
    if not names:
        return bool(roles)
    for need in names:
        key = need.keys[0]
        if any(key == " ".join(tokens(folded_form(f.fields.get("person") or ""))) for f in roles):
            return True
        hay = cased_haystack(text)
        cased = " ".join(w.capitalize() for w in key.split())
        at = hay.find(f" {cased} ")
        if at >= 0:
            around = hay[max(0, at - POSITION_WINDOW):at + len(cased) + 2 + POSITION_WINDOW].lower()
            if _TITLE_NEAR_RE.search(around):
                return True
    return False


POSITION_WINDOW = 60  # characters either side of a name where its title is written
# A title word near the name (folded): titles, "phó", "tổng", "thư ký", two heads of bodies.
_TITLES_NEAR = folded(pick(TITLES, "bí thư", "chủ tịch", "trưởng", "giám đốc", "ủy viên", "chủ nhiệm")
                      + pick(TITLE_PREFIXES, "phó", "tổng") + ("thư ký",)
                      + pick(BODY_HEAD_TITLES, "tư lệnh", "cục trưởng"))
_TITLE_NEAR_RE = re.compile(rf"\b({'|'.join(_TITLES_NEAR)})\b")


def has_date(text: str) -> bool:
    return bool(DATE_RE.search(text))


def has_period(text: str) -> bool:
    return bool(PERIOD_RE.search(text))


@lru_cache(maxsize=16384)
def holds_answer_type(answer_type: str | None, text: str) -> bool:
    if answer_type == "figure":
        return has_count(text) or bool(NUMBER_WORDS_RE.search(text))
    if answer_type == "person":
        return has_person(text)
    if answer_type == "date":
        return has_date(text)
    if answer_type == "period":
        return has_period(text)
    return True
