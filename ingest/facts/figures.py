"""Figures: a number with its unit, what it counts, its qualifier, and the year and place of its sentence.

"hơn 1.200 hộ dân", "95,5%", "2 triệu người", "15 tỷ đồng", "120 ha"; a number that is an ordinal,
a date part, an address, a code or a document number is left out.
"""
from __future__ import annotations

import re

from ingest.facts.common import CAP, SURNAMES, WORD_RE, Sentences, inside, is_cap, parse_vn_number
from ingest.types import Fact
from vntext.vocab import ADMIN_UNITS, CENTURY_YEAR, CITY_ABBR, YEAR, alternation, without

_QUALIFIERS = ["lên tới", "lên đến", "ít nhất", "tối thiểu", "tối đa", "không quá",
               "xấp xỉ", "khoảng", "trên", "hơn", "gần", "đạt", "tới", "chừng",
               "dưới", "ngót"]
_QUAL_ALT = "|".join(re.escape(q) for q in _QUALIFIERS)
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_FIGURE_RE = re.compile(
    rf"(?:(?<!\w)(?P<q>(?i:{_QUAL_ALT}))\s*|(?<![\w.,/:\-–])(?<!\d\s))"
    rf"(?<!\d\s[-–]\s)(?<!\d[-–]\s)(?<!\d\s[-–])"
    rf"(?P<num>{_NUM})"
    rf"(?!(?!đ(?!\w))\w|/|[.,]\d|:\d|\s*[-–]\s*\d|-\w|\s*-\s*[A-ZĐ]{{2}}|\s\d)"
)
_MULT = r"nghìn|ngàn|triệu|tỷ|tỉ"
_CURRENCY = (r"đồng(?!\s+(?:chí|bào|thời|lòng|ý|tình|hành|bộ|nghiệp|đội|minh|hương|ruộng"
             r"|cỏ|bằng|hồ|loạt|phục|dạng|đều|nhất|thuận|cảm|sức|khởi|tâm|ca|dao|xu))|USD|VNĐ|VND|đô la|euro|đ")
