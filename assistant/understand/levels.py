"""The administrative level a text speaks of: xã, huyện, tỉnh or trung ương (pure functions).

The field's rules are written level by level ("Ủy viên Ủy ban Mặt trận Tổ quốc cấp tỉnh … 230.000 đồng", "Ban Cứu
trợ cấp xã mở tài khoản tại Kho bạc nhà nước huyện"): a question about the commune's Front is not answered by the
province's line. A level is a level word that names no place: "cấp xã", "UBND xã", "Mặt trận xã tôi", "ngân sách
trung ương" — not "xã Phước Vinh" or "tỉnh Sóc Trăng" (a capitalised name follows), not "Tỉnh ủy" (a body).
"""
from __future__ import annotations

import re
from functools import lru_cache

from vntext.vocab import ADMIN_UNITS, pick

# Each level and the words that say it ("thị trấn", "phường" are of the commune's level, "quận", "thị xã" of the
# district's). "thành phố" is left out: a city may be of the province's level or of the district's.
LEVEL_WORDS = {
    "xã": pick(ADMIN_UNITS, "xã", "phường", "thị trấn"),
    "huyện": pick(ADMIN_UNITS, "huyện", "quận", "thị xã"),
    "tỉnh": pick(ADMIN_UNITS, "tỉnh"),
    "trung ương": ("trung ương", "tw", "tư"),
}
_WORD_TO_LEVEL = {w: level for level, words in LEVEL_WORDS.items() for w in words}
# A level word, then what follows it: a capitalised word makes it a place's name, "ủy" a party committee.
_LEVEL_RE = re.compile(r"(?<![\w/-])(" + "|".join(sorted(map(re.escape, _WORD_TO_LEVEL), key=len, reverse=True))
                       + r")(?![\w/-])(?P<after>\s*\S*)", re.IGNORECASE)


@lru_cache(maxsize=8192)
def levels_of(text: str) -> frozenset[str]:
    """The levels ``text`` speaks of ("Ủy ban Mặt trận Tổ quốc cấp xã" → {"xã"}); a level word that starts a
    place's name or a committee's ("xã Phước Vinh", "Tỉnh ủy") is none."""
    out = set()
    for m in _LEVEL_RE.finditer(text):
        word, after = m.group(1), m.group("after").strip()
        if word.isupper() and len(word) > 1 and word.lower() not in ("tw", "tư"):
            continue  # an abbreviation's letters ("XA")
        level = _WORD_TO_LEVEL[word.lower()]
        if level == "trung ương":
            if re.search(r"thuộc\s*$", text[:m.start()], re.IGNORECASE):
                continue  # "thành phố trực thuộc trung ương": a province's kind
        elif after[:1].isupper() or after[:1].isdigit() or after.lower().startswith(("ủy", "uỷ")):
            continue  # "xã Phước Vinh", "phường 3", "Tỉnh ủy" (no place is named "Trung ương …")
        if word.lower() in ("tw", "tư") and not word.isupper():
            continue  # "tư" is also a word ("tư pháp", "tư cách"); the abbreviation is written in capitals
        out.add(level)
    return frozenset(out)


def other_level(asked: frozenset[str], sentence: str) -> frozenset[str]:
    """The levels a sentence speaks of when none of them is an asked one (empty when it names none, or an asked
    one too: "Ban Cứu trợ cấp huyện, cấp xã …" answers for the commune)."""
    written = levels_of(sentence)
    return written if asked and written and not written & asked else frozenset()
