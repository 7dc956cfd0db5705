"""Chunking of cleaned Vietnamese text (pure functions), along sentences (vntext.sentences).

Every chunk is an exact slice of the document text (``text[start:end] == chunk.text``) so that
citations can be traced back to the document. Legal text (``kind="law"``) is chunked along its
Điều / Khoản / Điểm structure and carries the article heading in ``Chunk.heading``.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ingest.types import Chunk
from vntext.sentences import split_sentences, trim_span  # split_sentences: also imported from here (assistant/answer/compose.py)

Span = tuple[int, int]


# --- packing ------------------------------------------------------------------------------

def make_chunk_id(doc_id: str, position: int, chunk_text: str) -> str:
    """Deterministic id: same document, position and text give the same id across runs."""
    return hashlib.sha1(f"{doc_id}\x1f{position}\x1f{chunk_text}".encode("utf-8")).hexdigest()[:24]


def _split_long(text: str, s: int, e: int, size: int) -> list[Span]:
    """Cut an over-long sentence into pieces ≤ size at ';', then ',', then spaces (never in a token)."""
    pieces = []
    while e - s > size:
        cut = None
        for pattern, floor in ((r";\s", size // 3), (r",\s", size // 3), (r"\s", 1)):
            hits = [m.start() + 1 for m in re.finditer(pattern, text[s + floor:s + size + 1])]
            if hits:
                cut = s + floor + hits[-1]
                break
        if cut is None:
            ws = re.search(r"\s", text[s + size:e])
            cut = s + size if ws is None else s + size + ws.start()  # one giant token: keep it whole
        piece = trim_span(text, s, cut)
        if piece:
            pieces.append(piece)
        nxt = trim_span(text, cut, e)
        if nxt is None:
            return pieces
        s = nxt[0]
    pieces.append((s, e))
    return pieces


def _sentence_units(text: str, s: int, e: int, size: int) -> list[Span]:
    """Sentences of ``text[s:e]`` as absolute spans, over-long ones cut into pieces ≤ size."""
    units = []
    for a, b in split_sentences(text[s:e]):
        units.extend(_split_long(text, s + a, s + b, size) if b - a > size else [(s + a, s + b)])
    return units


def _gap_strength(text: str, a: int, b: int) -> int:
    """How strong the break between two units is: 2 blank line, 1 line break, 0 same line."""
    return min(text.count("\n", a, b), 2)


def _pack(text: str, units: list[Span], size: int, cmin: int, overlap: int) -> list[Span]:
    """Greedy packing of consecutive units into spans of about cmin..size characters.

    Prefers ending at the strongest break (paragraph) once cmin is reached, rebalances so that the
    last chunk is not tiny (a tail under cmin/4 is merged), and starts each chunk with trailing
    units of the previous one up to ``overlap`` characters.
    """
    n = len(units)
    if not n:
        return []
    strength = [_gap_strength(text, units[k][1], units[k + 1][0]) for k in range(n - 1)] + [3]
    tail = cmin // 4
    out: list[Span] = []
    i, fresh = 0, 0  # chunk starts at unit i; units before ``fresh`` were already emitted
    while True:
        s = units[i][0]
        j = fresh
        while j + 1 < n and units[j + 1][1] - s <= size:
            j += 1
        if j < n - 1:
            cands = [k for k in range(fresh, j + 1) if units[k][1] - s >= cmin]
            balanced = [k for k in cands if units[-1][1] - units[k + 1][0] >= cmin]
            if units[-1][1] - units[j + 1][0] < tail and units[-1][1] - s <= size + tail:
                j = n - 1
            elif balanced or cands:
                j = max(balanced or cands, key=lambda k: (min(strength[k], 2), k))
        out.append((s, units[j][1]))
        if j == n - 1:
            return out
        k = j + 1
        if overlap > 0:
            while (k - 1 > i and units[j][1] - units[k - 1][0] <= overlap
                   and units[j + 1][1] - units[k - 1][0] <= size):
                k -= 1
        i, fresh = k, j + 1


# --- legal structure ----------------------------------------------------------------------

# Article ids: Pháp điển "Điều 44.13.LQ.36." anywhere (filtered below), plain "Điều 5." at line start.
_ARTICLE = re.compile(r"Điều[ \t]+\d+\.\d+\.[A-ZĐ]+(?:\.\d+)*\.(?=[ \t]|$)|^[ \t]*Điều[ \t]+\d+\.(?=[ \t])", re.M)
_INSTRUMENT = re.compile(r"\s*(\(Điều[^\n]*\))[ \t]*(?:\n|$)")
_KHOAN = re.compile(r"^[ \t]*(\d+)\.[ \t]", re.M)
_DIEM = re.compile(r"^[ \t]*[a-zđ]\)[ \t]", re.M)
_TOPIC = re.compile(r"^\s*Đề mục:[ \t]*([^\n]*)")


def _article_matches(text: str) -> list[Span]:
    """Article headings at a line start or glued to the previous text ("…Việt Nam.Điều 35.4.NĐ.1.4.")."""
    found = []
    for m in _ARTICLE.finditer(text):
        s = m.start() + (len(m.group()) - len(m.group().lstrip()))
        if s == 0 or text[s - 1] == "\n" or not text[s - 1].isspace():
            eol = text.find("\n", s)
            found.append((s, len(text) if eol < 0 else eol))
    return found


def _khoan_list(text: str, s: int, e: int) -> list[dict]:
    """Khoản "1. …", "2. …" (numbered in sequence) within ``[s, e)``, each with its Điểm spans."""
    starts = []
    for m in _KHOAN.finditer(text, s, e):
        if int(m.group(1)) == len(starts) + 1:
            starts.append((m.start(), int(m.group(1))))
    out = []
    for idx, (ks, number) in enumerate(starts):
        ke = starts[idx + 1][0] if idx + 1 < len(starts) else e
        span = trim_span(text, ks, ke)
        if not span:
            continue
        diem_starts = [m.start() for m in _DIEM.finditer(text, span[0], span[1])]
        diem = [d for d in (trim_span(text, a, b) for a, b in
                            zip(diem_starts, diem_starts[1:] + [span[1]])) if d]
        intro = trim_span(text, span[0], diem_starts[0]) if diem_starts else span
        out.append({"number": number, "span": span, "intro_span": intro or span, "diem": diem})
    return out


def parse_legal(text: str) -> dict:
    """Điều / Khoản / Điểm structure of a Pháp điển article file.

    Returns ``topic``, ``article_heading``, ``instrument_line`` and ``khoan`` (spans) of the first
    article, and ``articles``: every article in the file (some files hold several, glued), each
    with ``heading``, ``heading_span``, ``instrument_line``, ``instrument_span``, ``span``,
    ``body_start`` and ``khoan`` (dicts with ``number``, ``span``, ``intro_span``, ``diem``).
    """
    topic = _TOPIC.match(text)
    matches = _article_matches(text)
    articles = []
    for idx, (ms, me) in enumerate(matches):
        hs, he = trim_span(text, ms, me) or (ms, me)
        end = matches[idx + 1][0] if idx + 1 < len(matches) else len(text)
        inst = _INSTRUMENT.match(text, he, end)
        body_start = inst.end() if inst else he
        articles.append({
            "heading": text[hs:he],
            "heading_span": (hs, he),
            "instrument_line": inst.group(1) if inst else None,
            "instrument_span": inst.span(1) if inst else None,
            "span": trim_span(text, hs, end) or (hs, he),
            "body_start": body_start,
            "khoan": _khoan_list(text, body_start, end),
        })
    first = articles[0] if articles else {}
    return {
        "topic": topic.group(1).strip() if topic else None,
        "article_heading": first.get("heading"),
        "instrument_line": first.get("instrument_line"),
        "khoan": [k["span"] for k in first.get("khoan", [])],
        "articles": articles,
    }


def _brief(text: str, limit: int = 200) -> str:
    """One-line, length-capped rendering of a Khoản intro for a chunk heading."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


