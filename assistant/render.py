"""Text forms of an Answer, written from its structure (sections of statements), never parsed back.

The chat, the CLI and the JSON contract's ``answer`` field use ``answer_text``; the DOCX export and
the clipboard copy walk the same sections.
"""
from __future__ import annotations

from assistant.types import Answer, Statement

NOT_FOUND = "Không tìm thấy thông tin này trong tài liệu đã nạp."


def cite_marks(st: Statement) -> str:
    return "".join(f"[{n}]" for n in st.cites)


def statement_text(st: Statement, with_label: bool = True) -> str:
    text = st.text
    if with_label and st.label:
        text = f"Theo {st.label}: {text}"
    if st.figure:
        text = f"{st.figure[:1].upper()}{st.figure[1:]} — {text}"
    return f"{text} {cite_marks(st)}".rstrip()


def not_found_text(answer: Answer) -> str:
    """"Không tìm thấy …", what is missing ("năm 2020", "thành phố Vinh"), and what the documents hold nearest."""
    text = NOT_FOUND
    if answer.unmet:
        values = ", ".join(c.value for c in answer.unmet)
        text += f" Không có đoạn nào nói về nội dung được hỏi ứng với: {values}."
    if answer.nearest:
        text += f" Gần nhất trong tài liệu: {answer.nearest}"
    elif answer.citations:
        text += " Các đoạn gần nhất cùng chủ đề được liệt kê bên dưới để tham khảo."
    return text


def answer_text(answer: Answer) -> str:
    """The answer as plain text with [n] markers (Markdown-safe lines)."""
    if not answer.found:
        return not_found_text(answer) if answer.sections == [] else _sections_text(answer)
    return _sections_text(answer)


def _sections_text(answer: Answer) -> str:
    blocks: list[str] = []
    for i, section in enumerate(answer.sections):
        if section.layout == "prose":
            lead, *rest = section.statements or [None]
            if lead is None:
                continue
            block = statement_text(lead)
            if rest:
                block += "\n\n" + " ".join(statement_text(st) for st in rest)
            blocks.append(block)
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
