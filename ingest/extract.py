"""Rule-based index of document references, figures, periods and roles.

Why rules and not a model: the index must be exact (a directive number is either
right or useless) and every ``Fact.text`` must be a verbatim span of the passage
so the UI can highlight it. A phrase the rules cannot parse is left out, never
guessed. Text is expected in NFC (the cleaner normalises it).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ingest.types import Fact

__all__ = ["extract_facts", "parse_vn_number", "DOC_TYPES"]

# --------------------------------------------------------------------------- #
# Character classes and tiny helpers
# --------------------------------------------------------------------------- #

def _letters(pred) -> str:
    """Latin letters (incl. Vietnamese) satisfying ``pred``, escaped for a regex class."""
    chars = [chr(c) for r in ((0x41, 0x7B), (0xC0, 0x250), (0x1E00, 0x1F00)) for c in range(*r)]
    return "".join(re.escape(c) for c in chars if c.isalpha() and pred(c))


_UP = _letters(str.isupper)
_LO = _letters(str.islower)
# A capitalised syllable ("Nguyễn", "Hà"); acronyms such as "BTV" are not.
_CAP = rf"[{_UP}][{_LO}]*(?![\w])"
_WORD_RE = re.compile(r"[^\W\d_]+")

_QUOTE_PAIRS = {"“": "”\"", '"': '"”', "«": "»", "„": "“”", "”": "”"}
_OPEN_QUOTES = "“\"«„"


def _is_cap(word: str) -> bool:
    """True for a capitalised syllable ("Hải"), false for acronyms and lowercase."""
    return bool(word) and word[0].isupper() and (len(word) == 1 or word[1:].islower())


def parse_vn_number(s: str) -> float | None:
    """Parse a number written the Vietnamese way: "." groups thousands, "," is decimal."""
    s = s.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?", s) is None:
        return None
    return float(s.replace(".", "").replace(",", "."))


# --------------------------------------------------------------------------- #
# Sentences (for a figure's year and place)
# --------------------------------------------------------------------------- #

_SENT_BOUNDARY_RE = re.compile(r"\n+|(?<!\bTP)(?<!\bTp)[.!?…]+(?=\s|$)")


class _Sentences:
    """Sentence spans of a text, looked up by offset."""

    def __init__(self, text: str):
        self.starts = [0]
        self.ends = []
        for m in _SENT_BOUNDARY_RE.finditer(text):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(text))

    def span(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.starts[i], self.ends[i]


# --------------------------------------------------------------------------- #
# Document references
# --------------------------------------------------------------------------- #

DOC_TYPES: dict[str, str] = {
    "Nghị quyết": "nghi-quyet",
    "Chỉ thị": "chi-thi",
    "Quyết định": "quyet-dinh",
    "Kết luận": "ket-luan",
    "Kế hoạch": "ke-hoach",
    "Hướng dẫn": "huong-dan",
    "Quy chế": "quy-che",
    "Quy định": "quy-dinh",
    "Thông báo": "thong-bao",
    "Đề án": "de-an",
    "Chương trình": "chuong-trinh",
    "Nghị định": "nghi-dinh",
    "Thông tư": "thong-tu",
    "Luật": "luat",
    "Công văn": "cong-van",
    "Chiến lược": "chien-luoc",
    "Pháp lệnh": "phap-lenh",
}
_CANON = {k.lower(): k for k in DOC_TYPES}

_TYPE_ALT = "|".join(re.escape(t) for t in sorted(DOC_TYPES, key=len, reverse=True))
# A symbol segment has at least two capitals: "CT", "ThU", "TTg", "QH15", "NĐ".
_SEG = r"(?=[A-ZĐƯa-zđư]*[A-ZĐƯ][a-zđư]*[A-ZĐƯ])[A-ZĐƯ][A-ZĐƯa-zđư]{0,6}\d{0,2}"
_DOC_NUM = (
    rf"\d{{1,5}}[a-z]?"                      # 20, 145, 01
    rf"(?:\s*/\s*(?:19|20)\d\d)?"            # /2020
    rf"(?:\s*[-/]\s*{_SEG}(?:\s*[-/]\s*{_SEG}){{0,2}})?"  # -CT/ThU, /NĐ-CP
    rf"(?![\w/])"
)
_DOC_HEAD_RE = re.compile(
    rf"(?<![\w])(?<!pháp )(?<!Pháp )(?P<type>(?i:{_TYPE_ALT}))(?![\w])"
    rf"(?:(?P<so>\s+(?i:số)\s*)|\s+)?"
    rf"(?P<num>{_DOC_NUM})?"
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
# Lowercase words allowed inside an issuer ("Đảng ủy Khối các cơ quan tỉnh").
_ORG_LOWER = {
    "các", "cơ", "quan", "tỉnh", "thành", "phố", "huyện", "xã", "thị", "trấn", "ủy",
    "uỷ", "ban", "thường", "vụ", "trực", "dân", "vận", "chấp", "hành", "trung",
    "ương", "đảng", "khối", "bộ", "chính", "trị", "phủ", "nhân", "hội", "đồng",
    "khóa", "khoá", "tướng", "thủ", "bí", "thư", "mặt", "trận", "tổ", "quốc",
    "đoàn", "liên", "hiệp", "sở", "phòng", "văn", "chủ", "tịch", "lao", "động",
    "kiểm", "tra", "tuyên", "giáo", "nội", "chức", "quận", "phường", "đạo", "chỉ",
    "cấp", "ngành", "viện", "kiểm", "sát", "tòa", "án", "nông", "phụ", "nữ", "cựu",
    "chiến", "binh", "niên", "thanh", "cộng", "sản", "hồ", "minh", "quân", "sự",
    "công", "an", "đại", "biểu", "nước", "thể", "lãnh", "trưởng", "tài", "tịch",
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
        ok = core[0].isupper() or core.lower() in _ORG_LOWER or _ROMAN.fullmatch(core)
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


def _document_refs(text: str) -> list[Fact]:
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


# --------------------------------------------------------------------------- #
# Periods
# --------------------------------------------------------------------------- #

_PERIOD_RE = re.compile(
    r"(?<!\w)(?P<label>(?i:giai đoạn|nhiệm kỳ|nhiệm kì|thời kỳ))\s+"
    r"(?:(?i:từ)\s+(?:(?i:năm)\s+)?)?(?P<a>(?:19|20)\d\d)"
    r"(?:\s*[-–—]\s*|\s+(?i:đến)\s+(?:(?i:năm)\s+)?)"
    r"(?P<b>(?:19|20)\d\d|\d\d)(?![\d/])"
)


def _periods(text: str) -> list[Fact]:
    facts = []
    for m in _PERIOD_RE.finditer(text):
        a = int(m.group("a"))
        b_raw = m.group("b")
        b = int(b_raw) if len(b_raw) == 4 else (a // 100) * 100 + int(b_raw)
        if b < a or b - a > 30:
            continue
        label = m.group("label").lower().replace("nhiệm kì", "nhiệm kỳ")
        facts.append(Fact(kind="period", text=m.group(0), start=m.start(),
                          fields={"label": label, "start": a, "end": b}))
    return facts


# --------------------------------------------------------------------------- #
# Figures
# --------------------------------------------------------------------------- #

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
    rf"(?<!\w)(?<!tấn )(?<!tác )(?<!Tấn )(?<!Tác )(?P<kw>(?i:thành phố|thị trấn|thị xã|tỉnh|huyện|xã|phường|quận)\s+|TP\.?\s*)"
    rf"(?P<name>{_CAP}(?:\s+{_CAP}){{0,4}})"
)
_SURNAMES = {
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
    "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Hà", "Đào", "Đoàn", "Lương",
    "Trịnh", "Mai", "Trương", "Lâm", "Thái", "Cao", "Tạ", "Lưu", "Tô", "Châu",
    "Quách", "Kiều", "La", "Triệu", "Chu", "Vương", "Đàm", "Nông", "Lò", "Hứa",
    "Tăng", "Phùng", "Khúc", "Từ", "Âu", "Thân", "Tôn", "Giang", "Kim", "Diệp",
    "Doãn", "Mạc", "Lã", "Nghiêm", "Tống", "Hầu", "Đồng", "Cù", "Lục", "Ninh",
    "Bạch", "Thạch", "Văn", "Lại", "Hoàng", "Quan", "Âu", "Viên", "Khổng", "Mẫn",
    "Vi", "Sầm", "Lường", "Ksor", "Y", "Rơ", "Đới", "Hàn", "Tiêu", "Ma",
}
_YEAR_RE = re.compile(r"(?<![\d.,])(?:(?<=\d/)|(?<![/\-–]))(19[4-9]\d|20\d\d)(?![\d/])")
_DATE_RE = re.compile(
    r"(?<![\d/])\d{1,2}\s?[/-]\s?\d{1,2}(?:\s?[/-]\s?\d{2,4})?(?![\d/])|\d{1,2}:\d{2}"
)


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([^\W_]+)\W{0,2}$", text[max(0, pos - 30):pos])
    return m.group(1).lower() if m else ""


def _after_proper_name(text: str, pos: int) -> bool:
    """"Vùng 4", "Liên Sơn 2": a number right after a capitalised word mid-sentence is a name."""
    m = re.search(r"(?:^|([^\s]?)\s*)\b([^\W\d_]+) $", text[max(0, pos - 40):pos])
    if not m or not _is_cap(m.group(2)):
        return False
    before = text[max(0, pos - 40):pos][:m.start(2)].rstrip(" \u00a0")
    return bool(before) and before[-1] not in ".!?:;(“\"«–—-\n" and not before.endswith("...")


def _counted(text: str, pos: int) -> tuple[str, str] | None:
    """Counted noun phrase right after ``pos`` → (unit, counts)."""
    words = []
    cursor = pos
    for m in _WORD_RE.finditer(text, pos, min(len(text), pos + 80)):
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
    while len(words) > 1 and words[-1][0] in _SURNAMES:
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
        if own[0] <= m.start() < own[1] or _inside(m.start(), blocked):
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
        if len(kept) >= 2 and w in _SURNAMES:
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


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _figures(text: str, blocked: list[tuple[int, int]], sentences: _Sentences) -> list[Fact]:
    facts = []
    for m in _FIGURE_RE.finditer(text):
        ns, ne = m.span("num")
        value = m.group("num")
        if _inside(ns, blocked):
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
        if re.fullmatch(r"(?:19|20)\d\d", value) and unit not in _MULTI_UNITS and unit != "%" and not q:
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


# --------------------------------------------------------------------------- #
# Roles
# --------------------------------------------------------------------------- #

_POS_CORE = [
    "Bí thư", "Chủ tịch", "Trưởng ban", "Giám đốc", "Ủy viên", "Uỷ viên", "Tỉnh ủy viên",
    "Tỉnh uỷ viên", "Thành ủy viên", "Thành uỷ viên", "Huyện ủy viên", "Huyện uỷ viên",
    "Bộ trưởng", "Thứ trưởng", "Thủ tướng", "Chủ nhiệm", "Chánh văn phòng", "Trưởng phòng",
    "Trưởng công an", "Cục trưởng", "Vụ trưởng", "Viện trưởng", "Chánh án", "Tổng thư ký",
    "Chỉ huy trưởng", "Thường trực", "Chánh thanh tra", "Hiệu trưởng", "Đại biểu Quốc hội",
    "Trưởng đoàn", "Tổng biên tập", "Trưởng khoa",
]


def _pos_pattern(word: str, any_case_first: bool) -> str:
    """"Trưởng ban" → "[Tt]rưởng\\s+[Bb]an": inner syllables may be either case."""
    out = []
    for i, syl in enumerate(word.split()):
        first = syl[0]
        if i == 0 and not any_case_first:
            head = re.escape(first)
        else:
            head = f"[{re.escape(first.upper())}{re.escape(first.lower())}]"
        out.append(head + re.escape(syl[1:]))
    return r"\s+".join(out)


_POS_ALT = (
    r"(?:Phó\s+(?:[Tt]ổng\s+)?(?:" + "|".join(_pos_pattern(w, True) for w in _POS_CORE) + ")"
    r"|(?:Tổng\s+)?(?:" + "|".join(_pos_pattern(w, False) for w in _POS_CORE) + "))"
)
_POS_RE = re.compile(rf"(?<!\w){_POS_ALT}(?!\w)")
_HONORIFIC = r"(?:[Đđ]ồng\s+chí|[Ôô]ng|[Bb]à|[Aa]nh|[Cc]hị)"
_NAME = rf"{_CAP}(?:\s{_CAP}){{1,6}}"
_ROLE_A_RE = re.compile(
    rf"(?P<hon>{_HONORIFIC}\s+)?(?P<name>{_NAME})(?P<sep>\s*[–—-]\s*|,\s*)(?={_POS_ALT}(?!\w))"
)
_NAME_RE = re.compile(rf"(?<![\w]){_NAME}")
_POS_END_RE = re.compile(
    r"[;\n!?:\"“”]|\.(?=\s|$)|\((?![A-ZĐ]{2,6}\))"
    r"|\s(?:và\s+(?:đồng\s+chí|ông|bà)|đã|đang|sẽ|được|chủ\s+trì|phát\s+biểu|cùng|tặng"
    r"|ghi\s+nhận|nhấn\s+mạnh|cho\s+biết|khẳng\s+định|đề\s+nghị|yêu\s+cầu|tham\s+dự|đến\s+dự"
    r"|dự(?!\s+khuyết)|trao|ký|kiểm\s+tra|thăm|làm\s+việc|tại|cho\s+rằng|nói|chia\s+sẻ"
    r"|thông\s+tin|báo\s+cáo|trình\s+bày|bày\s+tỏ|với|là|trong|khi|vừa|và|có|bị|thì|mà"
    r"|làm|vì|về\s+tội|sở\s+hữu|dẫn\s+đầu|kế\s+nhiệm|giữ\s+chức|thay|nhận|lên|xuống)(?!\w)"
)
_NOT_PERSONS = {"Hồ Chí Minh"}
_PLACE_KW = {"tỉnh", "huyện", "xã", "phường", "quận", "tp", "phố", "trấn"}


def _pick_name(words: list[str], min_len: int, after_place: bool) -> int | None:
    """Index where the person's name starts in a run of capitalised syllables."""
    candidates = [i for i, w in enumerate(words) if w in _SURNAMES and min_len <= len(words) - i <= 5]
    if after_place:
        candidates = [i for i in candidates if i > 0]
    for i in candidates:
        if len(words) - i <= 4:
            return i
    return candidates[0] if candidates else None