_PER = r"(?:/(?:năm|tháng|người|hộ|ngày|tháng|suất|lượt))?"
_PERCENT_RE = re.compile(r"\s*(?:%|phần trăm(?!\w))")
_MONEY_RE = re.compile(
    rf"(?:\s+(?P<mult>{_MULT})(?:\s+(?P<cur1>{_CURRENCY}))?|\s*(?P<cur2>{_CURRENCY}))(?!\w){_PER}"
)
_MEASURE_RE = re.compile(r"\s*(?P<u>ha|km2|km|m2|m²|m3|kg|tấn|lít|héc-ta|hécta)(?!\w)" + _PER)
# Words that never head a counted noun phrase (function words, time units).
_NOT_NOUN = {
    "của", "và", "với", "là", "có", "được", "đã", "đang", "sẽ", "thì", "mà", "các",
    "những", "này", "đó", "trong", "ngoài", "trên", "dưới", "từ", "đến", "tới",
    "cho", "để", "về", "tại", "ở", "theo", "khi", "nếu", "hay", "hoặc", "không",
    "cũng", "vẫn", "rất", "lên", "ra", "vào", "sau", "trước", "giữa", "bởi", "vì",
    "do", "nên", "nhưng", "như", "nhằm", "gồm", "bị", "phải", "đều", "chỉ", "còn",
    "năm", "tháng", "tuần", "ngày", "giờ", "phút", "giây", "tuổi", "thế", "quý",
    "kỳ", "khóa", "khoá", "đợt", "trở", "x", "lần", "thứ", "số", "ông", "bà",
    "anh", "chị", "em", "cháu", "đêm", "sáng", "chiều", "tối", "trưa", "độ",
    "xuống", "qua", "tăng", "giảm", "hơn", "gần", "khoảng", "đạt", "nay",
    "tốt", "luôn", "lại", "nữa", "khác", "rồi", "mới", "so",
}
# Counted phrase ends at these (after its head noun).
_STOP_CONT = (_NOT_NOUN - {"lần", "số", "thứ", "tốt", "mới", "khác"}) | {
    "thường", "vừa", "hàng", "mỗi", "toàn", "nhiều", "đối", "thuộc", "giúp", "tham", "đăng",
    "nằm", "gửi", "liền", "đóng", "bán", "khiến", "chấm", "dành", "tiếp", "thay", "hoạt",
}
# A capitalised word continues a counted phrase only after these ("cấp Thị xã", "thôn Liên Sơn").
_CAP_AFTER = {
    "cấp", "thôn", "xã", "huyện", "tỉnh", "phường", "quận", "thị", "phố", "người", "dân",
    "viên", "đoàn", "hội", "khối", "ban", "ngành", "bộ", "sở", "tổ", "đội", "trường",
    "giải", "tuyển", "ấp", "bản", "làng", "xóm", "chương", "hiệu", "biểu",
}
# Single-syllable classifiers; other counted nouns are usually two syllables ("nhà máy").
_ONE_SYLLABLE_UNITS = {
    "người", "hộ", "con", "chiếc", "cái", "cuộc", "lượt", "tàu", "xe", "xã", "tỉnh",
    "huyện", "thôn", "bản", "ấp", "trường", "lớp", "đoàn", "đội", "tổ", "giải", "ly",
    "phiếu", "suất", "phần", "tấn", "bàn", "đơn", "bài", "câu", "cây", "gương", "em",
    "cháu", "trẻ", "ca", "vụ", "lần", "đợt", "nhóm", "bộ", "cuốn", "tập", "quyển", "căn",
    "nơi", "điểm", "km", "ha", "mm", "cm", "m", "tay", "giếng", "bộ", "hồ", "túi", "thùng",
    "bao", "lô", "thửa", "gói", "mũ", "phòng", "tầng", "ngày", "tuyến", "đơn", "hạng",
    "huy", "bằng", "kg", "tỉ", "tỷ", "chuyến", "buổi", "khóa", "khoá", "bé", "học",
}
_MULTI_UNITS = [
    "mô hình", "đơn vị", "tổ dân phố", "đảng viên", "cán bộ", "hội viên", "đoàn viên",
    "đồng chí", "nhiệm vụ", "hộ gia đình", "hộ dân", "gia đình", "tập thể", "cá nhân",
    "công trình", "văn bản", "hội nghị", "ý kiến", "trường hợp", "đối tượng",
    "thành viên", "đại biểu", "học sinh", "sinh viên", "cơ sở", "tổ chức",
    "doanh nghiệp", "chi bộ", "đảng bộ", "nội dung", "giải pháp", "chương trình",
    "dự án", "ngôi nhà", "căn nhà", "lượt người", "công nhân", "chỉ tiêu", "tiêu chí",
    "cuộc vận động", "lớp học", "bài viết", "tin bài", "phần quà", "suất quà",
]
# Words before a number that make it an ordinal, date part, address or code.
_BLOCK_BEFORE = {
    "điều", "khoản", "điểm", "mục", "chương", "phần", "số", "thứ", "ngày", "tháng",
    "năm", "quý", "khóa", "khoá", "lớp", "quận", "phường", "tổ", "thôn", "ấp", "xóm",
    "khu", "đội", "phòng", "tầng", "lộ", "đường", "sn", "kỳ", "đợt", "phiên",
    "trang", "mẫu", "biểu", "bảng", "hình", "covid", "giải", "hạng", "bậc", "cấp",
    "top", "mã", "tel", "fax", "đt", "hotline", "online", "lần", "vòng", "ca",
    "tuyến", "kê", "ipv", "version", "phụ", "lục",
    "tập", "số", "câu", "bài", "ảnh", "clip", "video", "khối", "nhà", "căn", "lô",
    "thửa", "tờ", "kênh", "tiết", "học", "hệ",
}
_PLACE_RE = re.compile(
    rf"(?<!\w)(?<!tấn )(?<!tác )(?<!Tấn )(?<!Tác )"
    rf"(?P<kw>(?i:{alternation(without(ADMIN_UNITS, CITY_ABBR))})\s+|{CITY_ABBR.upper()}\.?\s*)"
    rf"(?P<name>{CAP}(?:\s+{CAP}){{0,4}})"
)
_YEAR_RE = re.compile(rf"(?<![\d.,])(?:(?<=\d/)|(?<![/\-–]))({YEAR})(?![\d/])")
DATE_RE = re.compile(
    r"(?<![\d/])\d{1,2}\s?[/-]\s?\d{1,2}(?:\s?[/-]\s?\d{2,4})?(?![\d/])|\d{1,2}:\d{2}"
)


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([^\W_]+)\W{0,2}$", text[max(0, pos - 30):pos])
    return m.group(1).lower() if m else ""


def _after_proper_name(text: str, pos: int) -> bool:
    """"Vùng 4", "Liên Sơn 2": a number right after a capitalised word mid-sentence is a name."""
    m = re.search(r"(?:^|([^\s]?)\s*)\b([^\W\d_]+) $", text[max(0, pos - 40):pos])
    if not m or not is_cap(m.group(2)):
        return False
    before = text[max(0, pos - 40):pos][:m.start(2)].rstrip(" \u00a0")
    return bool(before) and before[-1] not in ".!?:;(“\"«–—-\n" and not before.endswith("...")


def _counted(text: str, pos: int) -> tuple[str, str] | None:
    """Counted noun phrase right after ``pos`` → (unit, counts)."""
    words = []
    cursor = pos
    for m in WORD_RE.finditer(text, pos, min(len(text), pos + 80)):
        gap = text[cursor:m.start()]
        if gap not in (" ", "\u00a0") or len(words) >= 7:
            break
        w = m.group(0)
        wl = w.lower()
        if not words:
            if not w[0].islower() or wl in _NOT_NOUN:
                return None
        elif wl in _STOP_CONT:
            break
        elif w[0].isupper() and words[-1][0][0].islower() and (
                words[-1][0].lower() not in _CAP_AFTER
                or (words[-1][0].lower() == "biểu" and (len(words) < 2 or words[-2][0].lower() != "đại"))):
            break
        words.append((w, m.start(), m.end()))
        cursor = m.end()
    if not words:
        return None
    # Trim trailing capitalised words that start a person's name or a new clause.
    while len(words) > 1 and words[-1][0] in SURNAMES:
        words.pop()
    counts = text[words[0][1]:words[-1][2]]
    lower_counts = counts.lower()
    unit = next((u for u in _MULTI_UNITS if lower_counts == u or lower_counts.startswith(u + " ")), None)
    if unit is None:
        first = words[0][0]
        two = len(words) > 1 and words[1][0][0].islower() and first.lower() not in _ONE_SYLLABLE_UNITS
        unit = f"{first} {words[1][0]}" if two else first
    return unit, counts


