"""Line-level text functions: the key two lines share when they are "the same line", and the
legal-code notes that search must not see."""
from __future__ import annotations

import re

from vntext.normalize import nfc


def line_key(line: str) -> str:
    """Key under which two lines count as the same line (NFC, case-folded, whitespace collapsed)."""
    return " ".join(nfc(line).casefold().split())


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
