"""Abbreviations a document defines for itself (pure): "giải phóng mặt bằng (GPMB)", "An toàn giao thông
(ATGT)". A report spells a term out once and abbreviates it after; a sentence that writes "GPMB" then says the
words a question spells out. The field's common abbreviations are in the packaged glossary; these are the
document's own.
"""
from __future__ import annotations

import re
from functools import lru_cache

from vntext.normalize import folded_form, tokens

# "… words (ABBR)": two to eight capitals (Đ included) in brackets right after the words they abbreviate.
_DEFINED_RE = re.compile(r"((?:[^\W\d_]+\s+){1,9}[^\W\d_]+)\s*\(\s*([A-ZĐ]{2,8})\s*\)")


@lru_cache(maxsize=512)
def defined_abbreviations(text: str) -> dict[str, tuple[str, ...]]:
    """Folded abbreviation → the folded words it stands for, when their initials spell it ("giải phóng mặt bằng
    (GPMB)" → {"gpmb": ("giai", "phong", "mat", "bang")}); the first definition of an abbreviation holds."""
    out: dict[str, tuple[str, ...]] = {}
    for m in _DEFINED_RE.finditer(text):
        abbr = folded_form(m.group(2)).lower()
        words = tokens(folded_form(m.group(1)))
        if len(words) < len(abbr) or abbr in out:
            continue
        spelled = tuple(words[-len(abbr):])
        if "".join(w[0] for w in spelled) == abbr:
            out[abbr] = spelled
    return out
