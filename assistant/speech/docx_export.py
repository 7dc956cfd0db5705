"""Export talking points as a Word document in the administrative format (Nghị định 30/2020/NĐ-CP).

A4, Times New Roman 14 (sources 13), margins top/bottom 20 mm, left 30 mm, right 15 mm; the title,
lines to fill in (speaker, occasion, date), the outline by section with its ``[n]`` markers, then
"Nguồn trích dẫn" with full references so every point stays traceable.
"""
from __future__ import annotations

import re
from pathlib import Path

from assistant.answer.render import SOURCES_TITLE, source_line, statement_line
from assistant.speech.speech_frame import read_request
from assistant.types import Answer

TITLE = "Dàn ý phát biểu"
FONT_NAME = "Times New Roman"
BODY_PT = 14
SOURCES_PT = 13
TITLE_PT = 14
# Nghị định 30/2020/NĐ-CP, Phụ lục I: A4; top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
PAGE_MM = (210, 297)
MARGIN_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
PLACEHOLDER = "……………………………………"
# XML 1.0 forbids most C0 control characters; python-docx raises on them, so drop them.
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

__all__ = ["talking_points_docx", "answer_bullets", "source_line", "xml_safe", "TITLE"]


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


def _setup(doc) -> None:
    """A4, the decree's margins, Times New Roman 14 in the styles the document uses."""
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt
    for section in doc.sections:
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.top_margin, section.bottom_margin = Mm(MARGIN_MM["top"]), Mm(MARGIN_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGIN_MM["left"]), Mm(MARGIN_MM["right"])
    for name in ("Normal", "List Bullet", "Heading 1", "Heading 2", "Title"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        style.font.name = FONT_NAME
        style.font.size = Pt(BODY_PT)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT_NAME)
        if name.startswith("Heading") or name == "Title":
            style.font.bold = True
            style.font.color.rgb = None


def _para(doc, text: str, size: int = BODY_PT, bold: bool = False, italic: bool = False, style: str | None = None,
          center: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    p = doc.add_paragraph(style=style) if style else doc.add_paragraph()
    run = p.add_run(xml_safe(text))
    run.font.name, run.font.size, run.bold, run.italic = FONT_NAME, Pt(size), bold, italic
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def talking_points_docx(answer: Answer, path: str | Path, options=None) -> Path:
    """Write the outline and its sources to ``path`` (.docx) and return it."""
    from docx import Document
    from docx.shared import Pt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = Document()
    _setup(doc)
    _para(doc, TITLE, TITLE_PT, bold=True, center=True)
    frame = read_request(answer.question or "")  # the request read as phrases, not cut by a template
    if frame.topic:
        _para(doc, f"Chủ đề: {frame.topic}", italic=True, center=True)
    occasion = getattr(options, "occasion", "") or frame.occasion or PLACEHOLDER
    audience = getattr(options, "audience", "") or frame.audience
    _para(doc, f"Người phát biểu: {frame.speaker or PLACEHOLDER}")
    _para(doc, f"Dịp phát biểu: {occasion}" + (f" — người nghe: {audience}" if audience else ""))
    _para(doc, "Thời gian: ngày … tháng … năm ……")
    if answer.sections:
        for sec in answer.sections:
            if sec.title:
                _para(doc, sec.title, bold=True)
            for st in sec.statements:  # a sourced point is a bullet; the opening words are a plain line
                _para(doc, statement_line(st), style="List Bullet" if st.cites else None)
    else:
        for bullet in answer_bullets(answer):
            _para(doc, bullet, style="List Bullet")
    if answer.citations:
        _para(doc, SOURCES_TITLE, bold=True)
        for c in sorted(answer.citations, key=lambda c: c.n):
            _para(doc, source_line(c), SOURCES_PT, bold=True)
            quote = c.quote or c.passage
            if quote:
                q = _para(doc, f"“{quote}”", SOURCES_PT, italic=True)
                q.paragraph_format.left_indent = Pt(18)
    doc.save(str(path))
    return path
