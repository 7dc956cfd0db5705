"""With an LLM configured: each outline section written as spoken paragraphs from its own cited points.

The model sees one section at a time — its points with their [n] and those passages — so it cannot
borrow from another section. Every sentence it writes is checked: its [n] must be one of the
section's sources, and every number in it must be in the passage it cites; a sentence that fails is
dropped with a note. If the model fails, the extractive outline is kept, with a notice.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from assistant.llm.chat import (LLMUnavailable, _MARKER_RE, _lc_messages, cited_numbers, extract_figures, figure_in_text,
                           fill_template, format_context, load_prompt, normalize_figure_text, sanitize_block_text,
                           stream_messages)
from assistant.llm.stream import StreamInfo, drop_unfinished
from assistant.answer.render import outline_text, statement_line
from assistant.speech.speech_frame import read_request
from assistant.types import Answer, Passage, Section, Statement
from vntext import split_sentences
from config import Settings

FALLBACK_NOTICE = "Không dùng được LLM ({error}); hiển thị dàn ý trích dẫn nguyên văn."


def check_sentences(text: str, allowed: set[int], sources: dict[int, str]) -> tuple[list[Statement], list[str]]:
    """The drafted paragraph as statements; a sentence without a valid [n], or with a number its
    cited passages do not hold, is dropped and noted."""
    out: list[Statement] = []
    notes: list[str] = []
    for s, e in split_sentences(text):
        sentence = text[s:e].strip()
        if not sentence:
            continue
        cites = [n for n in cited_numbers(sentence) if n in allowed]
        bare = re.sub(r"\s*" + _MARKER_RE.pattern, "", sentence).strip()
        if not bare:
            continue
        if not cites:
            notes.append(f"Đã bỏ câu không có nguồn hợp lệ: «{bare[:80]}»")
            continue
        haystack = normalize_figure_text("\n".join(sources.get(n, "") for n in cites))
        missing = [f for f in extract_figures(bare) if not figure_in_text(f, haystack)]
        if missing:
            notes.append(f"Đã bỏ câu có số liệu không có trong nguồn đã dẫn ({', '.join(missing)}): «{bare[:80]}»")
            continue
        out.append(Statement(text=bare, cites=cites))
    return out, notes


def section_messages(answer: Answer, section: Section, occasion: str = "") -> list:
    """System rules + one user message: this section's points and only the passages they cite."""
    lc = _lc_messages()
    numbers = sorted({n for st in section.statements for n in st.cites})
    by_n = {c.n: c for c in answer.citations}
    passages = [Passage(chunk_id=str(n), doc_id="", source=by_n[n].source, title=by_n[n].title,
                        text=by_n[n].passage or by_n[n].quote, outlet=by_n[n].outlet, date=by_n[n].date)
                for n in numbers if n in by_n]
    context = "\n\n".join(_numbered_blocks(passages, numbers))
    user = fill_template(
        load_prompt("outline_section_vi"),
        section=section.title.split(". ", 1)[-1], occasion=f" tại {occasion}" if occasion else "",
        topic=sanitize_block_text(read_request(answer.question or "").topic),
        points="\n".join(f"- {sanitize_block_text(statement_line(st))}" for st in section.statements if st.cites),
        context=context, numbers=", ".join(f"[{n}]" for n in numbers))
    return [lc.SystemMessage(content=load_prompt("answer_system_vi").strip()), lc.HumanMessage(content=user.strip())]


def _numbered_blocks(passages: list[Passage], numbers: list[int]) -> list[str]:
    """Each passage under its own citation number (format_context numbers from 1)."""
    return [format_context([p]).replace("[1]", f"[{n}]", 1) for p, n in zip(passages, numbers)]


def draft_outline(settings: Settings, answer: Answer, occasion: str = "") -> Iterator[tuple[str, Any]]:
    """Yields ("delta", text) while sections are written; returns the drafted Answer (or the
    extractive one with a notice when the model fails)."""
    sources = {c.n: "\n".join(x for x in (c.title, c.outlet, c.date, c.passage or c.quote) if x)
               for c in answer.citations}
    new_sections: list[Section] = []
    notes: list[str] = []
    for section in answer.sections:
        cited = [st for st in section.statements if st.cites]
        if not cited:
            new_sections.append(section)  # the opening line in our own words: nothing to draft
            continue
        info = StreamInfo()
        parts: list[str] = []
        try:
            yield "delta", f"{section.title}\n"
            for delta in stream_messages(settings, section_messages(answer, section, occasion), info):
                parts.append(delta)
                yield "delta", delta
            yield "delta", "\n\n"
        except LLMUnavailable as exc:
            answer.notice = FALLBACK_NOTICE.format(error=exc)
            return answer
        text = "".join(parts)
        if info.truncated:
            text = drop_unfinished(text)
            notes.append(f"Mục «{section.title}»: câu trả lời của LLM bị cắt, đã bỏ câu chưa trọn.")
        allowed = {n for st in cited for n in st.cites}
        statements, dropped = check_sentences(text, allowed, sources)
        notes += dropped
        if not statements:
            notes.append(f"Mục «{section.title}»: giữ các ý trích dẫn nguyên văn (LLM không viết được câu hợp lệ).")
            statements = section.statements
        new_sections.append(Section(title=section.title, statements=statements, layout="list"))
    drafted = Answer(question=answer.question, mode=answer.mode, found=True, answer="", citations=answer.citations,
                     timings_ms=answer.timings_ms, notice="; ".join(notes) or None, sections=new_sections,
                     resolved_question=answer.resolved_question)
    drafted.bullets = [statement_line(st) for sec in new_sections for st in sec.statements if st.cites]
    drafted.answer = outline_text(drafted)
    return drafted
