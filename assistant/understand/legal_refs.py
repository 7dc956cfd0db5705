"""Legal references a question names beyond the article: a clause (khoản), a point (điểm), a law by title.

"Khoản 4 Điều 36 …" asks about that clause: an article with three clauses does not answer it. "Theo Luật
Phòng, chống thiên tai …" asks about that law: another decree on the same matter does not answer it. The rules
read the shape of the reference, with or without accents; evidence is the cited document's own text, where a
clause opens a line with its number ("4. …") and a point with its letter ("d) …").
"""
from __future__ import annotations

import re

from vntext import fold_accents, tokens
from vntext.doctypes import LAWS
from vntext.vocab import (ADVERBS, CALENDAR_UNITS, CONJUNCTIONS, COPULAS, DEMONSTRATIVES, PREPOSITIONS,
                          QUESTION_WORDS, TENSE_MARKERS, alternation, folded, pick, syllables)

CLAUSE_RE = re.compile(r"\b(?:diem\s+([a-z])\s*(?:,\s*)?)?khoan\s+(\d{1,2})\b")
LAW_TITLE_RE = re.compile(rf"\b({alternation(folded(LAWS))})\s+(?!so\b)([a-z][a-z ,]{{2,60}})")  # on folded text
LAW_TITLE_WORDS = 3  # a title is known by its first words ("Luật Thực hiện dân chủ …" → "thuc hien dan")
# Words that end a law's title as a question writes it ("Luật MTTQ có quy định …", "Luật này", "luật năm …").
TITLE_STOPS = syllables(folded(
    pick(COPULAS, "có", "là", "được") + pick(CONJUNCTIONS, "thì", "và", "hay", "hoặc")
    + pick(PREPOSITIONS, "về", "của", "cho", "ở", "tại") + pick(DEMONSTRATIVES, "này", "đó")
    + pick(TENSE_MARKERS, "đã", "sẽ") + pick(ADVERBS, "không") + pick(QUESTION_WORDS, "gì", "nào") + pick(CALENDAR_UNITS, "năm")
    + ("quy", "mới", "cũ", "phải")))  # "quy" of "quy định"


def _folded(text: str) -> str:
    return fold_accents(text).lower()


def read_legal_needs(text: str) -> list[tuple[str, str, list[str], tuple[int, int]]]:
    """(kind, value as written, keys, span) for clause/point references and laws named by title."""
    folded = _folded(text)
    same = len(folded) == len(text)
    out = []
    for m in CLAUSE_RE.finditer(folded):
        point, clause = m.group(1), m.group(2)
        key = f"khoan {clause}" + (f" diem {point}" if point else "")
        out.append(("clause", text[m.start():m.end()] if same else m.group(0), [key], m.span()))
    for m in LAW_TITLE_RE.finditer(folded):
        if same and not text[m.start()].isupper():
            continue  # "thì luật cấm …": the common noun, not a law's name
        words = []
        for w in tokens(m.group(2)):
            if w in TITLE_STOPS or w.isdigit() or len(words) >= LAW_TITLE_WORDS:
                break
            words.append(w)
        if len(words) >= 2:
            kind_word = m.group(1)
            value = text[m.start():m.start(2)] + " ".join(text[m.start(2):m.end(2)].split()[:len(words)]) \
                if same else f"{kind_word} {' '.join(words)}"
            keys = [f"{kind_word} {' '.join(words)}"]
            if kind_word == "luat":  # a code article files its law's title as its topic ("Đề mục: Thực hiện …")
                keys.append(f"de muc {' '.join(words)}")
            out.append(("law", value.rstrip(" ,"), keys, (m.start(), m.start(2) + len(" ".join(words)))))
    return out


def clause_written(key: str, text: str) -> bool:
    """Whether a legal text has the clause (and point) of ``key`` ("khoan 4 diem d"): a line opening "4." and,
    for a point, a line opening "d)"."""
    parts = key.split()
    clause = parts[1]
    if not re.search(rf"(?m)^\s*{clause}\.\s", text):
        return False
    if len(parts) == 4:
        point = parts[3]
        letters = "dđ" if point == "d" else point
        return re.search(rf"(?m)^\s*[{letters}]\)\s", text) is not None
    return True
