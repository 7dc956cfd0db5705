"""The year and the place a document gives for itself, for showing beside its title (sources, documents table).

Only what the text writes: the year of its dateline; else the years its headline and lead state ("biểu dương
mô hình tiêu biểu năm 2018", "Ngày Pháp luật (9/11/2018)", "Hội báo toàn quốc 2019"), the latest of them (a
review "năm 2021" that plans "năm 2022" was written in 2022), never a term or period ("nhiệm kỳ 2020 - 2025"),
a target ("đến năm 2030"), a birth or a document's own number. The place: the one its headline names, else
the page's own (ingest/metadata.find_page_places), else the first its lead names ("huyện Cẩm Xuyên (Hà Tĩnh)",
"Tỉnh ủy Hà Tĩnh" → "tỉnh Hà Tĩnh", a province by name), else the province a provincial paper is named after
("Baonghean.vn"). Nothing here is read by the answering path: it is what the reader is shown.
"""
from __future__ import annotations

import re
import unicodedata

from .clean import _is_furniture, _is_prose
from vntext.vocab import ADMIN_UNITS, CITY_ABBR

__all__ = ["find_year", "find_place", "lead_text", "PROVINCES"]

LEAD_PARAGRAPHS = 2  # the lead paragraph (sapo) and the first of the body: where a report says its when and where
LEAD_CHARS = 1200  # of each
TOP_LINES = 15

# The 63 provinces and centrally-run cities (before the 2025 mergers; the names live on in the documents),
# with the spellings documents use (old-style tone marks, the city's abbreviations).
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng", "Đà Nẵng", "Đắk Lắk",
    "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh",
    "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hoà Bình", "Hưng Yên", "Khánh Hòa", "Khánh Hoà",
    "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An",
    "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh",
    "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thanh Hoá",
    "Thừa Thiên Huế", "Thừa Thiên - Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc",
    "Yên Bái", "TP. Hồ Chí Minh", "TP Hồ Chí Minh", "TP.Hồ Chí Minh", "Thành phố Hồ Chí Minh",
    "TP. HCM", "TP HCM", "TP.HCM", "TPHCM",
)

_UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
_CAP = rf"[{_UPPER}][\w'’]*"
_PROVINCE_ALT = "|".join(re.escape(p) for p in sorted(PROVINCES, key=len, reverse=True))
_PROVINCE_RE = re.compile(rf"(?<![\w'’])(?:{_PROVINCE_ALT})(?![\w'’])")
_UNITS = "|".join(u for u in ADMIN_UNITS if u != CITY_ABBR)  # the bare abbreviation names no unit here
# "huyện Cẩm Xuyên (Hà Tĩnh)", "xã Cẩm Bình", "quận 1", "tỉnh Sơn La": a unit word and its name (a province's
# as the gazetteer writes it; another's, two words at most: a longer capitalised run goes on into a person's
# name, "xã Cẩm Bình Nguyễn Thiên Toàn").
_LONGER = r"\s+(?:Dương|Phủ)(?![\w'’])"  # names that begin with a province's: "Thái Bình Dương", "Điện Biên Phủ"
_UNIT_RE = re.compile(rf"(?<![\w])(?P<unit>(?i:{_UNITS}))\s+"
                      rf"(?P<name>(?:{_PROVINCE_ALT})(?!{_LONGER})|Hồ Chí Minh|\d{{1,2}}(?!\d)|{_CAP}(?:\s+{_CAP})?(?:{_LONGER})?)"
                      rf"(?P<in>\s+\((?:{_PROVINCE_ALT})\))?(?![\w'’])")
# A party committee named by its unit's place ("Tỉnh ủy Hà Tĩnh", "Huyện uỷ Tuy Phong").
_UY_UNIT = {"tỉnh": "tỉnh", "thành": "thành phố", "huyện": "huyện", "thị": "thị xã", "quận": "quận"}
_UY_RE = re.compile(rf"(?<![\w])(?P<unit>(?i:tỉnh|thành|huyện|thị|quận))\s+(?:ủy|uỷ|Ủy|Uỷ)\s+"
                    rf"(?P<name>{_PROVINCE_ALT}|{_CAP}(?:\s+{_CAP})?)(?![\w'’])")
