"""Small typed objects that travel from ingest to the store."""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Any


class SkipFile(Exception):
    """A file that cannot be ingested; ``reason`` is shown to the user (Vietnamese / English)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class LoadedText:
    """Text decoded from one file, before cleaning."""
    text: str
    encoding: str  # e.g. "utf-8", "tcvn3", "vni", "cp1258", "docx", "pdf", "html"
    is_html: bool = False
    title_hint: str | None = None  # e.g. HTML <title>, DOCX core title
    pages: list = field(default_factory=list)  # ingest.pages.PageText, for paged files (PDF, images)
    ocr_pages: int = 0  # pages read by OCR
    ocr_seconds: float = 0.0


@dataclass
class DocMeta:
    """What we know about a document. ``date`` is ``dd/mm/yyyy`` or ``dd/mm`` (never an invented year)."""
    title: str = ""
    outlet: str | None = None
    date: str | None = None
    date_iso: str | None = None  # yyyy-mm-dd only when a year is stated
    kind: str = "text"  # "news" | "law" | "text"
    instrument: str | None = None  # legal: e.g. "Luật số 10/2022/QH15"
    article: str | None = None  # legal: e.g. "Điều 36"
    effective_date: str | None = None  # legal: dd/mm/yyyy
    places: list[str] = field(default_factory=list)  # "thị xã Hồng Lĩnh": what the page itself is about
    heading: str = ""  # what its passages carry as their heading (ingest/metadata.extract_metadata)
    year: str | None = None  # "2018": the year it gives for itself, to show (ingest/year_place.py)
    place: str | None = None  # "huyện Cẩm Xuyên (Hà Tĩnh)": the place it names for itself, to show

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Chunk:
    """One passage of a document. ``start``/``end`` are offsets into the cleaned document text."""
    chunk_id: str
    doc_id: str
    position: int
    text: str
    heading: str = ""  # document title, or legal article heading for law text
    start: int = 0
    end: int = 0
    page: int | None = None  # 1-based page the passage starts on (paged files only)
    ocr: bool = False  # the passage was read from a scanned page


@dataclass
class Fact:
    """An extracted index item (document reference, figure, period, role), verbatim from its passage."""
    kind: str  # "document_ref" | "figure" | "period" | "role"
    text: str  # verbatim span as it appears in the chunk text
    fields: dict[str, Any] = field(default_factory=dict)
    chunk_id: str = ""
    start: int = 0  # offset inside the chunk text
