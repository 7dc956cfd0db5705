"""Data the assistant returns: passages, citations, answers (serialised as the `ask --json` contract)."""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Any


@dataclass
class Passage:
    """A retrieved chunk with its document's metadata and scores."""
    chunk_id: str
    doc_id: str
    source: str  # file name
    title: str
    text: str
    position: int = 0
    heading: str = ""
    outlet: str | None = None
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # instrument, article, effective_date, kind, ...
    score: float = 0.0
    dense_rank: int | None = None
    lexical_rank: int | None = None
    page: int | None = None  # 1-based page of a paged file (PDF, scan)
    ocr: bool = False  # the passage was read from a scanned page


@dataclass
class Citation:
    n: int
    doc_id: str
    source: str
    title: str
    outlet: str | None
    date: str | None
    quote: str  # the sentence(s) used, verbatim from the passage
    score: float
    passage: str = ""  # the whole passage text
    chunk_id: str = ""
    label: str = ""  # e.g. "Điều 36 Luật số 10/2022/QH15" for legal text
    highlights: list[str] = field(default_factory=list)  # query words found in the quote
    page: int | None = None  # 1-based page of a paged file ("trang 2")
    ocr: bool = False  # quoted from a scanned page ("trích từ bản quét")
    year: str | None = None  # the year the document gives for itself when its date lacks one (ingest/year_place.py)


@dataclass
class Statement:
    """One claim of an answer: verbatim sentence(s) of cited passages, with the numbers they rest on.

    ``label`` is the legal reference the claim is read under ("Điều 36 Luật số 10/2022/QH15");
    ``figure`` the figure it gives when the question asked for one ("112 mô hình")."""
    text: str
    cites: list[int] = field(default_factory=list)
    label: str = ""
    figure: str | None = None


@dataclass
class Section:
    """A titled group of statements: one for a plain answer (no title), several for an outline."""
    title: str = ""
    statements: list[Statement] = field(default_factory=list)
    layout: str = "prose"  # prose: a paragraph per statement | list: one per line


@dataclass
class Constraint:
    """A hard condition read from the question (a year, place, document number, body, ...) and
    whether the cited evidence meets it. ``kind``: year | period | quarter | place | name | document |
    body | category | article."""
    kind: str
    value: str  # as the question writes it
    met: bool = True


@dataclass
class PartResult:
    """One asked part of a several-part question ("… là ai, và bị tạm giam bao lâu?")."""
    ask: str
    found: bool
    cites: list[int] = field(default_factory=list)


@dataclass
class Answer:
    question: str
    mode: str  # qa | lookup | talking_points
    found: bool
    answer: str
    citations: list[Citation] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    notice: str | None = None  # e.g. LLM unreachable → extractive fallback
    bullets: list[str] = field(default_factory=list)  # talking points, each with [n] markers
    resolved_question: str | None = None  # follow-up rewritten with the conversation
    restored_question: str | None = None  # typed without accents: the question as read, accents restored
    # The structure the text forms (chat, CLI, DOCX, JSON) are rendered from:
    sections: list[Section] = field(default_factory=list)
    figure: str | None = None  # the lead figure when the question asks for a number
    constraints: list[Constraint] = field(default_factory=list)  # what the question requires
    unmet: list[Constraint] = field(default_factory=list)  # required but not in the documents → found=False
    nearest: str | None = None  # on not-found: what the documents do hold, in one sentence with [n]
    parts: list[PartResult] = field(default_factory=list)  # a two-part question: each part, held or not

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return d
