"""Title, outlet, date and legal identity of a document, read only from what its text states.

Nothing is invented: an outlet is taken only from a dateline "(Baohatinh.vn) - …", a
"Nguồn: …" line or a closing "Theo …" line; a date without a stated year stays ``dd/mm`` with
no ISO form. Law files of the Bộ Pháp điển ("Đề mục: …", "Điều 44.13.LQ.36. …",
"(Điều 36 Luật số 10/2022/QH15, có hiệu lực thi hành kể từ ngày 01/07/2023)") give the
article, the instrument and the effective date.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date as _date
from pathlib import PurePath

from .clean import normalize_whitespace, _is_furniture, _is_prose, _words
from .doc_header import parse_doc_header
from .year_place import find_place, find_year
from .types import DocMeta
from vntext.vocab import ADMIN_UNITS, CITY_ABBR

__all__ = ["extract_metadata", "find_date", "find_outlet", "find_title", "lead_title", "parse_law_header"]

TOP_LINES = 15

# ---------------------------------------------------------------- law

_PHAPDIEN_HEAD = re.compile(
    r"^Điều\s+\d+(?:\.\d+)*\.[A-ZĐ]{2,4}\.(?:\d+\.)*\d+\.?(?:\s+(?P<heading>.*))?$"
)
_SOURCE_LINE = re.compile(r"^\(\s*(?P<article>Điều\s+\d+[a-zđ]?)\s+(?P<rest>.+?)\)?\s*$")
_INSTRUMENT = re.compile(
    r"^(?P<inst>(?:[A-ZĐ][\wÀ-ỹ]*)(?:\s+[\wÀ-ỹ]+){0,3}?\s+số(?:\s+liên\s+tịch)?\s+\d[^\s,()]*)"
)
_EFFECTIVE = re.compile(r"có hiệu lực(?: thi hành)?(?: kể)?(?: từ)?(?: ngày)?\s+(\d{1,2}/\d{1,2}/\d{4})")


def _join_parenthesised(lines: list[str]) -> list[str]:
    """A source note "(Điều 1 … số …" may wrap over lines; glue it back up to its closing ")"."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.startswith("(") and not ln.endswith(")"):
            j = i + 1
            while j < len(lines) and j - i < 6 and not ln.endswith(")"):
                ln = f"{ln} {lines[j]}"
                j += 1
            if ln.endswith(")"):
                out.append(ln)
                i = j
                continue
            ln = lines[i]
        out.append(ln)
        i += 1
    return out


def parse_law_header(lines: list[str]) -> dict[str, str | None] | None:
    """Heading, article, instrument, effective date of a pháp điển article; None for other texts."""
    top = _join_parenthesised([ln.strip() for ln in lines[:20] if ln.strip()])
    head = next((m for ln in top if (m := _PHAPDIEN_HEAD.match(ln))), None)
    source = next((m for ln in top if (m := _SOURCE_LINE.match(ln)) and "số" in ln), None)
    if head is None and source is None:
        return None
    info: dict[str, str | None] = {
        "heading": (head.group("heading") or "").strip(" .") or None if head else None,
        "article": None, "instrument": None, "effective_date": None,
    }
    if source is not None:
        rest = source.group("rest")
        inst = _INSTRUMENT.match(rest)
        if inst:
            info["article"] = source.group("article")
            info["instrument"] = inst.group("inst").rstrip(".,;")
        eff = _EFFECTIVE.search(rest)
        if eff:
            info["effective_date"] = _pad_date(eff.group(1))
    if head is None and info["instrument"] is None:
        return None
    return info


def _law_title(info: dict[str, str | None]) -> str:
    """"Điều 36 Luật số 10/2022/QH15 — Tổ chức Ban …": the label people cite, then the heading."""
    label = " ".join(x for x in (info["article"], info["instrument"]) if x)
    heading = info["heading"] or ""
    if label and heading:
        return f"{label} — {heading}"
    return label or heading


# ---------------------------------------------------------------- dates

