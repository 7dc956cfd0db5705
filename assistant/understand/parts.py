"""Two-part questions: "đồng chí nào được bầu và với tỷ lệ bao nhiêu?" asks two things (pure functions).

A question holds several parts when several of its clauses carry their own question word. Each part asks for
its own slot (assistant/understand/slots.py) or kind of value (a person, a date); an answer is found only when every part
whose kind can be recognised is held by one of its statements — otherwise it says which part the documents
lack.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.understand.evidence import holds_answer_type
from assistant.understand.slots import Slot, asked_slot, holds_slot
from vntext import fold_accents, folded_form, tokens
from vntext.doctypes import DOC_TYPES
from vntext.vocab import ADVERBS, DOCREF_RE, QUESTION_PHRASES, QUESTION_WORDS, folded, pick

# Where one asked clause ends and the next begins: "?", ";", ", và", ", còn", " và " before a question word.
CLAUSE_BREAK_RE = re.compile(r"\?\s*|;\s*|,\s*(?:và|còn|rồi|hay|hoặc|va|con|roi)?\s*|\s+(?:và|còn|va|con)\s+")
_ASKING = folded(pick(QUESTION_WORDS, "bao nhiêu", "mấy", "ai", "nào", "gì", "đâu")
                 + pick(QUESTION_PHRASES, "bao giờ", "bao lâu", "thế nào", "ra sao", "có phải", "hay không"))
QUESTION_WORD_RE = re.compile(rf"\b({'|'.join(_ASKING)})\b|\b({'|'.join(folded(pick(ADVERBS, 'không', 'chưa')))})\s*$")
# "<a document type> nào / gì": the part asks which document.
_DOCUMENT_ASKED_RE = re.compile(rf"\b(?:{'|'.join(folded(tuple(DOC_TYPES) + ('văn bản',)))})\s+(?:nao|gi)\b")
MIN_PART_WORDS = 2  # a part is a clause of at least this many words with a question word of its own


@dataclass(frozen=True)
class Part:
    text: str
    slot: Slot
    answer_type: str | None

    @property
    def supportable(self) -> bool:
        """Whether a statement can be sought for this part (a checked kind, a person, or a document)."""
        return self.checkable or (self.slot.kind is None and self.answer_type == "person") or self.asks_document

    @property
    def asks_document(self) -> bool:
        """"thay thế luật nào", "căn cứ văn bản gì": the part asks which document; a statement that writes a
        document's number answers it (sought for support only: it never decides found)."""
        return bool(_DOCUMENT_ASKED_RE.search(folded_form(self.text)))

    @property
    def checkable(self) -> bool:
        """Whether a statement can be shown to hold this part: a percentage, an amount of money, a duration, a
        date or a period. A count's noun is often reworded ("mấy kỳ" → "3 số"), and "ai" often asks for a body
        ("ai tổ chức" → "Ban công tác Mặt trận"): those parts are not checked."""
        return self.slot.kind in CHECKED_SLOTS or (self.slot.kind is None and self.answer_type in ("date", "period"))


def split_parts(content: str, answer_type_of) -> list[Part]:
    """The asked parts of a question's content; one part when it asks one thing. ``answer_type_of``: the
    question-word reader of assistant/understand/query.py (folded text → person/date/period/figure/None)."""
    clauses: list[str] = []
    pos = 0
    for m in CLAUSE_BREAK_RE.finditer(content):
        clauses.append(content[pos:m.start()])
        pos = m.end()
    clauses.append(content[pos:])
    parts: list[str] = []
    pending = ""
    for clause in clauses:
        text = f"{pending} {clause}".strip() if pending else clause.strip()
        folded = fold_accents(text).lower()
        if len(text.split()) >= MIN_PART_WORDS and QUESTION_WORD_RE.search(folded):
            parts.append(text)
            pending = ""
        else:
            pending = text
    if pending and parts:
        parts[-1] = f"{parts[-1]} {pending}"
    if len(parts) < 2:
        return []
    return [Part(p, asked_slot(folded_form(p)), answer_type_of(folded_form(p))) for p in parts]


CHECKED_SLOTS = ("percent", "money", "duration")


def holds_part(part: Part, sentence: str, support: bool = False) -> bool:
    """Whether a sentence holds the value a part asks for (True for a part that cannot be checked). ``support``:
    for choosing a statement that answers the part, a person part counts too (a name is a good sign there,
    though "ai" may also ask for a body, so it never decides found)."""
    if support and part.slot.kind is None and part.answer_type == "person":
        return holds_answer_type("person", sentence)
    if support and not part.checkable and part.asks_document:
        return bool(DOCREF_RE.search(sentence))
    if not part.checkable:
        return True
    if part.slot.kind is not None:
        return bool(holds_slot(part.slot, folded_form(sentence)))
    return holds_answer_type(part.answer_type, sentence)


def part_terms(part: Part) -> set[str]:
    return {t for t in tokens(folded_form(part.text)) if len(t) > 1}
