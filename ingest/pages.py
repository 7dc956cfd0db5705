"""Page-level text repair for OCR output and page-numbered files: pure functions on strings.

Tesseract gives words with their paragraph, line and box; we rebuild paragraphs the way a reader
sees them: a line that runs to the paragraph's right edge continues on the next line (joined with a
space, or without the hyphen when a word was split), a short line ends its paragraph line. Running
headers and footers (the same line at the top or bottom of most pages, page numbers) are dropped.
Page starts are then found again in the cleaned text, so each passage knows its page.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from ingest.decode import is_vietnamese_syllable

WRAP_SHARE = 0.85  # a line reaching this share of its paragraph's right edge wraps onto the next
RUNNING_MIN_PAGES = 3  # running headers/footers are only looked for in files with this many pages
RUNNING_SHARE = 0.6  # a line at a page edge on this share of pages is a running header/footer
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be running headers/footers
ANCHOR_MIN_CHARS = 8  # a line this long is distinctive enough to find a page start again
ANCHOR_TRIES = 6  # lines of a page tried as its anchor

_PAGE_NUMBER = re.compile(r"^[\s\-–—]*(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[\s\-–—]*$", re.I)
_LIST_START = re.compile(r"^(?:[-–+•*]\s|[a-zđ]\)\s|\d{1,3}[.)]\s)", re.I)
_SPLIT_WORD = re.compile(r"[^\W\d_]-$")
_SPACES = re.compile(r"\s+")


@dataclass
class PageText:
    """One page of a paged file: its 1-based number, its text, and whether the text came from OCR."""
    number: int
    text: str
    ocr: bool = False


def join_wrapped(prev: str, nxt: str) -> str:
    """Join a wrapped line to the next with a space; a word split by a hyphen at the line end is
    rejoined when the next part starts in lower case ("vận hà-" + "nh" → "vận hành") unless both
    parts are whole Vietnamese syllables (then the hyphen was written: "Xô-" + "viết"); a hyphen
    inside a code ("Số: 20-" + "CT/ThU") is kept, without a space."""
    if prev.endswith("-") and nxt:
        if _SPLIT_WORD.search(prev) and nxt[0].islower():
            left = prev[:-1].split()[-1] if prev[:-1].split() else ""
            right = nxt.split()[0]
            whole = is_vietnamese_syllable(left) and is_vietnamese_syllable(right.rstrip(".,;:!?"))
            return prev + nxt if whole and not is_vietnamese_syllable(left + right) else prev[:-1] + nxt
        if prev[-2:-1].isalnum():
            return prev + nxt
    return f"{prev} {nxt}"


def reflow(lines: list[tuple[str, int]]) -> list[str]:
    """Lines of one paragraph as (text, right edge px) → its display lines, wrapped lines joined."""
    if not lines:
        return []
    right = max(r for _, r in lines)
    out: list[str] = []
    carry = False
    for text, r in lines:
        if carry and out and not _LIST_START.match(text):
            out[-1] = join_wrapped(out[-1], text)
        else:
            out.append(text)
        carry = r >= WRAP_SHARE * right
    return out


def rebuild_tesseract_tsv(tsv: str) -> tuple[str, float | None]:
    """Text of a page from Tesseract's TSV: paragraphs separated by a blank line, wrapped lines joined;
    also the mean confidence of its words (None when no word was read)."""
    paras: dict[tuple[int, int], dict[int, list[tuple[int, int, str]]]] = {}
    confs: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        if not word:
            continue
        block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
        left, width = int(cols[6]), int(cols[8])
        try:
            confs.append(float(cols[10]))
        except ValueError:
            pass
        paras.setdefault((block, par), {}).setdefault(line, []).append((left, left + width, word))
    out = []
    for key in paras:  # insertion order is reading order
        lines = [(" ".join(w for _, _, w in words), max(r for _, r, _ in words))
                 for _, words in sorted(paras[key].items())]
        out.append("\n".join(reflow(lines)))
    text = unicodedata.normalize("NFC", "\n\n".join(out))
    return text, (sum(confs) / len(confs) if confs else None)


def _edge_key(line: str) -> str:
    """A line as compared across pages: case, spacing and numbers (page numbers) ignored."""
    return re.sub(r"\d+", "#", _SPACES.sub(" ", line.casefold()).strip())


def _edges(lines: list[str]) -> set[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:EDGE_LINES] + filled[-EDGE_LINES:])


def strip_running_lines(pages: list[str]) -> list[str]:
    """Pages without their running headers/footers and page-number lines."""
    split = [p.split("\n") for p in pages]
    counts: dict[str, int] = {}
    for lines in split:
        for key in {_edge_key(lines[i]) for i in _edges(lines)}:
            counts[key] = counts.get(key, 0) + 1
    running = set()
    if len(pages) >= RUNNING_MIN_PAGES:
        running = {k for k, n in counts.items() if k and n >= RUNNING_SHARE * len(pages)}
    out = []
    for lines in split:
        edges = _edges(lines)
        kept = [line for i, line in enumerate(lines)
                if i not in edges or not (_PAGE_NUMBER.match(line) or _edge_key(line) in running)]
        out.append("\n".join(kept).strip("\n"))
    return out


def page_starts(cleaned: str, pages: list[str]) -> list[int]:
    """Offset in ``cleaned`` where each page begins (found by a distinctive line of the page; a page
    whose lines are all gone starts where the previous one did)."""
    starts: list[int] = []
    cursor = 0
    for i, page in enumerate(pages):
        found = None
        anchors = [_SPACES.sub(" ", ln).strip() for ln in page.split("\n")]
        anchors = [a for a in anchors if len(a) >= ANCHOR_MIN_CHARS][:ANCHOR_TRIES]
        for a in anchors:
            pos = cleaned.find(a, cursor)
            if pos >= 0:
                found = pos
                break
        start = 0 if i == 0 else (found if found is not None else (starts[-1] if starts else 0))
        starts.append(start)
        cursor = max(cursor, start)
    return starts


def page_index_at(starts: list[int], offset: int) -> int:
    """Index of the page holding ``offset`` (``starts`` from page_starts)."""
    return max(0, bisect_right(starts, offset) - 1)
