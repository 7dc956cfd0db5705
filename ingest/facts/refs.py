"""Document references: "Chỉ thị số 20-CT/ThU ngày 5/3/2021 của Ban Thường vụ Thị ủy về …".

A lowercase type word needs "số", a symbol or a quoted title; a bare common noun is left out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.facts.common import ORG_LOWER
from ingest.types import Fact
from vntext.doctypes import DOC_TYPES

_QUOTE_PAIRS = {"“": "”\"", '"': '"”', "«": "»", "„": "“”", "”": "”"}
_OPEN_QUOTES = "“\"«„"

_CANON = {k.lower(): k for k in DOC_TYPES}

TYPE_ALT = "|".join(re.escape(t) for t in sorted(DOC_TYPES, key=len, reverse=True))
# A symbol segment has at least two capitals: "CT", "ThU", "TTg", "QH15", "NĐ".
_SEG = r"(?=[A-ZĐƯa-zđư]*[A-ZĐƯ][a-zđư]*[A-ZĐƯ])[A-ZĐƯ][A-ZĐƯa-zđư]{0,6}\d{0,2}"
DOC_NUM = (
    rf"\d{{1,5}}[a-z]?"                      # 20, 145, 01
    rf"(?:\s*/\s*(?:19|20)\d\d)?"            # /2020
    rf"(?:\s*[-/]\s*{_SEG}(?:\s*[-/]\s*{_SEG}){{0,2}})?"  # -CT/ThU, /NĐ-CP
    rf"(?![\w/])"
)
_DOC_HEAD_RE = re.compile(
    rf"(?<![\w])(?<!pháp )(?<!Pháp )(?P<type>(?i:{TYPE_ALT}))(?![\w])"
    rf"(?:(?P<so>\s+(?i:số)\s*)|\s+)?"
    rf"(?P<num>{DOC_NUM})?"
)
_DATE_AFTER_RE = re.compile(
    r"\s*,?\s+(?:ban hành\s+)?ngày\s+"
    r"(?P<date>\d{1,2}\s*[-/]\s*\d{1,2}(?:\s*[-/]\s*\d{2,4})?"
    r"|\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)"
)
# Words that may follow a bare number ("Chỉ thị 02 của ...") in a real reference.
_AFTER_PLAIN_NUM = {
    "của", "về", "ngày", "và", "hoặc", "đã", "được", "do", "khóa", "khoá", "trong",
    "tại", "là", "với", "có", "này", "thì", "mà", "quy", "ban", "hướng", "cũng",
    "vẫn", "sẽ", "đang", "gần", "vừa", "nhằm", "đối", "kèm", "cùng", "phê", "ra",
    "để", "theo", "sửa", "bổ", "trên", "đến", "từ", "nêu", "đặt", "yêu", "giao",
    "thay", "nhưng", "như", "hiện", "không", "chưa", "đều", "thực", "tiếp",
}
_LOWER_TITLED = {"Đề án", "Chương trình", "Kế hoạch", "Chiến lược"}
_ROMAN = re.compile(r"[IVXLC]+")


@dataclass
class _Head:
    start: int
    end: int
    doc_type: str
    number: str | None
    explicit: bool  # written with "số" or a symbol: "số 01", "20-CT/ThU"


def _doc_heads(text: str) -> list[_Head]:
    """Type word + optional number; a lowercase type needs "số", a symbol or a quote."""
    heads: list[_Head] = []
    for m in _DOC_HEAD_RE.finditer(text):
        raw_type = m.group("type")
        canon = _CANON.get(raw_type.lower())
        if canon is None:
            continue
        num = m.group("num")
        capital = raw_type[0].isupper()
        if num:
            number = re.sub(r"\s+", "", num)
            symbolic = bool(re.search(r"[A-Za-zĐđƯư]{2}", number)) or "/" in number
            explicit = bool(m.group("so")) or symbolic
            if not explicit:
                if not capital or not _plain_number_ok(text, m.end()):
                    continue
            heads.append(_Head(m.start(), m.end(), canon, number, explicit))
        else:
            end = m.start("type") + len(raw_type)
            heads.append(_Head(m.start(), end, canon, None, False))
    return heads


def _plain_number_ok(text: str, end: int) -> bool:
    """"Chỉ thị 02 về" is a reference, "Kế hoạch 5 năm" is not."""
    rest = text[end:end + 30]
    if re.match(r"\s*(?:$|[,.;:)\]\"“”«»'(\n–—-])", rest):
        return True
    m = re.match(r"\s+([^\W\d_]+)", rest)
    return bool(m) and (m.group(1).lower() in _AFTER_PLAIN_NUM or m.group(1)[0].isupper())


def _quoted(text: str, pos: int, limit: int = 400) -> tuple[int, int, str] | None:
    """If a quote opens at ``pos``, return (start, end_after_close, inner text)."""
    if pos >= len(text) or text[pos] not in _OPEN_QUOTES:
        return None
    closers = _QUOTE_PAIRS.get(text[pos], text[pos])
    for j in range(pos + 1, min(len(text), pos + limit)):
        ch = text[j]
        if ch == "\n":
            return None
        if ch in closers:
            inner = text[pos + 1:j].strip()
            return (pos, j + 1, inner) if inner else None
    return None


def _issuer(text: str, pos: int) -> tuple[int, str] | None:
    """"của Ban Thường vụ Thị ủy" right after the number → (end, issuer)."""
    m = re.match(r"\s+của\s+", text[pos:pos + 12])
    if not m:
        return None
    start = pos + m.end()
    end = start
    words = 0
    for w in re.finditer(r"\S+", text[start:start + 160]):
        tok = w.group(0)
        core = tok.rstrip(",;.:)”\"»")
        if not core or (words == 0 and not core[0].isupper()):
            break
        ok = core[0].isupper() or core.lower() in ORG_LOWER or _ROMAN.fullmatch(core)
        if not ok or re.search(r"[“\"«(]", core):
            break
        if w.start() > 0 and re.search(r"\n", text[start + w.start() - 1:start + w.start()]):
            break
        end = start + w.start() + len(core)
        words += 1
        if core != tok or words >= 12:
            break
    if words == 0:
        return None
    return end, text[start:end]


_SUBJECT_STOP_RE = re.compile(r"[;:\n!?(“”\"«»]|\.(?=\s|$)|…")


def _subject(text: str, pos: int, stop_at: int) -> tuple[int, str] | None:
    """"về …" up to the clause end, or a quoted title → (end, subject)."""
    m = re.match(r"\s*\([^()\n]{1,30}\)", text[pos:])  # "(khóa X)"
    if m:
        pos += m.end()
    m = re.match(r"\s*,?\s*", text[pos:])
    q = _quoted(text, pos + m.end())
    if q:
        return q[1], re.sub(r"^(?i:về)\s+", "", q[2])
    m = re.match(r"\s+(?i:về)\s+", text[pos:pos + 10])
    if not m:
        return None
    start = pos + m.end()
    q = _quoted(text, start)
    if q:
        return q[1], q[2]
    window_end = min(len(text), stop_at, start + 300)
    s = _SUBJECT_STOP_RE.search(text, start, window_end)
    if s:
        end = s.start()
    elif window_end - start < 300:
        end = window_end
    else:  # no clause end in sight: keep whole comma-separated parts only
        comma = text.rfind(",", start, window_end)
        if comma <= start:
            return None
        end = comma
    subject = text[start:end].rstrip(" ,")
    if len(subject) < 3:
        return None
    return start + len(subject), subject


def find_document_refs(text: str) -> list[Fact]:
    facts: list[Fact] = []
    heads = _doc_heads(text)
    for i, h in enumerate(heads):
        next_start = next((n.start for n in heads[i + 1:] if n.number), len(text))
        end = h.end
        fields: dict = {"doc_type": h.doc_type, "type_key": DOC_TYPES[h.doc_type],
                        "number": h.number, "issuer": None, "subject": None}
        if h.number:
            d = _DATE_AFTER_RE.match(text, end)
            if d:
                raw_date = d.group("date")
                fields["date"] = raw_date if "tháng" in raw_date else re.sub(r"\s+", "", raw_date)
                end = d.end()
        iss = _issuer(text, end)
        if iss:
            end, fields["issuer"] = iss
        subj = _subject(text, end, next_start)
        if subj:
            end, fields["subject"] = subj
        if h.number is None and not (subj and _quote_follows(text, h.end, end)):
            continue  # unnumbered and untitled: just the common noun
        if h.number is None and text[h.start].islower() and h.doc_type not in _LOWER_TITLED:
            continue
        facts.append(Fact(kind="document_ref", text=text[h.start:end], fields=fields, start=h.start))
    return facts


def _quote_follows(text: str, start: int, end: int) -> bool:
    """An unnumbered reference counts only when its title is quoted."""
    return any(c in text[start:end] for c in _OPEN_QUOTES)

