"""Text forms of an answer's structure (sections of statements): plain text and Markdown.

Rendered from ``Answer.sections``, never by parsing ``Answer.answer``, so the chat, the CLI, the
DOCX and the copy-paste text all say the same thing.
"""
from __future__ import annotations

from assistant.types import Answer, Citation, Statement

SOURCES_TITLE = "Nguồn trích dẫn"


def statement_line(st: Statement) -> str:
    """"Hồng Lĩnh, 2020 — text [n]": the label (where/when, or legal reference) first, then the cites."""
    text = st.text.rstrip()
    if st.label:
        text = f"{st.label[:1].upper()}{st.label[1:]} — {text}"
    marks = "".join(f"[{n}]" for n in st.cites)
    return f"{text} {marks}".rstrip()


def source_line(c: Citation) -> str:
    """"[n] title (legal label) — outlet, date (file)": a full reference a reader can find again."""
    title = c.title or c.source
    if c.label and c.label not in title:
        title = f"{title} ({c.label})"
    where = ", ".join(x for x in (c.outlet, c.date) if x)
    line = f"[{c.n}] {title}"
    if where:
        line += f" — {where}"
    return f"{line} ({c.source})" if c.source else line


def outline_text(answer: Answer) -> str:
    """Plain text: section titles, "- " points, no sources (they follow as the citation list)."""
    lines: list[str] = []
    for sec in answer.sections:
        if sec.title:
            lines.append(sec.title)
        for st in sec.statements:
            lines.append(f"- {statement_line(st)}")
        lines.append("")
    return "\n".join(lines).strip()


def outline_markdown(answer: Answer, title: str = "Dàn ý phát biểu") -> str:
    """Markdown copy of the outline with its numbered sources."""
    out = [f"# {title}", ""]
    for sec in answer.sections:
        if sec.title:
            out += [f"## {sec.title}", ""]
        out += [f"- {statement_line(st)}" for st in sec.statements]
        out.append("")
    if answer.citations:
        out += [f"## {SOURCES_TITLE}", ""]
        out += [f"{source_line(c)}  " for c in sorted(answer.citations, key=lambda c: c.n)]
    return "\n".join(out).rstrip() + "\n"
