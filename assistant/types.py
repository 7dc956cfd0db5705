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

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return d