def _position_span(text: str, start: int) -> tuple[int, str] | None:
    """Position phrase from ``start`` to the clause end; keep only segments that are positions."""
    m = _POS_END_RE.search(text, start, min(len(text), start + 200))
    end = m.start() if m else min(len(text), start + 200)
    if not m and end - start >= 200:
        return None
    raw = text[start:end]
    segs = raw.split(",")
    kept = [segs[0]]
    for s in segs[1:]:
        if _POS_RE.match(s.strip()) and s.startswith(" "):
            kept.append(s)
        else:
            break
    pos = ",".join(kept)
    for other in _NAME_RE.finditer(pos):  # another person's name inside: cut before it
        words = other.group(0).split()
        k = _pick_name(words, 3, False)
        if other.start() > 0 and k is not None:
            cut = other.start() + other.group(0).index(words[k]) if k else other.start()
            pos = pos[:cut]
            break
    pos = pos.rstrip(" ,-–—")
    return (start + len(pos), pos) if pos else None


def _roles(text: str) -> list[Fact]:
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for m in _ROLE_A_RE.finditer(text):
        words = m.group("name").split()
        k = _pick_name(words, 2 if m.group("hon") else 3, False)
        if k is None:
            continue
        name_start = m.start("name")
        for w in words[:k]:
            name_start = text.index(w, name_start) + len(w)
        name_start = text.index(words[k], name_start)
        span = _position_span(text, m.end())
        if not span:
            continue
        end, position = span
        person = " ".join(words[k:])
        facts.append(Fact(kind="role", text=text[name_start:end], start=name_start,
                          fields={"person": person, "position": position}))
        taken.append((name_start, end))
    for m in _POS_RE.finditer(text):
        if _inside(m.start(), taken):
            continue
        fact = _role_b(text, m)
        if fact:
            facts.append(fact)
            taken.append((fact.start, fact.start + len(fact.text)))
    return facts


