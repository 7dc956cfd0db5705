"""Shared pieces of the fact rules: letter classes, Vietnamese numbers, sentence spans, surnames.

Text is expected in NFC (the cleaner normalises it).
"""
from __future__ import annotations

import bisect
import re


def _letters(pred) -> str:
    """Latin letters (incl. Vietnamese) satisfying ``pred``, escaped for a regex class."""
    chars = [chr(c) for r in ((0x41, 0x7B), (0xC0, 0x250), (0x1E00, 0x1F00)) for c in range(*r)]
    return "".join(re.escape(c) for c in chars if c.isalpha() and pred(c))


UP = _letters(str.isupper)
LO = _letters(str.islower)
# A capitalised syllable ("Nguyễn", "Hà"); acronyms such as "BTV" are not.
CAP = rf"[{UP}][{LO}]*(?![\w])"
WORD_RE = re.compile(r"[^\W\d_]+")


def is_cap(word: str) -> bool:
    """True for a capitalised syllable ("Hải"), false for acronyms and lowercase."""
    return bool(word) and word[0].isupper() and (len(word) == 1 or word[1:].islower())


def parse_vn_number(s: str) -> float | None:
    """Parse a number written the Vietnamese way: "." groups thousands, "," is decimal."""
    s = s.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?", s) is None:
        return None
    return float(s.replace(".", "").replace(",", "."))


_SENT_BOUNDARY_RE = re.compile(r"\n+|(?<!\bTP)(?<!\bTp)[.!?…]+(?=\s|$)")


class Sentences:
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


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


# Lowercase words allowed inside an issuer ("Đảng ủy Khối các cơ quan tỉnh").
ORG_LOWER = {
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
SURNAMES = {
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
    "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Hà", "Đào", "Đoàn", "Lương",
    "Trịnh", "Mai", "Trương", "Lâm", "Thái", "Cao", "Tạ", "Lưu", "Tô", "Châu",
    "Quách", "Kiều", "La", "Triệu", "Chu", "Vương", "Đàm", "Nông", "Lò", "Hứa",
    "Tăng", "Phùng", "Khúc", "Từ", "Âu", "Thân", "Tôn", "Giang", "Kim", "Diệp",
    "Doãn", "Mạc", "Lã", "Nghiêm", "Tống", "Hầu", "Đồng", "Cù", "Lục", "Ninh",
    "Bạch", "Thạch", "Văn", "Lại", "Hoàng", "Quan", "Âu", "Viên", "Khổng", "Mẫn",
    "Vi", "Sầm", "Lường", "Ksor", "Y", "Rơ", "Đới", "Hàn", "Tiêu", "Ma",
}
