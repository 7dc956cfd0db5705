"""Which PDF pages need OCR: those with no text layer, or with one that decodes to garbage.

A scanned page has no text layer at all (or only a page number); a PDF made with a legacy font and
no Unicode map has a text layer of symbols or of letters that do not form Vietnamese syllables.
Both are read from the page image instead. Pure functions on the extracted text, tested on tables.
"""
from __future__ import annotations

import unicodedata

from ingest.decode import vietnamese_score

MIN_LETTERS = 5  # fewer letters than this on a page: it has no text layer
MIN_LETTERS_WITH_IMAGE = 100  # a page carrying an image and fewer letters than this is a scan
MIN_ALNUM_SHARE = 0.5  # prose and tables are mostly letters and digits; a symbol-font layer is not
MAX_BROKEN_SHARE = 0.05  # share of replacement / private-use / control characters
MIN_MARKED_WORDS = 8  # accented words needed before judging syllable well-formedness
MIN_SYLLABLE_QUALITY = 0.5  # below this the accented words are mostly not Vietnamese syllables

NO_TEXT_LAYER = "không có lớp chữ"
GARBLED_TEXT_LAYER = "lớp chữ bị lỗi mã"


def _broken(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return ch == "\ufffd" or cat in ("Co", "Cn", "Cs") or (cat == "Cc" and ch not in "\n\t\r\f")


def page_ocr_reason(text: str, has_image: bool = False) -> str | None:
    """Why this page's text layer should be replaced by OCR, or None when it is good text.

    ``has_image``: the page draws an image (a scan with, say, a printed page number or a stamp
    "Bản sao" as its only text)."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS or (has_image and letters < MIN_LETTERS_WITH_IMAGE):
        return NO_TEXT_LAYER
    visible = [ch for ch in text if not ch.isspace()]
    broken = sum(_broken(ch) for ch in visible)
    if broken > MAX_BROKEN_SHARE * len(visible):
        return GARBLED_TEXT_LAYER
    if sum(ch.isalnum() for ch in visible) < MIN_ALNUM_SHARE * len(visible):
        return GARBLED_TEXT_LAYER
    score = vietnamese_score(unicodedata.normalize("NFC", text))
    if score.marked >= MIN_MARKED_WORDS and score.quality < MIN_SYLLABLE_QUALITY:
        return GARBLED_TEXT_LAYER
    return None
