"""The header block of an administrative document (Party or State), as printed and as OCR reads it.

A directive, resolution or plan opens with its issuer, "Số: 20-CT/ThU", the place and date, then its
kind in capitals ("CHỈ THỊ") and its subject ("về tăng cường …"). The number is not written after
the kind, so the running-text patterns of ingest/extract.py do not see it; this module reads the
block and gives the document reference (a fact) and a title that names the document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.facts.refs import DOC_NUM, DOC_TYPES
from ingest.types import Fact

HEADER_LINES = 15  # the header block is within the first lines of the document
SUBJECT_MAX_LINES = 3
TITLE_MAX_CHARS = 160

_NUMBER_LINE = re.compile(rf"^\s*(?P<so>Số|SỐ)\s*[:.]?\s*(?P<num>{DOC_NUM})", re.M)
_WORDY_DATE = re.compile(r"ngày\s+(\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})", re.I)
# The symbol's first segment after the number names the kind when no kind line is printed.
SYMBOL_TYPES = {"CT": "Chỉ thị", "NQ": "Nghị quyết", "QĐ": "Quyết định", "KL": "Kết luận", "KH": "Kế hoạch",
                "HD": "Hướng dẫn", "QC": "Quy chế", "QĐi": "Quy định", "TB": "Thông báo", "ĐA": "Đề án",
                "CTr": "Chương trình"}
_KIND_BY_CAPS = {k.upper(): k for k in DOC_TYPES}


@dataclass
class DocHeader:
    number: str  # "20-CT/ThU"
    start: int  # offset of "Số" in the text
    end: int  # end of the number
    doc_type: str | None  # "Chỉ thị"
    subject: str | None  # "về tăng cường …"
    date: str | None  # "15 tháng 3 năm 2022" as written

    @property
    def title(self) -> str:
        name = f"{self.doc_type or 'Văn bản'} số {self.number}"
        full = f"{name} {self.subject}" if self.subject else name
        return full if len(full) <= TITLE_MAX_CHARS else full[:TITLE_MAX_CHARS].rsplit(" ", 1)[0] + " …"


def _kind_from_symbol(number: str) -> str | None:
    parts = re.split(r"\s*[-/]\s*", number)
    return next((SYMBOL_TYPES[p] for p in parts[1:] if p in SYMBOL_TYPES), None)


def parse_doc_header(text: str) -> DocHeader | None:
    """The header block near the top of ``text`` ("Số: …" within HEADER_LINES lines), or None."""
    top = "\n".join(text.split("\n")[:HEADER_LINES])
    m = _NUMBER_LINE.search(top)
    if not m:
        return None
    number = re.sub(r"\s+", "", m.group("num"))
    lines = top.split("\n")
    doc_type = subject = None
    for i, line in enumerate(lines):
        kind = _KIND_BY_CAPS.get(" ".join(line.split()).upper()) if line.isupper() else None
        if kind:
            doc_type = kind
            about: list[str] = []
            following = [ln.strip() for ln in lines[i + 1:]]
            while following and not following[0]:  # OCR may set the subject apart by a blank line
                following.pop(0)
            for nxt in following[:SUBJECT_MAX_LINES]:
                if not nxt or (not about and not re.match(r"(?i)(về|v/v)\b", nxt)):
                    break
                about.append(nxt)
            subject = " ".join(about) or None
            break
    date = _WORDY_DATE.search(top)
    return DocHeader(number=number, start=m.start("so"), end=m.end("num"), doc_type=doc_type or _kind_from_symbol(number),
                     subject=subject, date=date.group(1) if date else None)


def header_facts(text: str) -> list[Fact]:
    """The header's document reference as a fact (verbatim span "Số: 20-CT/ThU"), when there is one."""
    h = parse_doc_header(text)
    if h is None or h.doc_type is None:
        return []
    fields = {"doc_type": h.doc_type, "type_key": DOC_TYPES[h.doc_type], "number": h.number, "issuer": None,
              "subject": h.subject, "date": h.date}
    return [Fact(kind="document_ref", text=text[h.start:h.end], fields=fields, start=h.start)]
