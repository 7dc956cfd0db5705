"""Abbreviations a document defines for itself (pure): "giải phóng mặt bằng (GPMB)", "An toàn giao thông
(ATGT)". A report spells a term out once and abbreviates it after; a sentence that writes "GPMB" then says the
words a question spells out. The field's common abbreviations are in the packaged glossary; these are the
document's own.
"""
from __future__ import annotations

import re
from functools import lru_cache

from vntext.normalize import folded_form, tokens

# "(ABBR)": two to eight capitals (Đ included) in brackets, right after the words they abbreviate.
_BRACKETED_RE = re.compile(r"\(\s*([A-ZĐ]{2,8})\s*\)")
LOOK_BACK_CHARS = 120  # the words before the bracket: eight syllables at most, with their accents


@lru_cache(maxsize=512)
def defined_abbreviations(text: str) -> dict[str, tuple[str, ...]]:
    """Folded abbreviation → the folded words it stands for, when their initials spell it ("giải phóng mặt bằng
    (GPMB)" → {"gpmb": ("giai", "phong", "mat", "bang")}); the first definition of an abbreviation holds."""
    out: dict[str, tuple[str, ...]] = {}
    for m in _BRACKETED_RE.finditer(text):
        abbr = folded_form(m.group(1)).lower()
        if abbr in out:
            continue
        words = tokens(folded_form(text[max(0, m.start() - LOOK_BACK_CHARS):m.start()]))
        spelled = tuple(words[-len(abbr):])
        if len(spelled) == len(abbr) and all(w[:1].isalpha() for w in spelled) \
                and "".join(w[0] for w in spelled) == abbr:
            out[abbr] = spelled
    return out