_DATE = r"(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})(?:\s*(?P=sep)\s*(?P<y>\d{4}))?(?![\d/])"
_WORDY = r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?:\s+năm\s+(?P<y2>\d{4}))?"
_DAY_WORDS = (
    r"(?:rạng sáng|sáng|chiều|tối|trưa|đêm|hôm(?:\s+(?:nay|qua))?|"
    r"thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật|ngày)(?:\s+ngày)?"
)
# A date introduced by a time word: "Ngày 5/6", "Chiều ngày 19/12", "Thứ Sáu, 09/07/2021", "ngày 9 tháng 7".
_CONTEXT_DATE = re.compile(rf"(?<!\w){_DAY_WORDS}\s*,?\s+(?:{_DATE}|{_WORDY})", re.I)
# A bare full date opening a line: "09-07-2021 14:30", "Hà Nội, 09/07/2021 - …".
_LINE_START_DATE = re.compile(
    r"^(?:[A-ZĐ][\w.]*(?:\s+[A-ZĐ][\w.]*){0,3}\s*,\s*)?(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})"
    r"\s*(?P=sep)\s*(?P<y>\d{4})(?![\d/])"
)
# Dates that are not the publication date: births, document references, effective dates.
_NOT_DATELINE = re.compile(
    r"(?:\bsinh|\bsố\s+[\w/.-]+|\bhiệu lực(?:\s+thi hành)?(?:\s+kể)?(?:\s+từ)?|\bban hành|\bký)\s*$", re.I
)


def _valid(d: int, m: int, y: int | None = None) -> bool:
    try:
        _date(y or 2000, m, d)  # 2000 is a leap year: 29/02 without a year stays valid
    except ValueError:
        return False
    return y is None or 1900 <= y <= 2100


def _pad_date(s: str) -> str:
    parts = re.split(r"[/.-]", s)
    return "/".join(p.zfill(2) if i < 2 else p for i, p in enumerate(parts))


def _as_date(d: str, m: str, y: str | None) -> tuple[str, str | None] | None:
    di, mi, yi = int(d), int(m), int(y) if y else None
    if not _valid(di, mi, yi):
        return None
    if yi is None:
        return f"{di:02d}/{mi:02d}", None
    return f"{di:02d}/{mi:02d}/{yi}", f"{yi:04d}-{mi:02d}-{di:02d}"


def find_date(text: str, top_lines: int = TOP_LINES, lead_lines: int = 5) -> tuple[str | None, str | None]:
    """(date, date_iso) of publication as stated near the top; never a year that is not written.

    A dateline that opens a line ("Thứ Sáu, 09/07/2021, 13:31", "09-07-2021 14:30") or the first
    date introduced by a time word ("Ngày 5/6", "Chiều ngày 19/12") counts; birth dates and
    references such as "Quyết định số 218 ngày 12-12-2013" do not.
    """
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:top_lines]
    for n, ln in enumerate(lines):
        m = _LINE_START_DATE.match(ln)
        if m and (found := _as_date(m["d"], m["m"], m["y"])):
            return found
        if n >= lead_lines and _words(ln) > 12:
            continue  # deep paragraphs tell history ("ngày 31/1/1950"), not the dateline
        for m in _CONTEXT_DATE.finditer(ln):
            if _NOT_DATELINE.search(ln[: m.start()]):
                continue
            d, mo, y = (m["d"], m["m"], m["y"]) if m["d"] else (m["d2"], m["m2"], m["y2"])
            if found := _as_date(d, mo, y):
                return found
    return None, None


# ---------------------------------------------------------------- outlet

_DOMAIN = r"[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|info|gov\.vn|com\.vn|org\.vn)"
_LEAD_OUTLET = re.compile(rf"^\(\s*(?P<o>[^()\n]{{2,40}}?)\s*\)\s*[-–—:]\s*\S")
_LEAD_ABBR = re.compile(rf"^(?P<o>{_DOMAIN}|[A-ZĐ][A-ZĐ&.+]{{1,11}})\s+[-–—]\s+\S")
_SOURCE = re.compile(r"^\(?\s*(?:nguồn|source)\s*:\s*(?P<o>[^\n]{2,80}?)\s*[.)]*\s*$", re.I)
_THEO = re.compile(r"^\(?\s*[Tt]heo\s+(?P<o>[A-ZĐ0-9][^\n]{1,60}?)\s*[.)]*\s*$")


def _outlet_like(s: str) -> bool:
    """A name, not a sentence: few words, no sentence punctuation inside, not a date."""
    return 0 < _words(s) <= 8 and not re.search(r"[,;:!?]|\.\s", s) and not re.search(r"\d{1,2}/\d{1,2}", s)


