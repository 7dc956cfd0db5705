"""Line-level text functions: the key two lines share when they are "the same line", and the
legal-code notes that search must not see."""
from __future__ import annotations

import re

from vntext.normalize import nfc

# Invisible characters a pasted line may carry (joiners, BOM, soft hyphen): removed.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200c\u200d\u2060\ufeff\u00ad"), None)
# Every horizontal space-like character (NBSP, thin/em spaces, ZWSP, tabs…): a plain space.
SPACE_LIKE_RE = re.compile(r"[\t\v\f\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]")


def line_key(line: str) -> str:
    """Key under which two lines count as the same line (NFC, invisible characters dropped,
    case-folded, whitespace collapsed): boilerplate is found and dropped by it."""
    line = SPACE_LIKE_RE.sub(" ", nfc(line).translate(ZERO_WIDTH))
    return " ".join(line.casefold().split())


def drop_keys(text: str, keys: set[str]) -> str:
    """Text without the lines whose key is in ``keys`` (collection boilerplate)."""
    if not keys or not text:
        return text
    return "\n".join(line for line in text.split("\n") if line_key(line) not in keys)


# Bộ Pháp điển appends cross-reference notes to articles: "(Điều này có nội dung liên quan đến Điều
# 35.4.LQ.34. Hình thức phản biện xã hội; …)". They name *other* articles' subjects, so for search
# they are noise that makes an article look like the one it points to.
_CROSSREF_RE = re.compile(r"\((?:Điều|Khoản|Điểm|Chương|Mục) này có nội dung (?:liên quan|được hướng dẫn)[^\n]*", re.IGNORECASE)


def strip_cross_references(text: str) -> str:
    """Text without legal-code cross-reference notes (for scoring and indexing, not for display)."""
    if "nội dung" not in text:
        return text
    return _CROSSREF_RE.sub("", text)