# An organisation's name that holds a unit word: "Thông tấn xã Việt Nam" names no commune.
_NOT_A_PLACE = re.compile(r"(?i:thông tấn|hợp tác)\s*$")
_NO_PLACE_NAMES = {"Việt Nam", "Trung ương", "Nhà nước", "Đảng", "Tổ quốc"}
_LONGER_NAMES = re.compile(_LONGER)
_PREV_WORD = re.compile(r"([\w'’.]+)\s*$")

_YEAR = r"(?:19\d\d|20\d\d)"
_RANGE_AFTER = re.compile(r"^\s*[-–—]\s*\d{4}")
_RANGE_BEFORE = re.compile(r"\d{4}\s*[-–—]\s*$")
# Words before a year that make it no year of the document: a term, a period, a target, a birth, a start.
_NOT_ITS_YEAR = re.compile(r"(?:\bsinh|\bđến|\btới|\btrước|\btừ|\bgiai đoạn|\bnhiệm kỳ|\bkhóa|\bkhoá|\bthời kỳ|"
                           r"\btầm nhìn|\bmục tiêu|\bvào|\bsố|\bso với|\bsau)\s*(?:năm\s*)?$", re.I)
# A law named by its year ("Bộ luật Hình sự năm 2015, sửa đổi năm 2017") dates the law, not the document.
_LAW_YEAR = re.compile(r"(?:\b[Ll]uật\b[^.,;:]{0,40}|sửa đổi(?:,\s*bổ sung)?\s*)$")
_YEAR_WORD = re.compile(rf"\b[Nn]ăm\s+(?P<y>{_YEAR})(?![\d/])")
_FULL_DATE = re.compile(rf"(?<![\d/.-])\d{{1,2}}\s*([/.-])\s*\d{{1,2}}\s*\1\s*(?P<y>{_YEAR})(?![\d/])"
                        rf"|\bngày\s+\d{{1,2}}\s+tháng\s+\d{{1,2}}\s+năm\s+(?P<y2>{_YEAR})")
_BARE_YEAR = re.compile(rf"(?<![\w/.-]){_YEAR}(?![\w/])")
# Dates that are not the document's: births, a document's issue, an effective date.
_NOT_ITS_DATE = re.compile(r"(?:\bsinh|\bsố\s+[\w/.-]+|\bhiệu lực(?:\s+thi hành)?(?:\s+kể)?(?:\s+từ)?|\bban hành|"
                           r"\bký)\s*(?:ngày\s*)?$", re.I)


def _top_prose(clean: str, headline: str | None) -> list[str]:
    """Paragraphs of prose among the document's first TOP_LINES lines, the headline (a web page repeats it)
    and furniture left out."""
    return [ln[:LEAD_CHARS] for ln in [x.strip() for x in clean.split("\n") if x.strip()][:TOP_LINES]
            if ln != (headline or "").strip() and _is_prose(ln) and not _is_furniture(ln)]


def lead_text(clean: str, headline: str | None = None) -> str:
    """The document's lead: its first LEAD_PARAGRAPHS paragraphs of prose after the headline."""
    return "\n".join(_top_prose(clean, headline)[:LEAD_PARAGRAPHS])


def _year_texts(clean: str, headline: str | None, date: str | None) -> list[str]:
    """Where a document says its own year: the lead paragraph (sapo) and the paragraph of its dateline ("Chiều
    6/1, … tổng kết … năm 2021, triển khai nhiệm vụ năm 2022"); later paragraphs recall the past."""
    prose = _top_prose(clean, headline)
    out = prose[:1]
    m = re.match(r"(\d\d)/(\d\d)", date or "")
    if m:
        d, mo = int(m.group(1)), int(m.group(2))
        day = re.compile(rf"(?<![\d/.-])0?{d}\s*[/.-]\s*0?{mo}(?![\d])|\b0?{d}\s+tháng\s+0?{mo}\b")
        out += [ln for ln in prose if day.search(ln)][:1]
    return out


def _quoted(text: str, at: int) -> bool:
    """Whether offset ``at`` lies inside a quotation (“…”): what someone recalls is not the document's year."""
    before = text[:at]
    return before.count("“") > before.count("”")


def _year_of(date: str | None) -> str | None:
    m = re.search(rf"(?<!\d){_YEAR}$", date or "")
    return m.group(0) if m else None