@dataclass
class _Piece:
    span: Span
    heading: str


def _law_pieces(text: str, art: dict, start: int, size: int, cmin: int, overlap: int) -> list[_Piece]:
    """Chunks of one article: whole if short, else by Khoản, an over-long Khoản by Điểm."""
    heading = art["heading"] + (f" — {art['instrument_line']}" if art["instrument_line"] else "")
    s, e = start, art["span"][1]
    if e - s <= size + cmin // 4 or not art["khoan"]:
        units = [(s, e)] if e - s <= size + cmin // 4 else _sentence_units(text, s, e, size)
        return [_Piece(sp, heading) for sp in _pack(text, units, size, cmin, overlap)]
    # Segments: the lead (heading lines + text before Khoản 1) glued to Khoản 1 when it fits.
    khoan = art["khoan"]
    segments: list[tuple[Span, dict | None]] = [((k["span"][0], k["span"][1]), k) for k in khoan]
    lead = trim_span(text, s, khoan[0]["span"][0])
    if lead:
        first_span, first = segments[0]
        if first_span[1] - lead[0] <= size or lead[1] - lead[0] < cmin:
            segments[0] = ((lead[0], first_span[1]), first)
        else:
            segments.insert(0, (lead, None))
    pieces: list[_Piece] = []
    run: list[Span] = []

    def flush() -> None:
        pieces.extend(_Piece(sp, heading) for sp in _pack(text, run, size, cmin, 0))
        run.clear()

    for span, k in segments:
        if span[1] - span[0] <= size:
            run.append(span)
            continue
        flush()
        if k is None or not k["diem"]:
            units = _sentence_units(text, span[0], span[1], size)
            pieces.extend(_Piece(sp, heading) for sp in _pack(text, units, size, cmin, overlap))
            continue
        intro_end = k["intro_span"][1]
        units = _sentence_units(text, span[0], intro_end, size)
        for d in k["diem"]:
            units.extend([d] if d[1] - d[0] <= size else _sentence_units(text, d[0], d[1], size))
        sub_heading = f"{heading} — {_brief(text[k['intro_span'][0]:intro_end])}"
        for sp in _pack(text, units, size, cmin, 0):
            pieces.append(_Piece(sp, heading if sp[0] < intro_end else sub_heading))
    flush()
    return pieces