def find_outlet(text: str) -> str | None:
    """Outlet as written: "(Baohatinh.vn) - …" lead, "TTO - …", "Nguồn: …", or a closing "Theo …" line."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for ln in lines[:TOP_LINES]:
        m = _LEAD_OUTLET.match(ln) or _LEAD_ABBR.match(ln)
        if m and _outlet_like(m.group("o")) and not re.fullmatch(r"[\d\s/.-]+|[IVXLC]+\.?", m.group("o")):
            return m.group("o").strip()
    for ln in lines:
        m = _SOURCE.match(ln)
        if m and _outlet_like(m.group("o")):
            return m.group("o").strip()
    for ln in reversed(lines[-6:]):
        m = _THEO.match(ln)
        if m and _outlet_like(m.group("o")) and _words(ln) <= 9:
            return m.group("o").strip()
    return None


# ---------------------------------------------------------------- title

_DATELINE_ONLY = re.compile(
    r"^(?:(?:thứ\s+\S+|chủ nhật|cập nhật|đăng(?: lúc| ngày)?|ngày|lúc)\s*,?\s*)*[\d/:.,\s-]*(?:\(?gmt[+\d: ]*\)?)?$",
    re.I,
)


def _is_dateline(line: str) -> bool:
    return bool(_DATELINE_ONLY.match(line)) and bool(re.search(r"\d", line))


def find_title(clean: str) -> str | None:
    """First heading-shaped line at the top (before the first long paragraph), else None."""
    for ln in (x.strip().lstrip("#").strip() for x in clean.split("\n")):
        if not ln:
            continue
        if _words(ln) > 30 or len(ln) > 250:
            return None  # reached the body without a heading
        if _is_furniture(ln) or _is_dateline(ln) or _words(ln) <= 2:
            continue
        if _LEAD_OUTLET.match(ln) or _LEAD_ABBR.match(ln):
            return None
        if _is_prose(ln) and re.search(r"[.;]\s*$", ln):
            return None  # a lead sentence, not a heading
        return ln
    return None


HEADLINE_MAX_CHARS = 250
TITLE_CLAUSE_CHARS = 110  # a title read from the lead sentence ends at a phrase boundary before this
_CLOSED = re.compile(r"[.!?…;:,][\"'”’»)\]]*$")
# The lead's opening time phrase: "Chiều ngày 19/12, ", "Sáng nay (14-6), ", "Ngày 5/6, ".
_TIME_OPENING = re.compile(r"^(?:(?:rạng sáng|sáng|chiều|tối|trưa|đêm|hôm|ngày|thứ\s+\S+|chủ nhật)\b[^,]{0,30}?"
                           r"(?:\d|\bnay\b|\bqua\b)[^,]{0,20},\s*)", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“'‘(]?[A-ZĐÀ-Ỹ])|[;:]\s")
_PHRASE_BOUNDARY = re.compile(r",\s|\s(?:về|của|với|nhằm|để|trong|tại|và)\s")


def lead_title(clean: str) -> str | None:
    """A title for a text whose top has no heading-shaped line (find_title gives None): its first line when
    that reads as a headline — no closing punctuation, however long ("An ninh hình sự 24 h: …; …") — else its
    lead sentence's main clause: without the opening time phrase, cut at the first clause break and, past
    TITLE_CLAUSE_CHARS, at the last phrase boundary before it ("Ban thường vụ Thị ủy đã sơ kết 01 năm thực
    hiện Chỉ thị số 20-CT/ThU của Ban Thường vụ Thị ủy"). Words are never changed, only left out at the end."""
    lines = [ln.strip().lstrip("#").strip() for ln in clean.split("\n")]
    lines = [ln for ln in lines if ln and not _is_furniture(ln) and not _is_dateline(ln)]
    if not lines:
        return None
    first = lines[0]
    if len(lines) > 1 and not _CLOSED.search(first) and len(first) <= HEADLINE_MAX_CHARS and _words(first) >= 3:
        return first
    sentence = _SENTENCE_END.split(first, maxsplit=1)[0]
    clause = _TIME_OPENING.sub("", sentence, count=1).strip().rstrip(".!?…;:,")
    if len(clause) > TITLE_CLAUSE_CHARS:
        cuts = [m.start() for m in _PHRASE_BOUNDARY.finditer(clause, 0, TITLE_CLAUSE_CHARS + 1)
                if 30 <= m.start() <= TITLE_CLAUSE_CHARS]
        clause = clause[:cuts[-1]] if cuts else clause[:TITLE_CLAUSE_CHARS].rsplit(" ", 1)[0] + " …"
    clause = clause.strip()
    return (clause[:1].upper() + clause[1:]) if _words(clause) >= 3 else None


# ---------------------------------------------------------------- entry point

def _first_line_heading(clean: str) -> str:
    """The heading passages of a text without a heading carry: its first line, cut past 110 characters."""
    first = clean.strip().split("\n", 1)[0]
    return first if len(first) <= 110 else first[:100].rsplit(" ", 1)[0] + " …"


def extract_metadata(raw_text: str, clean: str, file_name: str, title_hint: str | None = None) -> DocMeta:
    """Everything the text states about itself; ``raw_text`` helps when cleaning removed a dateline.

    ``title`` is what the document is shown by: the legal article's reference, an administrative document's
    kind and number, its headline, the file's own title (``title_hint``), else a title read from its lead
    (lead_title). ``heading`` is what its passages carry (ingest/chunk.py, the embedded and indexed text): the
    same, except that a text with no heading-shaped line keeps its first line there, as it always has, so a
    better shown title changes no passage. ``places`` are read from the heading-shaped title only, as before."""
    raw = normalize_whitespace(unicodedata.normalize("NFC", raw_text or ""))
    clean = clean or ""
    stem = PurePath(file_name).stem if file_name else ""
    hint = (title_hint or "").strip() or None

    law = parse_law_header(clean.split("\n")) or parse_law_header(raw.split("\n"))
    if law is not None:
        named = _law_title(law) or hint or stem
        heading = named if named != stem else _first_line_heading(clean)
        return DocMeta(
            title=named if named != stem else (lead_title(clean) or heading),
            heading=heading,
            kind="law",
            instrument=law["instrument"],
            article=law["article"],
            effective_date=law["effective_date"],
        )

    outlet = find_outlet(clean) or find_outlet(raw)
    date, date_iso = find_date(clean)
    if date is None:
        date, date_iso = find_date(raw)
    has_caption = bool(re.search(r"\bẢnh\s*:", clean))
    kind = "news" if (outlet or date or has_caption) else "text"
    header = parse_doc_header(clean)  # an administrative document names itself by kind and number
    named = (header.title if header and header.doc_type else None) or find_title(clean) or hint or stem
    heading = named if named != stem else _first_line_heading(clean)
    title = named if named != stem else (lead_title(clean) or heading)
    places = find_page_places(raw, clean, named)
    return DocMeta(
        title=title,
        heading=heading,
        outlet=outlet,
        date=date,
        date_iso=date_iso,
        kind=kind,
        places=places,
        year=find_year(clean, date, title),
        place=find_place(clean, title, places, outlet),
    )


# ---------------------------------------------------------------- places
_ADMIN_ALT = "|".join(u + (r"\.?" if u == CITY_ABBR else "") for u in ADMIN_UNITS)  # "TP." or "TP"
PLACE_PHRASE_RE = re.compile(
    rf"(?<!\w)((?i:{_ADMIN_ALT}))\s+"
    r"((?:[A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ][\w'’]*\s?){1,4})")
MAX_PAGE_PLACES = 5


def find_page_places(raw: str, clean: str, title: str) -> list[str]:
    """Places a page is about, stated by the page itself: named in its title, or in the lines cleaning took
    away as site chrome ("Bản đồ thị xã Hồng Lĩnh" on a town portal) — a portal names its town there, not in
    every article. Places named only in the body are the body's business (they answer where they stand)."""
    kept = {ln.strip() for ln in clean.split("\n")}
    removed = [ln for ln in raw.split("\n") if ln.strip() and ln.strip() not in kept]
    out: list[str] = []
    for text in [title, *removed]:
        for m in PLACE_PHRASE_RE.finditer(text):
            phrase = f"{m.group(1)} {m.group(2).strip()}"
            if phrase not in out:
                out.append(phrase)
    return out[:MAX_PAGE_PLACES]
