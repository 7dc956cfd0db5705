"""Search forms of Vietnamese text: NFC, one tone placement, accent folding, artefacts joined.

A document and a question go through the same code, so they meet in the same form:
NFC, one tone-mark placement, optional accent folding, tokenisation artefacts joined.
Display text is never changed by these; they build *search* forms.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining tone marks (NFD): grave, acute, hook above, tilde, dot below.
_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
# Vowel bases after removing tones (NFC, lower): plain and with hat/breve/horn.
_VOWELS = set("aăâeêioôơuưy")
_MARKED = set("ăâêôơư")
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _split_tone(syllable: str) -> tuple[str, str | None]:
    """Return (syllable without tone mark, NFC) and the tone mark (combining char) if any."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = None
    kept = []
    for ch in decomposed:
        if ch in _TONES:
            tone = ch
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _tone_index(base: str) -> int | None:
    """Index of the vowel that carries the tone in one canonical convention ("hòa", "thủy")."""
    low = base.lower()
    idx = [i for i, ch in enumerate(low) if ch in _VOWELS]
    if not idx:
        return None
    # "qu" and "gi" + vowel: the u / i belongs to the consonant.
    if len(idx) > 1 and idx[0] == 1 and low[:2] in ("qu", "gi"):
        idx = idx[1:]
    # keep only the first contiguous vowel run
    run = [idx[0]]
    for i in idx[1:]:
        if i == run[-1] + 1:
            run.append(i)
        else:
            break
    for i in run:
        if low[i] in _MARKED:
            # ươ: tone on ơ
            if low[i] == "ư" and i + 1 in run and low[i + 1] == "ơ":
                return i + 1
            return i
    ends_open = run[-1] == len(low) - 1
    if len(run) == 1:
        return run[0]
    if len(run) >= 3:
        return run[1]
    # two vowels
    return run[0] if ends_open else run[1]


@lru_cache(maxsize=200_000)
def _canonical_syllable(word: str) -> str:
    base, tone = _split_tone(word)
    if tone is None:
        return nfc(word)
    pos = _tone_index(base)
    if pos is None:
        return nfc(word)
    return nfc(base[: pos + 1] + tone + base[pos + 1:])


def normalize_tone_placement(text: str) -> str:
    """Move every syllable's tone mark to one canonical vowel, so ``hoà``/``hòa``, ``thuỷ``/``thủy`` match."""
    text = nfc(text)
    if text.isascii():
        return text
    return _WORD_RE.sub(lambda m: m.group(0) if m.group(0).isascii() else _canonical_syllable(m.group(0)), text)


def _fold_character(ch: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D")


class _FoldTable(dict):
    """Each character's fold, filled as characters are met (a ``str.translate`` table). A text's fold is its
    characters' folds in order: NFD decomposes each character alone, and the only reordering it does moves
    combining marks, which are all dropped (tests/test_vntext.py checks every code point and mixed strings)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_character(chr(code))
        return folded


_FOLD = _FoldTable()


def fold_accents(text: str) -> str:
    """Remove all diacritics (tones and vowel marks) and map đ→d: what users type without accents."""
    return text.translate(_FOLD)


def has_diacritics(text: str) -> bool:
    return fold_accents(text) != text


_ARTEFACTS = [
    # "25 - NQ / TW" -> "25-NQ/TW" (document numbers split by a word segmenter)
    (re.compile(r"(?<=\w) ?([-/]) ?(?=\w)"), r"\1"),
    # "K ' Ré" -> "K'Ré"
    (re.compile(r"(?<=\w) ?(['’]) ?(?=\w)"), r"\1"),
    # space before closing punctuation: "Hà Nội ." -> "Hà Nội."
    (re.compile(r"\s+([.,;:!?%)\]”»])"), r"\1"),
    # space after opening brackets/quotes: "( Hà Nội" -> "(Hà Nội"
    (re.compile(r"([(\[“«])\s+"), r"\1"),
]


def normalize_artefacts(text: str) -> str:
    """Join tokenisation artefacts of segmented text (``25 - NQ / TW``, ``K ' Ré``, ``Nội .``) for search."""
    out = text
    for pattern, repl in _ARTEFACTS:
        out = pattern.sub(repl, out)
    return out


def search_form(text: str) -> str:
    """Lower-case, NFC, canonical tone placement, artefacts joined: the accented search form."""
    return normalize_tone_placement(normalize_artefacts(nfc(text))).lower()


def folded_form(text: str) -> str:
    """Accent-folded search form (what matches a query typed without diacritics)."""
    return fold_accents(search_form(text)).lower()


def tokens(text: str) -> list[str]:
    """Syllable tokens of a search form (letters/digits runs)."""
    return _WORD_RE.findall(text)
