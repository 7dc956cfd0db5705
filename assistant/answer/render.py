"""Text forms of an Answer, written from its structure (sections of statements), never parsed back.

The chat, the CLI and the JSON contract's ``answer`` field use ``answer_text``; the DOCX export and
the clipboard copy walk the same sections. A speech outline (sections I–V, Kết luận) has its own
plain-text and Markdown forms, with the place/year label before each point.
"""
from __future__ import annotations

import re
from dataclasses import replace

from assistant.types import Answer, Citation, Statement
from vntext.vocab import CENTURY_YEAR

NOT_FOUND = "Không tìm thấy thông tin này trong tài liệu đã nạp."
UNKNOWN_YEAR = "không rõ năm"
_YEAR = re.compile(rf"(?<!\d){CENTURY_YEAR}(?!\d)")
NEAREST_LEAD = "Gần nhất trong tài liệu:"
_END_SLASH = re.compile(r"([.;:!?…])\s*/+(?=\s|$)")  # an official text's closing "./", kept out of a statement


def date_text(date: str | None, effective_date: str | None = None, kind: str | None = None) -> str:
    """A document's date as shown: a legal text's effective date; a date without a year says so ("19/12
    (không rõ năm)"), and no date at all is "không rõ năm"."""
    if kind == "law" or effective_date:
        return f"hiệu lực {effective_date}" if effective_date else ""
    if not date:
        return UNKNOWN_YEAR
    return date if _YEAR.search(date) else f"{date} ({UNKNOWN_YEAR})"


def shown_date(date: str | None, year: str | None = None, effective_date: str | None = None,
               kind: str | None = None) -> str:
    """A document's date as shown: a legal text's effective date ("hiệu lực 01/07/2023"); a dateline with its
    year; a dateline without one beside the year the document states elsewhere ("19/12 (năm 2018)", ingest/
    year_place.py), or "năm 2018" alone; "không rõ năm" when it states none."""
    if kind == "law" or effective_date or not year or _YEAR.search(date or ""):
        return date_text(date, effective_date, kind)
    return f"{date} (năm {year})" if date else f"năm {year}"


def cite_marks(st: Statement) -> str:
    return "".join(f"[{n}]" for n in st.cites)


def statement_text(st: Statement, with_label: bool = True) -> str:
    text = _END_SLASH.sub(r"\1", st.text)
    if with_label and st.label:
        text = f"Theo {st.label}: {text}"
    if st.figure:
        text = f"{st.figure[:1].upper()}{st.figure[1:]} — {text}"
    return f"{text} {cite_marks(st)}".rstrip()


def not_found_text(answer: Answer) -> str:
    """"Không tìm thấy …", what is missing ("năm 2020", "thành phố Vinh"), and what the documents hold nearest."""
    text = NOT_FOUND
    named = [c for c in answer.unmet if c.kind != "slot"]
    if named:
        values = ", ".join(c.value for c in named)
        text += f" Không có đoạn nào nói về nội dung được hỏi ứng với: {values}."
    for c in answer.unmet:
        if c.kind == "slot":
            text += f" Đoạn gần nhất không nêu {c.value}."
    if answer.nearest:
        text += f" {NEAREST_LEAD} {answer.nearest}"
    elif answer.citations:
        text += " Các đoạn gần nhất cùng chủ đề được liệt kê bên dưới để tham khảo."
    return text


def answer_text(answer: Answer) -> str:
    """The answer as plain text with [n] markers (Markdown-safe lines)."""
    if not answer.found:
        return not_found_text(answer) if answer.sections == [] else _sections_text(answer) + missing_parts_text(answer)
    return _sections_text(answer)


def missing_parts_text(answer: Answer) -> str:
    """A several-part question answered in part: which part the documents do not answer."""
    missing = [p.ask.rstrip(" ?.") for p in answer.parts if not p.found]
    if not missing:
        return ""
    return "\n\n" + f"{PART_NOT_FOUND} " + "; ".join(f"«{m}»" for m in missing) + "."


PART_NOT_FOUND = "Tài liệu đã nạp không trả lời phần:"


def _sections_text(answer: Answer) -> str:
    blocks: list[str] = []
    for i, section in enumerate(answer.sections):
        if section.layout == "prose":
            lead, *rest = section.statements or [None]
            if lead is None:
                continue
            blocks.append("\n\n".join(statement_text(st) for st in [lead, *rest]))  # a paragraph each
            continue
        title = section.title
        if i == 0 and answer.figure and answer.mode != "talking_points":
            title = f"{answer.figure[:1].upper()}{answer.figure[1:]}. {title}".strip()
        bullet = "- " if answer.mode == "talking_points" or i > 0 else ""
        lines = [f"{bullet}{statement_text(st, with_label=False)}" for st in section.statements]
        blocks.append((title + "\n" if title else "") + "\n".join(lines))
    return "\n\n".join(blocks)


def plain_bullets(answer: Answer) -> list[str]:
    """Every statement with its markers, section by section (talking points, clipboard)."""
    return [statement_text(st, with_label=False) for s in answer.sections for st in s.statements]


# ---- speech outlines (assistant/speech/outline.py): plain text, Markdown and source lines ----

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
    when = shown_date(c.date, c.year) if (c.date or c.year) and not c.label else c.date
    where = ", ".join(x for x in (c.outlet, when) if x)
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


def growing_answers(answer: Answer) -> list[Answer]:
    """An answer written from its statements, as it grows statement by statement (the last one is the answer
    itself). An answer whose text is not its statements' (an LLM's, a message) comes whole."""
    n = sum(len(s.statements) for s in answer.sections)
    if n < 2 or not answer.found or answer.answer != answer_text(answer):
        return [answer]
    steps = []
    for k in range(1, n):
        sections, left = [], k
        for s in answer.sections:
            if left <= 0:
                break
            sections.append(replace(s, statements=s.statements[:left]))
            left -= len(s.statements)
        part = replace(answer, sections=sections, notice=None)
        steps.append(replace(part, answer=answer_text(part)))
    return steps + [answer]
