"""Sentence splitting of cleaned Vietnamese text (pure): spans, so every sentence is an exact slice.

Vietnamese text is full of dots that do not end a sentence: abbreviations ("TP.", "ThS."),
initials, list markers ("2.1."), legal-code article ids ("Điều 44.13.LQ.36."), URLs, quoted titles.
"""
from __future__ import annotations

import re

Span = tuple[int, int]

# A run of terminal punctuation, then any closing quotes / brackets that belong to the sentence.
_TERMINAL = re.compile(r"[.!?…]+[\"'”’»)\]]*")
_OPENERS = "\"'“‘«([{"
# Abbreviations that end with a dot but do not end a sentence (case-sensitive).
_ABBREVIATIONS = frozenset({
    "TP", "Tp", "TX", "Tx", "TT", "TS", "Ts", "ThS", "Ths", "PGS", "GS", "BS", "Bs", "KS", "St",
    "Th", "Nxb", "NXB", "tr", "Tr", "TTr", "Mr", "Mrs", "Ms", "Dr", "Q", "P",
})
# Protected spans: no sentence boundary inside them (quoted titles, short brackets, URLs, e-mails).
_PROTECTED = re.compile(
    r"“[^“”\n]{0,300}”"
    r"|«[^«»\n]{0,300}»"
    r"|\"[^\"\n]{0,300}\""
    r"|\([^()\n]{0,200}\)"
    r"|\[[^\[\]\n]{0,200}\]"
    r"|(?:https?://|www\.)[^\s]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
# What may precede a dot at line start without ending a sentence: "1.", "2.1.", "IV.", "a.",
# "Điều 5.", "Chương II.", "Mục 2.".
_LINE_START_MARKER = re.compile(
    r"^[ \t]*(?:(?:\d+\.)*\d+|[IVXLC]+|[a-zđ]|(?:Điều|Chương|Mục|Phần)[ \t]+[\dIVXLC][\w.]*)$"
)
# A Pháp điển article id before its dot ("Điều 44.13.LQ.36.") never ends a sentence.
_CODE_ID_TAIL = re.compile(r"Điều[ \t]+\d+\.\d+\.[A-ZĐ]+(?:\.\d+)*$")
# An inline list marker after ':' or ';' ("gồm: 1. Tuyên truyền; 2. Vận động").
_INLINE_MARKER = re.compile(r"[:;][ \t]+(?:\d+\.)*\d{1,2}$")
# A Pháp điển article glued to the previous text ("…Việt Nam.Điều 35.4.NĐ.1.4. Tổ chức …").
_GLUED_ARTICLE = re.compile(r"(?<=\S)Điều[ \t]+\d+\.\d+\.[A-ZĐ]+(?:\.\d+)*\.(?=[ \t]|$)")
_LIST_ITEM = re.compile(r"[ \t]*(?:(?:\d+\.)+|[a-zđ]\)|[-+•])[ \t]")


def _protected_spans(line: str) -> list[Span]:
    """Spans (relative to ``line``) where a boundary must not fall; URLs lose trailing punctuation."""
    spans = []
    for m in _PROTECTED.finditer(line):
        s, e = m.span()
        if line[s] not in "“«\"([":
            while e > s and line[e - 1] in ".,;:!?)»”\"'":
                e -= 1
        spans.append((s, e))
    return spans


def _dot_is_abbreviation(line: str, dot: int) -> bool:
    """True when the dot at ``line[dot]`` closes an abbreviation, initial, list marker or article id."""
    before = line[max(0, dot - 200):dot]  # only the end matters: a window keeps long lines linear
    if not before or before[-1].isspace():
        return False  # " . " tokenisation artefact: an ordinary full stop
    if _LINE_START_MARKER.match(line, 0, dot) or _CODE_ID_TAIL.search(before) or _INLINE_MARKER.search(before):
        return True
    token = re.split(r"\s", before)[-1].lstrip(_OPENERS)
    last = token.split(".")[-1]
    if last in _ABBREVIATIONS:
        return True
    return len(last) == 1 and last.isalpha() and last.isupper()  # initials "Nguyễn V. A"


def _line_boundaries(line: str) -> list[int]:
    """Offsets (relative to ``line``) just after each sentence end inside one line."""
    protected = _protected_spans(line)
    cuts = []
    for m in _TERMINAL.finditer(line):
        s, e = m.span()
        rest = line[e:]
        stripped = rest.lstrip(" \t")
        if stripped:
            if len(stripped) == len(rest):
                continue  # needs whitespace after the punctuation
            c = stripped[0]
            if not (c.isupper() or c.isdigit() or c in _OPENERS):
                continue
        if any(ps < s and e < pe for ps, pe in protected):
            continue
        run = line[s:e].rstrip("\"'”’»)]")
        if run == "." and _dot_is_abbreviation(line, s):
            continue
        if stripped:
            cuts.append(e)
    cuts.extend(m.start() for m in _GLUED_ARTICLE.finditer(line))
    return sorted(cuts)


def _joins_next_line(prev: str, nxt: str) -> bool:
    """A single line break inside a sentence (hard wrap): previous line open, next starts lowercase."""
    p, n = prev.rstrip(), nxt.lstrip()
    if not p or not n or _LIST_ITEM.match(nxt):
        return False
    return (p[-1].isalnum() or p[-1] == ",") and n[0].islower()


def split_sentences(text: str) -> list[Span]:
    """Sentence spans ``(start, end)`` in ``text``, stripped of surrounding whitespace.

    Splits at . ! ? … followed by a space and an uppercase letter, digit, quote or bracket (or at
    the end of a line) and at line breaks; never inside abbreviations, initials, numbers, list
    markers, URLs or quoted titles. Every non-space character lies in exactly one span.
    """
    cuts: list[int] = []
    lines: list[Span] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    for k, (ls, le) in enumerate(lines):
        line = text[ls:le]
        cuts.extend(ls + c for c in _line_boundaries(line))
        if k + 1 < len(lines):
            nxt = text[lines[k + 1][0]:lines[k + 1][1]]
            if not (line.strip() and _joins_next_line(line, nxt)):
                cuts.append(le)
    spans = []
    start = 0
    for cut in cuts + [len(text)]:
        span = trim_span(text, start, cut)
        if span:
            spans.append(span)
        start = cut
    return spans


def trim_span(text: str, s: int, e: int) -> Span | None:
    """Shrink ``[s, e)`` to exclude surrounding whitespace; None when nothing is left."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if s < e else None
