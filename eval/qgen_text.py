"""Sentence, clause and place helpers for building questions out of a document's own wording."""
from __future__ import annotations

import re
from collections import Counter

from qgen_store import Doc, fold

# Sentence ends: a newline, or . ! ? … followed by a space (not "TP." nor "4.515").
_SENT_RE = re.compile(r"\n+|(?<!\bTP)(?<!\bTp)[.!?…]+(?=\s|$)")
# Administrative levels that introduce a place name ("thị xã Hồng Lĩnh", "tỉnh Hà Tĩnh").
LEVELS = ("tỉnh ủy", "tỉnh uỷ", "thị ủy", "thị uỷ", "huyện ủy", "huyện uỷ", "thành ủy", "thành uỷ",
          "thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "phường", "xã", "TP.")
_LEVEL_RE = re.compile(r"(?<!\w)(" + "|".join(re.escape(x) for x in LEVELS) + r") +", re.IGNORECASE)
# Words that may follow a level word but are no place name.
_NOT_NAME = {"Ủy", "Uỷ", "Đảng", "Ban", "Hội", "Đoàn", "Mặt", "Chủ", "Bí", "Phó", "Trưởng", "Công", "Văn", "Ông", "Bà",
             "Anh", "Chị", "Sở", "Phòng", "Tổ", "Các", "Trong", "Đội", "Trung"}  # as a name's first word
_THREE_WORD_STARTS = {"Thừa Thiên", "Hồ Chí"}  # place names longer than two syllables
SURNAMES = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý", "Đinh", "Đoàn", "Trương", "Đào", "Lương", "Mai", "Tô", "Châu", "Lưu", "Triệu", "Quách"}
# A bodies-of-party suffix after which a place name may be written ("Tỉnh ủy Hà Tĩnh").
ORG_LEVEL = {"tỉnh ủy": "tỉnh", "tỉnh uỷ": "tỉnh", "thị ủy": "thị xã", "thị uỷ": "thị xã", "huyện ủy": "huyện",
             "huyện uỷ": "huyện", "thành ủy": "thành phố", "thành uỷ": "thành phố", "tỉnh": "tỉnh", "thị xã": "thị xã",
             "huyện": "huyện", "thành phố": "thành phố", "xã": "xã", "phường": "phường", "quận": "quận"}


def is_cap(word: str) -> bool:
    return bool(word) and word[0].isupper() and (len(word) == 1 or word[1:].islower())


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENT_RE.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    for a, b in sentences(text):
        if a <= pos < b:
            return a, b
    return pos, pos


def places_in(text: str) -> list[tuple[str, str, int]]:
    """(level, name, offset) for every "level + capitalised name" ("huyện Cẩm Xuyên")."""
    out = []
    for m in _LEVEL_RE.finditer(text):
        words = []
        for w in re.finditer(r"[^\W\d_]+", text[m.end():m.end() + 40]):
            gap = text[m.end() + (words[-1][1] if words else 0):m.end() + w.start()]
            if (words and gap != " ") or (not words and w.start() != 0):
                break
            if not is_cap(w.group()) or (not words and w.group() in _NOT_NAME):
                break
            words.append((w.group(), w.end()))
            if len(words) == 2 and " ".join(x for x, _ in words) not in _THREE_WORD_STARTS:
                break
            if len(words) == 3:
                break
        if len(words) >= 3 and words[0][0] in SURNAMES and words[0][0] != "Hồ":
            continue  # "thành phố Ngô Minh Hải": a person's name after the level word, not a place
        if words and not (len(words) == 1 and len(words[0][0]) < 3):
            level = m.group(1).lower().replace("tp.", "thành phố")
            level = ORG_LEVEL.get(level, level)
            out.append((level, " ".join(w for w, _ in words), m.start()))
    return out


def doc_places(doc: Doc) -> Counter:
    return Counter((lvl, name) for lvl, name, _ in places_in(doc.text))


def main_place(doc: Doc, level: str | None = None) -> tuple[str, str] | None:
    """The document's dominant place (of a level, when given): named at least twice and in at least
    half of its place mentions; None otherwise (a question then names no place rather than a wrong one)."""
    counts = doc_places(doc)
    best = [(n, key) for key, n in counts.items() if level is None or key[0] == level]
    if not best:
        return None
    best.sort(key=lambda x: (-x[0], x[1]))
    n, key = best[0]
    total = sum(x[0] for x in best)
    return key if n >= 2 and 2 * n >= total else None


def words(text: str) -> list[str]:
    return text.split()


def trim_clause(sentence: str, start: int, end: int, max_left: int = 16, max_right: int = 8) -> tuple[str, str]:
    """Words left of [start, end) back to a clause boundary, and right of it up to one.
    Returns (left, right) as strings."""
    left = sentence[:start]
    cut = max(left.rfind(c) for c in ";:()“”\"")
    left = left[cut + 1:] if cut >= 0 else left
    if len(left.split()) > max_left:
        parts = left.split(", ")
        while len(parts) > 1 and len(", ".join(parts).split()) > max_left:
            parts = parts[1:]
        left = ", ".join(parts)  # still too long: the caller leaves the figure out
    right = sentence[end:]
    m = re.search(r"[,;:()“”\"]| trong đó| và | với | gồm| chiếm| so với| tăng| giảm| đạt| thì | để | nhằm", right)
    right = right[:m.start()] if m else right
    right = " ".join(right.split()) if len(right.split()) <= max_right else ""  # never cut mid-phrase
    return left.lstrip(), right


_LEAD_CONNECTORS = ("trong đó có", "trong đó", "đồng thời", "ngoài ra", "bên cạnh đó", "và", "với", "gồm", "cùng với",
                    "còn", "riêng", "hiện nay,", "tuy nhiên", "cho biết", "cho hay", "xác nhận", "cụ thể")
# A clause opening with these continues a sentence whose subject came before: no question is made from it.
DEPENDENT_OPENERS = ("nhưng", "mà", "song", "nên", "rồi", "thì", "vì", "do đó", "vì vậy", "sau đó", "sau khi", "khi",
                     "để", "nếu")


def strip_lead(text: str) -> str:
    t = text.strip(" ,;:-–")
    changed = True
    while changed:
        changed = False
        for c in _LEAD_CONNECTORS:
            if t.lower().startswith(c + " "):
                t = t[len(c) + 1:].lstrip(" ,")
                changed = True
    return t


def clean_brackets(text: str) -> str:
    text = re.sub(r"\([^()]*\)", "", text)
    text = re.sub(r"[()\[\]“”\"«»]", "", text)
    return " ".join(text.split())


def has_place_word(text: str) -> bool:
    return bool(places_in(text))


def folded_has(text: str, phrase: str) -> bool:
    return fold(phrase) in fold(text)