def _law_chunks(text: str, size: int, cmin: int, overlap: int) -> list[_Piece] | None:
    """All chunks of a legal file, or None when no article heading is found."""
    articles = parse_legal(text)["articles"]
    if not articles:
        return None
    pieces = []
    for idx, art in enumerate(articles):
        start = 0 if idx == 0 else art["heading_span"][0]
        first = trim_span(text, start, art["span"][1])
        if first:
            pieces.extend(_law_pieces(text, art, first[0], size, cmin, overlap))
    return pieces


# --- public entry point -------------------------------------------------------------------

def chunk_document(doc_id: str, text: str, heading: str, *, kind: str = "text", chunk_size: int = 900,
                   chunk_min: int = 400, overlap: int = 150) -> list[Chunk]:
    """Split a cleaned document into overlapping, sentence-aligned passages (exact slices).

    ``kind="law"`` follows Điều / Khoản / Điểm and puts "<article heading> — (<instrument>)" in
    ``Chunk.heading``; other kinds get ``heading`` as given.
    """
    chunk_size = max(chunk_size, 1)
    chunk_min = max(0, min(chunk_min, chunk_size))
    overlap = max(overlap, 0)
    pieces = _law_chunks(text, chunk_size, chunk_min, overlap) if kind == "law" else None
    if pieces is None:
        units = _sentence_units(text, 0, len(text), chunk_size)
        pieces = [_Piece(sp, heading) for sp in _pack(text, units, chunk_size, chunk_min, overlap)]
    chunks = []
    for position, piece in enumerate(pieces):
        s, e = piece.span
        body = text[s:e]
        chunks.append(Chunk(chunk_id=make_chunk_id(doc_id, position, body), doc_id=doc_id,
                            position=position, text=body, heading=piece.heading, start=s, end=e))
    return chunks