def _role_b(text: str, m: re.Match) -> Fact | None:
    """"Trưởng ban Dân vận Tỉnh ủy Phan Cao Thanh": position, then the name."""
    toks = []
    cursor = m.end()
    for w in re.finditer(r"[^\W\d_]+", text[cursor:cursor + 160]):
        gap = text[cursor:cursor + w.start()] if not toks else text[toks[-1][2]:cursor + w.start()]
        if gap not in (" ",) or len(toks) >= 16:
            break
        word = w.group(0)
        if not (word[0].isupper() or word.lower() in _ORG_LOWER):
            break
        toks.append((word, cursor + w.start(), cursor + w.end()))
    # trailing run of capitalised syllables
    run = []
    for t in reversed(toks):
        if not _is_cap(t[0]):
            break
        run.insert(0, t)
    if len(run) < 3:
        return None
    before = toks[len(toks) - len(run) - 1][0].lower() if len(toks) > len(run) else ""
    k = _pick_name([t[0] for t in run], 3, before in _PLACE_KW)
    if k is None:
        return None
    name = run[k:]
    position = text[m.start():name[0][1]].rstrip()
    if " ".join(t[0] for t in name) in _NOT_PERSONS and position != "Chủ tịch":
        return None
    if not position:
        return None
    return Fact(kind="role", text=text[m.start():name[-1][2]], start=m.start(),
                fields={"person": " ".join(t[0] for t in name), "position": position})


# --------------------------------------------------------------------------- #
# Entry point
# --------------------------------------------------------------------------- #

def extract_facts(text: str) -> list[Fact]:
    """All facts of one passage, ordered by offset; ``chunk_id`` is left for the caller."""
    if not text or not text.strip():
        return []
    docs = _document_refs(text)
    periods = _periods(text)
    blocked = [(f.start, f.start + len(f.text)) for f in docs + periods]
    blocked += [m.span() for m in _DATE_RE.finditer(text)]
    blocked += [m.span() for m in re.finditer(rf"(?:{_TYPE_ALT})\s+(?:số\s+)?{_DOC_NUM}", text, re.I)]
    figures = _figures(text, blocked, _Sentences(text))
    roles = _roles(text)
    facts = docs + periods + figures + roles
    facts.sort(key=lambda f: (f.start, f.kind))
    return facts
