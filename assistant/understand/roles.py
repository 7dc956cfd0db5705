"""Whether a sentence names the position a person question asks about.

"Trưởng Ban Tổ chức Tỉnh ủy Gia Lai là ai?" is not answered by "…, Trưởng Ban Tổ chức Trung ương, …" nor by
"Phó trưởng Ban Tổ chức …": a position is its title and its own body written together, and a parent unit
written right after them must be the asked one (the place is a constraint of its own, checked in its scope).
Pure functions on folded words (grammar only, no names).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from vntext import fold_accents
from vntext.vocab import (BODY_HEAD_TITLES, ORG_HEADS, PARTY_COMMITTEES, PLACE_UNITS, TITLE_PREFIXES as _PREFIXES,
                          TITLES, folded, pick, without)

# Title words that open a position (folded); query.py reads the asked position from the first of them. Not the
# titles read without a body ("Thủ tướng", "Thường trực", "Đại biểu", "Cán bộ"), nor "Tổng Bí thư" (a prefix and a
# title: TITLE_RE reads it so).
_ROLE_WORDS = without(TITLES, "thường trực", "tổng bí thư", "thủ tướng", "đại biểu", "cán bộ") + BODY_HEAD_TITLES
ROLE_TITLES = "|".join(folded(_ROLE_WORDS))
TITLE_PREFIXES = folded(_PREFIXES)
# The same titles as written: a question typed with accents names a post only where it writes one ("trường hợp"
# folds onto "truong hop", and "Trưởng" onto "truong").
WRITTEN_TITLE_RE = re.compile(rf"(?:(?:{'|'.join(_PREFIXES)}) )?(?:{'|'.join(_ROLE_WORDS)})\b")
TITLE_RE = re.compile(rf"^(?:(?:{'|'.join(TITLE_PREFIXES)}) )?(?:{ROLE_TITLES})\b")
# A word before a title that makes it another post: the deputy is not the head.
TITLE_MODIFIERS = folded(pick(_PREFIXES, "phó"))
PARENT_UNIT_RE = re.compile(rf"\b(?:{'|'.join(fold_accents(b) for b in PARTY_COMMITTEES)}|trung uong)\b")
FOLDED_ORG_HEADS = tuple(sorted({fold_accents(w) for w in ORG_HEADS}, key=lambda h: -len(h.split())))
# Administrative words that open a place after a position; "bản" (hamlet) folds onto "ban" and is left out.
FOLDED_ADMIN = tuple(sorted((w for w in (fold_accents(a) for a in PLACE_UNITS) if w != "ban"),
                            key=lambda a: -len(a.split())))

# The three below: eval/fit_constants.py on the training split (grid 2-5 / 0-3 / 2-6) found no better value.
BODY_MAX_WORDS = 4  # "hội đồng nhân dân", "ban tuyên giáo": longer is the body's full name, which may vary
ROLE_GAP = 2  # words a sentence may write between a title and its body ("Phó Chủ tịch Thường trực HĐND")
PARENT_WINDOW = 4  # words after the body within which a written parent unit is this position's


@dataclass(frozen=True)
class Position:
    title: tuple[str, ...]  # "pho chu tich"
    body: tuple[str, ...]  # "hoi dong nhan dan" (may be empty: "Bí thư Tỉnh ủy")
    parent: str | None  # "tinh uy", "trung uong"


def _starts(words: list[str], i: int, phrases: tuple[str, ...]) -> int:
    """Length in words of the first of ``phrases`` written at ``words[i]`` (0: none)."""
    for phrase in phrases:
        parts = phrase.split()
        if words[i:i + len(parts)] == parts:
            return len(parts)
    return 0


def read_position(role: list[str], place_keys: list[str]) -> Position | None:
    """Split the asked position ("pho chu tich hoi dong nhan dan tinh quang nam") into title, own body and
    parent unit; the body ends where a place begins. ``place_keys``: the question's places and names (folded)."""
    text = " ".join(role)
    m = TITLE_RE.match(text)
    if not m:
        return None
    title = text[:m.end()].split()
    rest = text[m.end():].split()
    parent = PARENT_UNIT_RE.search(" ".join(rest))
    body: list[str] = []
    i = 0
    while i < len(rest) and len(body) < BODY_MAX_WORDS:
        opens_place = i + 1 < len(rest) and _starts(rest, i, FOLDED_ADMIN)
        opens_parent = parent is not None and " ".join(rest[i:i + 2]) == parent.group()
        if opens_place or opens_parent or _starts(rest, i, tuple(place_keys)):
            break  # the parent unit or place begins
        head = _starts(rest, i, FOLDED_ORG_HEADS)
        if head and body:
            break  # a second body ("Bí thư Chi bộ | Ban Dân vận"): the parent's name
        step = max(1, head)  # the body's own head noun whole ("chi bộ", "ủy ban")
        body.extend(rest[i:i + step])
        i += step
    return Position(tuple(title), tuple(body), parent.group() if parent else None)


def _at(toks: list[str], words: tuple[str, ...], i: int) -> bool:
    return tuple(toks[i:i + len(words)]) == words


def writes_position(pos: Position, toks: list[str]) -> bool:
    """The sentence (folded words) writes the title, then its body within ROLE_GAP words, not as a deputy's
    post, and no other parent unit right after."""
    for i in range(len(toks) - len(pos.title) + 1):
        if not _at(toks, pos.title, i):
            continue
        if i and toks[i - 1] in TITLE_MODIFIERS and pos.title[0] != toks[i - 1]:
            continue  # "Phó chủ tịch …" does not hold "Chủ tịch …"
        end = i + len(pos.title)
        if pos.body:
            start = next((j for j in range(end, min(len(toks), end + ROLE_GAP + 1)) if _at(toks, pos.body, j)), None)
            if start is None:
                continue
            end = start + len(pos.body)
        if not _other_unit_follows(pos, toks[end:end + PARENT_WINDOW + 1]):
            return True
    return False


def _other_unit_follows(pos: Position, after: list[str]) -> bool:
    """Right after the position the sentence writes another parent unit ("Trung ương" for "Tỉnh ủy")."""
    if not pos.parent:
        return False
    window = " ".join(after[:PARENT_WINDOW + 1])
    m = PARENT_UNIT_RE.search(window)
    return m is not None and len(window[:m.start()].split()) < PARENT_WINDOW and m.group() != pos.parent