def _stated_years(text: str, headline: bool) -> list[int]:
    """Years ``text`` gives as its own: "năm 2018"; in a headline also a full date ("(9/11/2018)") and a bare
    year ("Hội báo toàn quốc 2019"). A lead's full dates are mostly of the past it recalls (a decree's, a
    founding's), so they do not count there."""
    years: list[int] = []
    for m in _YEAR_WORD.finditer(text):
        before, after = text[max(0, m.start() - 30):m.start()], text[m.end():m.end() + 12]
        if not (_RANGE_AFTER.match(after) or _NOT_ITS_YEAR.search(before + "năm ") or _LAW_YEAR.search(before)
                or _quoted(text, m.start())):
            years.append(int(m.group("y")))
    if headline:
        for m in _FULL_DATE.finditer(text):
            if not _NOT_ITS_DATE.search(text[max(0, m.start() - 40):m.start()]):
                years.append(int(m.group("y") or m.group("y2")))
        for m in _BARE_YEAR.finditer(text):
            before, after = text[max(0, m.start() - 30):m.start()], text[m.end():m.end() + 12]
            if not (_RANGE_AFTER.match(after) or _RANGE_BEFORE.search(before) or _NOT_ITS_YEAR.search(before)):
                years.append(int(m.group(0)))
    return [y for y in years if 1900 <= y <= 2100]


def find_year(clean: str, date: str | None, headline: str | None = None) -> str | None:
    """The document's year: its dateline's, else the latest its headline or lead states; None when none."""
    if year := _year_of(date):
        return year
    years = _stated_years(headline or "", headline=True)
    for text in _year_texts(clean, headline, date):
        years += _stated_years(text, headline=False)
    return str(max(years)) if years else None


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in s if unicodedata.category(ch) != "Mn").lower()


def _inside_a_name(text: str, start: int, end: int) -> bool:
    """A province's name inside a longer capitalised name ("ông Phí Thái Bình", "Điện Biên Phủ", "Thái Bình
    Dương"); an abbreviation before it ("UBND Hà Nội", "TP. Đà Nẵng") is no name, nor a person's after it
    ("Phó chủ tịch TP HCM Nguyễn Thị Thu")."""
    prev = _PREV_WORD.search(text[max(0, start - 30):start])
    word = prev.group(1).rstrip(".") if prev else ""
    if word[:1].isupper() and not word.isupper():
        return True
    return bool(_LONGER_NAMES.match(text[end:end + 12]))


def _place_in(text: str) -> str | None:
    """The first place ``text`` names: a unit and its name, a committee's place, or a province by name."""
    found: list[tuple[int, str]] = []
    for m in _UNIT_RE.finditer(text):
        name = m.group("name").strip()
        if name in _NO_PLACE_NAMES or _NOT_A_PLACE.search(text[max(0, m.start() - 20):m.start()]):
            continue
        unit = m.group("unit")
        unit = unit if unit[1:2].isupper() else unit.lower()  # "Huyện" opening a sentence → "huyện"
        found.append((m.start(), f"{unit} {name}{m.group('in') or ''}"))
    for m in _UY_RE.finditer(text):
        name = m.group("name").strip()
        if name not in _NO_PLACE_NAMES:  # "Thành ủy TP. HCM": the name says its unit
            unit = "" if name.startswith(("TP", "Thành phố")) else _UY_UNIT[m.group("unit").lower()] + " "
            found.append((m.start(), f"{unit}{name}"))
    for m in _PROVINCE_RE.finditer(text):
        if not _inside_a_name(text, m.start(), m.end()):
            found.append((m.start(), m.group(0)))
    return min(found)[1] if found else None


def _outlet_province(outlet: str | None) -> str | None:
    """"Baonghean.vn" → "Nghệ An": a provincial paper is named after its province."""
    compact = re.sub(r"[^a-z]", "", _fold(outlet or ""))
    if not compact:
        return None
    for name in PROVINCES:
        key = re.sub(r"[^a-z]", "", _fold(name))
        if len(key) >= 5 and key in compact:
            return name
    return None


def find_place(clean: str, headline: str | None = None, page_places: list[str] | None = None,
               outlet: str | None = None) -> str | None:
    """The place the document names for itself (see the module's doc); None when it names none."""
    page = next((p for p in map(_place_in, page_places or []) if p), None)  # as the headline's are read
    return _place_in(headline or "") or page or _place_in(lead_text(clean, headline)) or _outlet_province(outlet)
