"""Export a talking-points answer as a Word document the user can edit and print.

The bullets are written exactly as the assistant gave them (``[n]`` markers kept) so every point
stays traceable to the numbered source list that follows them.
"""
from __future__ import annotations

import re
from pathlib import Path

from assistant.types import Answer, Citation

TITLE = "Dàn ý phát biểu"
# XML 1.0 forbids most C0 control characters; python-docx raises on them, so drop them.
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str | None) -> str:
    """Text Word can store: control characters removed, None → ""."""
    return _XML_BAD.sub("", text or "")


def answer_bullets(answer: Answer) -> list[str]:
    """The talking points: ``answer.bullets``, or the "- " lines of the answer text when none were set."""
    if answer.bullets:
        return list(answer.bullets)
    lines = [ln.strip() for ln in (answer.answer or "").splitlines()]
    bullets = [ln[2:].strip() for ln in lines if ln.startswith(("- ", "• ", "* "))]
    return bullets or [ln for ln in lines if ln]


def source_line(c: Citation) -> str:
    """"[n] title — outlet, date (file)"; the legal label goes with the title when there is one."""
    title = c.title or c.source
    if c.label and c.label not in title:
        title = f"{title} ({c.label})"
    where = ", ".join(x for x in (c.outlet, c.date) if x)
    line = f"[{c.n}] {title}"
    if where:
        line += f" — {where}"
    return f"{line} ({c.source})" if c.source else line


def talking_points_docx(answer: Answer, path: str | Path) -> Path:
    """Write the talking points and their sources to ``path`` (.docx) and return it."""
    from docx import Document
    from docx.shared import Pt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = Document()
    doc.add_heading(TITLE, level=1)
    if answer.question:
        p = doc.add_paragraph()
        p.add_run("Chủ đề: ").bold = True
        p.add_run(xml_safe(answer.question))
    for bullet in answer_bullets(answer):
        doc.add_paragraph(xml_safe(bullet), style="List Bullet")
    if answer.citations:
        doc.add_heading("Nguồn trích dẫn", level=2)
        for c in sorted(answer.citations, key=lambda c: c.n):
            doc.add_paragraph().add_run(xml_safe(source_line(c))).bold = True
            quote = c.quote or c.passage
            if quote:
                q = doc.add_paragraph()
                q.paragraph_format.left_indent = Pt(18)
                q.add_run(f"“{xml_safe(quote)}”").italic = True
    doc.save(str(path))
    return path
