"""Follow-up questions: only an elliptical question is completed from the conversation.

An elliptical question has no subject of its own: once its continuation words ("còn", "thì sao"), years,
numbers, names and function words are set aside, nothing is left ("Còn năm 2019 thì sao?", "Ở Cẩm Xuyên
thì sao?", "Năm 2020?"). Any question with a subject of its own ("Giá vàng hôm nay bao nhiêu?") stands
alone, however short. Rule-based and pure; table-tested in tests/test_followup.py.
"""
from __future__ import annotations

import re

from assistant.understand.query import YEAR_RE, place_phrases
from vntext import folded_form, nfc
from vntext.vocab import (ADMIN_UNITS, CALENDAR_UNITS, CONJUNCTIONS, COPULAS, DEMONSTRATIVES, PARTICLES, PERIOD_WORDS,
                          PREPOSITIONS, QUESTION_WORDS, TIME_UNITS, folded, pick, syllables)

# Words (accent-folded) that continue a conversation or ask "and what about …".
CONTINUATION = re.compile(
    r"^(?:the con|vay con|con ve|con o|con tai|con|vay)\b|\b(?:thi sao|the nao|ra sao|nhu the nao|thi the nao)\s*$")
# Words (accent-folded, syllable by syllable) that frame a constraint without being a subject: function words, time
# words ("lúc", "hồi", "đợt", "kỳ" too) and the administrative units with "địa bàn".
FRAME_WORDS = frozenset(syllables(folded(
    pick(PREPOSITIONS, "ở", "tại", "trong", "vào", "đến", "từ", "với", "của", "cho", "ra")
    + pick(CONJUNCTIONS, "và", "thì", "khi", "như", "còn") + pick(COPULAS, "là") + DEMONSTRATIVES
    + pick(QUESTION_WORDS, "ai", "gì", "nào", "sao", "mấy", "thế", "bao nhiêu") + pick(PARTICLES, "vậy", "nữa")
    + CALENDAR_UNITS + pick(TIME_UNITS, "quý") + pick(PERIOD_WORDS, "giai đoạn", "nhiệm kỳ")
    + ("kỳ", "đợt", "lúc", "hồi") + ADMIN_UNITS + ("địa bàn",))))
_WORD = re.compile(r"[\w']+")


def _subject_words(question: str) -> list[str]:
    """The question's words that could be a subject: not continuation, frame, number or name."""
    words = _WORD.findall(nfc(question))
    out = []
    for i, word in enumerate(words):
        if any(ch.isdigit() for ch in word):
            continue
        capital = word[:1].isupper()
        next_capital = i + 1 < len(words) and words[i + 1][:1].isupper()
        prev_capital = i > 0 and words[i - 1][:1].isupper()
        if capital and (i > 0 or next_capital) or (capital and prev_capital):
            continue  # a name (place, person); the first word counts as one only with a capitalised neighbour
        folded = folded_form(word)
        if folded not in FRAME_WORDS:
            out.append(folded)
    return out


def is_elliptical(question: str) -> bool:
    """True when ``question`` has no subject of its own and so can only be read with the previous one."""
    text = (question or "").strip(" ?.!")
    if not text:
        return False
    folded = folded_form(text)
    rest = CONTINUATION.sub(" ", folded).strip()
    if not rest and folded:
        return True  # "Còn?" / "Thì sao?"
    return not _subject_words(text)


def _constraint_words(question: str) -> str:
    """The question less its continuation words ("Còn năm 2019 thì sao?" → "năm 2019")."""
    text = question.strip()
    text = re.sub(r"^(?:thế còn|vậy còn|còn về|còn|vậy)\s+", "", text, flags=re.I)
    text = re.sub(r"\s*(?:thì sao|thế nào|ra sao|như thế nào|thì thế nào)\s*[?.!]*$", "", text, flags=re.I)
    return text.strip(" ?.!")


def resolve_follow_up(question: str, history: list[tuple[str, str]] | None) -> str:
    """Complete an elliptical ``question`` from the last question of ``history``; any other question is
    returned unchanged. The previous question's years and place are replaced by the new ones; otherwise the
    new words are appended."""
    if not history or not is_elliptical(question):
        return question
    prev = history[-1][0]
    out, changed = prev, False
    new_years, old_years = YEAR_RE.findall(question), YEAR_RE.findall(prev)
    if new_years and old_years:
        for old, new in zip(old_years, new_years):
            out = out.replace(old, new)
        changed = True
    new_places = [p for p, _ in place_phrases(question)] or _names(question)
    old_places = [p for p, _ in place_phrases(prev)] or _names(prev)
    if new_places and old_places:
        out = out.replace(old_places[0], new_places[0])
        changed = True
    if changed:
        return out
    extra = _constraint_words(question)
    return f"{prev.rstrip(' ?')} {extra}?".strip() if extra else prev


def _names(text: str) -> list[str]:
    """Runs of two or more capitalised words not at the start ("Cẩm Xuyên", "Nghệ An")."""
    words = _WORD.findall(nfc(text))
    runs, run = [], []
    for i, w in enumerate(words):
        if w[:1].isupper() and folded_form(w) not in FRAME_WORDS and (i > 0 or (len(words) > 1 and words[1][:1].isupper())):
            run.append(w)
            continue
        if len(run) >= 2:
            runs.append(" ".join(run))
        run = []
    if len(run) >= 2:
        runs.append(" ".join(run))
    return runs
