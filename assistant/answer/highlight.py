"""Which words of a quoted passage to mark for a question: its content words, numbers and references.

A question's function words ("về", "của", "bao nhiêu") and its framing ("cho biết", "soạn … phát biểu")
are never marked. Content syllables are marked as the phrases the question writes them in ("vấn đề",
"dân vận khéo"), so a syllable such as "vấn" or "cơ" is never marked on its own when the question only
uses it inside a longer word. Pure functions; table-tested in tests/test_highlight.py.
"""
from __future__ import annotations

import re
import unicodedata

from vntext.vocab import (CALENDAR_UNITS, DAY_WORDS, DRAFTING_VERBS, FUNCTION_WORDS as FUNCTION_CLASSES, LISTING_VERBS,
                          MAIN_POINTS, SPEECH_KINDS, pick, syllables, without)

# Words that carry no subject of their own: the function words (syllable by syllable; not "lên", "nhưng", "ấy",
# "kia"), a date's units and "hôm", "nay".
FUNCTION_WORDS = frozenset(syllables(without(FUNCTION_CLASSES, "lên", "nhưng", "ấy", "kia") + CALENDAR_UNITS
                                     + DAY_WORDS))

# Multi-word framing of a request: what the user wants done, not what it is about.
FRAMING = (
    ("đề nghị cho biết", "xin cho biết", "cho biết", "đề nghị", "trình bày") + pick(LISTING_VERBS, "liệt kê", "tóm tắt")
    + ("giới thiệu",) + pick(DRAFTING_VERBS, "soạn") + pick(LISTING_VERBS, "nêu") + pick(DRAFTING_VERBS, "viết")
    + pick(MAIN_POINTS, "ý chính") + ("các ý",) + pick(SPEECH_KINDS, "dàn ý") + ("bài phát biểu",)
    + pick(SPEECH_KINDS, "phát biểu") + ("nội dung gì", "như thế nào", "thế nào", "ra sao", "là gì", "là ai",
                                         "những gì", "có những")
)

# A document reference ("20-CT/ThU", "10/2022/QH15") or any token with a digit ("2018", "112").
_REF = re.compile(r"\w*\d[\w]*(?:[-/.]\w+)*", re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_PHRASE = 6  # syllables: longer runs are marked as their overlapping parts


def _nfc_lower(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").lower()


def _strip_framing(text: str) -> str:
    for phrase in sorted(FRAMING, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " | ", text)
    return text


def content_runs(question: str) -> list[list[str]]:
    """Runs of consecutive content syllables of the question (split at function words, framing, punctuation
    and numbers)."""
    text = _REF.sub(" | ", _strip_framing(_nfc_lower(question)))
    runs: list[list[str]] = []
    for piece in re.split(r"[^\w\s]|\|", text):
        run: list[str] = []
        for word in piece.split():
            if word in FUNCTION_WORDS or any(ch.isdigit() for ch in word) or not _WORD.fullmatch(word):
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(word)
        if run:
            runs.append(run)
    return runs


def highlight_terms(question: str) -> list[str]:
    """The strings to mark for ``question``: numbers and references, every phrase of two or more consecutive
    content syllables, and content words that stand alone in the question; longest first."""
    terms: set[str] = {m.group(0) for m in _REF.finditer(_nfc_lower(question))}
    for run in content_runs(question):
        if len(run) == 1:
            terms.add(run[0])
            continue
        for n in range(2, min(len(run), MAX_PHRASE) + 1):
            for i in range(len(run) - n + 1):
                terms.add(" ".join(run[i:i + n]))
    return sorted(terms, key=lambda t: (-len(t), t))


def mark_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """(start, end) of whole-word, case-insensitive matches of ``terms`` in ``text``, longest term first at each
    position, never overlapping; whitespace inside a phrase may be any run of spaces."""
    if not text or not terms:
        return []
    alts = [r"\s+".join(re.escape(w) for w in t.split()) for t in sorted(terms, key=len, reverse=True)]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(unicodedata.normalize("NFC", text))]


def fold(text: str) -> str:
    """``text`` without accents, one character for one (NFC in, so positions line up): "Hồng Lĩnh" → "Hong Linh"."""
    return "".join("d" if ch == "đ" else "D" if ch == "Đ" else unicodedata.normalize("NFD", ch)[0]
                   for ch in unicodedata.normalize("NFC", text or ""))


_FOLDED_FUNCTION = frozenset(fold(w) for w in FUNCTION_WORDS)


def mark_spans_unaccented(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """``mark_spans`` for a question typed without accents: ``terms`` match whatever accents ``text`` writes them
    with ("hong linh" marks "Hồng Lĩnh"), except a lone syllable that folds to a function word ("nam" is not
    "năm")."""
    folded = {fold(t) for t in terms if " " in t or fold(t) not in _FOLDED_FUNCTION}
    return mark_spans(fold(text), sorted(folded, key=lambda t: (-len(t), t)))