def _percent_counts(text: str, num_start: int, sent_start: int) -> str | None:
    """"tỷ lệ phiếu bầu đạt 100%" → "tỷ lệ phiếu bầu"."""
    before = text[max(sent_start, num_start - 80):num_start]
    m = re.search(r"(tỷ lệ|tỉ lệ)((?:\s+[^\W\d_]+){0,5}?)\s+(?:(?:đạt|là|chiếm|bằng|lên|tới|trên|hơn|gần|khoảng)\s+)*$", before)
    if m:
        return (m.group(1) + m.group(2)).strip()
    return None


def _year_in(text: str, span: tuple[int, int], own: tuple[int, int], blocked: list[tuple[int, int]], anchor: int) -> int | None:
    """Nearest 4-digit year in the sentence, outside the figure, ranges and document numbers."""
    best = None
    for m in _YEAR_RE.finditer(text, span[0], span[1]):
        if own[0] <= m.start() < own[1] or inside(m.start(), blocked):
            continue
        if re.match(r"\s*[-–—]\s*\d{4}", text[m.end():m.end() + 8]) or re.search(r"\d\s*[-–—]\s*$", text[max(0, m.start() - 4):m.start()]):
            continue
        d = abs(m.start() - anchor)
        if best is None or d < best[0]:
            best = (d, int(m.group(1)))
    return best[1] if best else None


def _place_name(text: str, m: re.Match) -> str | None:
    """Place keyword + capitalised words, stopping where a person's name begins."""
    words = m.group("name").split()
    kept = []
    for w in words:
        if len(kept) >= 2 and w in SURNAMES:
            break
        kept.append(w)
    if not kept:
        return None
    start = m.start("name")
    end = text.find(kept[-1], start + sum(len(w) for w in kept[:-1])) + len(kept[-1])
    return text[m.start():end]


def _place_in(text: str, span: tuple[int, int], anchor: int) -> str | None:
    best = None
    for m in _PLACE_RE.finditer(text, span[0], span[1]):
        name = _place_name(text, m)
        if not name:
            continue
        d = abs(m.start() - anchor)
        if best is None or d < best[0]:
            best = (d, re.sub(r"\s+", " ", name))
    return best[1] if best else None


def find_figures(text: str, blocked: list[tuple[int, int]], sentences: Sentences) -> list[Fact]:
    facts = []
    for m in _FIGURE_RE.finditer(text):
        ns, ne = m.span("num")
        value = m.group("num")
        if inside(ns, blocked):
            continue
        q = m.group("q")
        if _prev_word(text, m.start() if q else ns) in _BLOCK_BEFORE:
            continue
        if value.startswith("0") and len(value.replace(".", "")) >= 4:
            continue  # phone numbers, codes
        number = parse_vn_number(value)
        if number is None:
            continue
        unit = counts = None
        end = ne
        if (p := _PERCENT_RE.match(text, ne)):
            unit, end = "%", p.end()
            c = _counted(text, end)
            counts = c[1] if c else None
            if c:
                end = text.find(c[1], end) + len(c[1])
        elif (p := _MONEY_RE.match(text, ne)):
            mult, cur = p.group("mult"), p.group("cur1") or p.group("cur2")
            if cur:
                unit, end = text[ne:p.end()].strip(), p.end()
            elif mult:  # "2 triệu người"
                c = _counted(text, p.end())
                if not c:
                    continue
                unit = f"{mult} {c[0]}"
                counts = c[1]
                end = text.find(c[1], p.end()) + len(c[1])
        elif (p := _MEASURE_RE.match(text, ne)):
            unit, end = text[ne:p.end()].strip(), p.end()
        else:
            c = _counted(text, ne)
            if not c or (not q and _after_proper_name(text, ns)):
                continue
            unit, counts = c
            end = text.find(counts, ne) + len(counts)
        if re.fullmatch(CENTURY_YEAR, value) and unit not in _MULTI_UNITS and unit != "%" and not q:
            continue  # a bare year followed by a noun ("2018 các ...") is not a count
        start = m.start()
        sent = sentences.span(ns)
        if unit == "%" and counts is None:
            counts = _percent_counts(text, m.start(), sent[0])
        facts.append(Fact(
            kind="figure", text=text[start:end], start=start,
            fields={
                "value": value, "number": number,
                "qualifier": q.lower() if q else None, "unit": unit, "counts": counts,
                "year": _year_in(text, sent, (start, end), blocked, ns),
                "place": _place_in(text, sent, ns),
            },
        ))
    return facts

