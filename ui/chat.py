"""The «Hỏi đáp» tab: question, mode, filters, streamed answer, sources, talking points, follow-up undo."""
from __future__ import annotations

import logging
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import gradio as gr

from assistant.speech.docx_export import talking_points_docx
from assistant.inputs import question_problem
from assistant.retrieve.retriever import Filters, parse_date
from assistant.types import Answer
from assistant.answer.render import growing_answers
from ui.render import answer_markdown, bullets_text, cited_documents, md_text, sources_html, sources_pending_html
from ui.style import COPY_JS
from ui.user import access_of, scope_of, user_of

log = logging.getLogger("danvan.ui")

MODES = [("Tự động", "auto"), ("Hỏi đáp", "qa"), ("Dàn ý phát biểu", "talking_points"),
         ("Tra cứu văn bản", "lookup")]
# Realistic questions of the kinds staff ask; deliberately not the evaluation set's questions
# (tests/test_ui_examples.py checks that).
EXAMPLES = [
    "Thị xã Hồng Lĩnh sơ kết một năm thực hiện Chỉ thị 20-CT/ThU đạt những kết quả gì?",
    "Gợi ý dàn ý phát biểu về vai trò giám sát, phản biện xã hội của Mặt trận ở cơ sở.",
    "Cẩm Xuyên triển khai các mô hình dân vận khéo trên những lĩnh vực nào?",
    "Ngày 9/7/2021 Ban Dân vận Tỉnh ủy Hà Tĩnh họp để làm gì?",
]
THINKING = "⏳ Đang tìm trong tài liệu…"
EXPORT_ROOT = Path(tempfile.gettempdir()) / "danvan-exports"
UNDATED_INCLUDED = "gồm cả tài liệu không rõ ngày"
UNDATED_EXCLUDED = "không gồm tài liệu không rõ ngày"
STATEMENT_PAUSE_S = 0.15  # between statements as an answer is shown growing (the last waits for nothing)


def parse_filters(date_from: str | None, date_to: str | None, outlet: str | None,
                  documents: Iterable[str] | None, include_undated: bool = False) -> Filters:
    """The filter widgets → Filters; a bad date raises ValueError with a message for the user."""
    dates = []
    for label, raw in (("Từ ngày", date_from), ("Đến ngày", date_to)):
        try:
            dates.append(parse_date((raw or "").strip() or None))
        except (ValueError, TypeError):
            raise ValueError(f"{label} không hợp lệ: «{raw}». Hãy nhập theo dạng ngày/tháng/năm, "
                             "ví dụ 09/07/2021.") from None
    if dates[0] and dates[1] and dates[0] > dates[1]:
        raise ValueError("«Từ ngày» phải trước «Đến ngày».")
    return Filters(date_from=dates[0], date_to=dates[1], outlet=(outlet or "").strip() or None,
                   documents=[d for d in (documents or []) if d], include_undated=bool(include_undated))


def _dmy(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def filter_note(f: Filters | None) -> str | None:
    """The active filter in words (None when no filter is on), including how undated documents are treated."""
    if f is None or not f.active():
        return None
    parts = []
    if f.date_from or f.date_to:
        span = " ".join(x for x in (f"từ {_dmy(f.date_from)}" if f.date_from else "",
                                    f"đến {_dmy(f.date_to)}" if f.date_to else "") if x)
        parts.append(f"ngày {span}, {UNDATED_INCLUDED if f.include_undated else UNDATED_EXCLUDED}")
    if f.outlet:
        parts.append(f"nguồn/địa phương chứa «{f.outlet}»")
    if f.documents:
        parts.append(f"chỉ trong {len(f.documents)} tài liệu đã chọn")
    return "; ".join(parts)


def filter_state_markdown(date_from, date_to, outlet, docs, include_undated) -> str:
    """The line under the filters saying whether a filter is on (or why the filter is invalid)."""
    try:
        note = filter_note(parse_filters(date_from, date_to, outlet, docs, include_undated))
    except ValueError as exc:
        return f"⚠️ {md_text(str(exc))}"
    return f"**Bộ lọc đang bật:** {md_text(note)}" if note else "Không lọc: tìm trong toàn bộ kho."


def _sources(assistant, answer: Answer | None) -> str:
    return sources_html(answer, cited_documents(assistant, answer))


def _history_pairs(history: list[list[str]] | None) -> list[tuple[str, str]]:
    return [(q, a) for q, a in (history or [])]


@dataclass
class ChatTab:
    chatbot: Any
    question: Any
    mode: Any
    send: Any
    note: Any
    sources: Any
    doc_filter: Any
    undo: Any
    conversation: Any  # gr.State: the id of this conversation in the user's chat history
    history: Any  # gr.State: (question, answer) pairs for follow-up questions


def build(assistant) -> ChatTab:
    """Lay out the chat tab inside the current Blocks and wire its events."""
    settings = assistant.settings
    history, last_answer, original = gr.State([]), gr.State(None), gr.State("")
    with gr.Row():
        with gr.Column(scale=3):
            # autoscroll off: ui/style.PAGE_JS brings each new question and the start of its answer into view
            chatbot = gr.Chatbot(label="Hội thoại", elem_id="chat", height=360, autoscroll=False,
                                 placeholder="Đặt câu hỏi về tài liệu đã nạp.", buttons=["copy"])
            # lines=1 (growing to 6): Gradio sends on Enter and leaves Shift+Enter to the box, a new line
            question = gr.Textbox(label="Câu hỏi", elem_id="question", lines=1, max_lines=6,
                                  placeholder="Ví dụ: " + EXAMPLES[0],
                                  info=f"Enter để gửi, Shift+Enter để xuống dòng. Tối đa "
                                       f"{settings.max_question_chars} ký tự.")
            with gr.Row():
                send = gr.Button("Gửi", variant="primary", elem_id="send", scale=2)
                clear = gr.Button("Cuộc hỏi đáp mới", elem_id="clear", scale=1)
            note = gr.Markdown(elem_id="ask-note")
            undo = gr.Button("Hỏi đúng câu gốc", visible=False, elem_id="undo-followup", size="sm")
            mode = gr.Radio(MODES, value="auto", label="Chế độ", elem_id="mode")
            tp = _talking_points_group()
            flt = _filters_group()
        with gr.Column(scale=2):
            sources = gr.HTML(sources_html(None), elem_id="sources", label="Nguồn")
            # after the sources: on a narrow screen the columns stack, and the sources come first
            gr.Examples(EXAMPLES, inputs=[question], label="Câu hỏi mẫu", elem_id="examples")
            tab = ChatTab(chatbot, question, mode, send, note, sources, flt["docs"], undo, gr.State(None), history)
            from ui import history as history_panel
            history_panel.build(assistant, tab)
    _wire(assistant, tab, flt, tp, history, last_answer, original, clear)
    return tab


def _talking_points_group() -> dict[str, Any]:
    with gr.Group(visible=False, elem_id="talking-points") as group:
        text = gr.Textbox(label="Dàn ý (để sao chép)", lines=6, interactive=False, elem_id="tp-text")
        with gr.Row():
            copy_btn = gr.Button("Sao chép", elem_id="copy-tp")
            export_btn = gr.Button("Xuất DOCX", elem_id="export-docx")
        copied = gr.Markdown("", elem_id="copy-note")  # "Đã sao chép" once the clipboard holds the outline
        docx_file = gr.File(label="Tệp DOCX", visible=False, elem_id="docx-file", interactive=False)
    return {"group": group, "text": text, "copy": copy_btn, "export": export_btn, "file": docx_file,
            "copied": copied}


def _filters_group() -> dict[str, Any]:
    with gr.Accordion("Bộ lọc", open=False, elem_id="filters"):
        with gr.Row():
            date_from = gr.Textbox(label="Từ ngày (ngày/tháng/năm)", elem_id="date-from")
            date_to = gr.Textbox(label="Đến ngày (ngày/tháng/năm)", elem_id="date-to")
            outlet = gr.Textbox(label="Cơ quan / địa phương / báo", elem_id="outlet")
        undated = gr.Checkbox(False, label="Khi lọc theo ngày, gồm cả tài liệu không rõ ngày",
                              elem_id="include-undated")
        docs = gr.Dropdown([], multiselect=True, label="Chỉ tìm trong các tài liệu", elem_id="doc-filter",
                           allow_custom_value=True, info="Chọn tài liệu hoặc gõ tên tệp.")
    state = gr.Markdown("Không lọc: tìm trong toàn bộ kho.", elem_id="filter-state")
    return {"from": date_from, "to": date_to, "outlet": outlet, "undated": undated, "docs": docs, "state": state}


def _stream(assistant, question: str, mode: str, chat: list, history: list, filters: Filters | None,
            scope: Any = None) -> Iterator[tuple[list, Answer | None, str | None]]:
    """Run one question through the assistant, yielding (chat, answer or None, error) as the reply grows."""
    chat.append({"role": "assistant", "content": THINKING})
    yield chat, None, None
    streamed = ""
    try:
        for kind, value in assistant.ask_stream(question, mode or "auto", None, _history_pairs(history),
                                                filters if filters and filters.active() else None,
                                                scope=scope):
            if kind == "delta":
                streamed += value
                chat[-1] = {"role": "assistant", "content": md_text(streamed)}
                yield chat, None, None
            elif kind == "answer":
                steps = [value] if streamed else growing_answers(value)
                for i, step in enumerate(steps):  # statement by statement, as the reader would read it
                    if i:
                        time.sleep(STATEMENT_PAUSE_S)
                    chat[-1] = {"role": "assistant", "content": answer_markdown(step, filter_note(filters))}
                    yield chat, (value if step is value else None), None
    except Exception as exc:  # shown to the user; the app keeps serving
        log.exception("ask failed")
        chat[-1] = {"role": "assistant", "content": "⚠️ **Lỗi khi trả lời.** Hãy thử lại; nếu lỗi lặp lại, báo "
                                                    "người quản trị (chi tiết trong nhật ký máy chủ)."}
        yield chat, None, str(exc)


def _record(assistant, request, conv: str | None, question: str, answer: Answer) -> str | None:
    """Keep the turn in the user's chat history; the conversation's id (history trouble never stops an answer)."""
    access = access_of(assistant)
    if access is None:
        return conv
    try:
        return access.record_turn(user_of(request), conv, question, answer)
    except Exception:  # noqa: BLE001 (logged; the answer is still shown)
        log.exception("chat history write failed")
        return conv


def _finish(answer: Answer, history: list, question: str) -> tuple:
    """(history, tp visible, tp text, undo button) after an answer."""
    history = list(history or []) + [[answer.resolved_question or question, answer.answer]]
    tp = answer.mode == "talking_points" and answer.found
    undo = gr.update(visible=bool(answer.resolved_question),
                     value=f"Không, hỏi đúng câu gốc: «{question[:80]}»")
    return history, gr.update(visible=tp), bullets_text(answer) if tp else "", undo


def _wire(assistant, tab: ChatTab, flt: dict, tp: dict, history, last_answer, original, clear) -> None:
    settings = assistant.settings
    hidden_file = gr.update(value=None, visible=False)
    skip8 = (gr.skip(),) * 8

    def on_ask(question, mode, chat, hist, date_from, date_to, outlet, docs, undated, conv,
               request: gr.Request = None):
        question = (question or "").strip()
        problem = question_problem(question, settings.max_question_chars)
        if problem:
            yield (*skip8, f"⚠️ {problem}", gr.skip(), gr.skip(), gr.skip())
            return
        try:
            filters = parse_filters(date_from, date_to, outlet, docs, undated)
        except ValueError as exc:
            yield (*skip8, f"⚠️ **Bộ lọc không hợp lệ:** {md_text(str(exc))}", gr.skip(), gr.skip(), gr.skip())
            return
        chat = list(chat or []) + [{"role": "user", "content": md_text(question)}]
        hide = (gr.update(visible=False), "", hidden_file)
        box = ""  # the question box is emptied once: what the user types next while the answer grows stays
        for chat, answer, error in _stream(assistant, question, mode, chat, hist, filters,
                                           scope_of(assistant, request)):
            if answer is None:
                yield (chat, box, sources_pending_html(question) if error is None else sources_html(None), hist,
                       gr.skip(), *hide,
                       "", gr.update(visible=False), question, gr.skip())
                box = gr.skip()
                continue
            hist2, tp_vis, tp_text, undo = _finish(answer, hist, question)
            conv = _record(assistant, request, conv, question, answer)
            yield (chat, box, _sources(assistant, answer), hist2, answer, tp_vis, tp_text, hidden_file, "", undo,
                   question, conv)

    def on_undo(orig, mode, chat, hist, date_from, date_to, outlet, docs, undated, conv,
                request: gr.Request = None):
        """Ask the last question again exactly as typed, without the conversation."""
        chat, hist = list(chat or [])[:-1], list(hist or [])[:-1]
        filters = parse_filters(date_from, date_to, outlet, docs, undated)
        for chat, answer, _ in _stream(assistant, orig, mode, chat, [], filters, scope_of(assistant, request)):
            if answer is not None:
                hist2, tp_vis, tp_text, _ = _finish(answer, hist, orig)
                conv = _record(assistant, request, conv, orig, answer)
                yield (chat, gr.skip(), _sources(assistant, answer), hist2, answer, tp_vis, tp_text, hidden_file, "",
                       gr.update(visible=False), orig, conv)

    def on_clear():
        return ([], "", sources_html(None), [], None, gr.update(visible=False), "", hidden_file, "",
                gr.update(visible=False), "", None)

    def on_export(answer):
        if answer is None:
            gr.Warning("Chưa có dàn ý để xuất.")
            return hidden_file
        path = talking_points_docx(answer, EXPORT_ROOT / uuid.uuid4().hex / "dan-y-phat-bieu.docx")
        return gr.update(value=str(path), visible=True)

    ui = dict(api_visibility="undocumented")
    outputs = [tab.chatbot, tab.question, tab.sources, history, last_answer, tp["group"], tp["text"], tp["file"],
               tab.note, tab.undo, original, tab.conversation]
    filters_in = [flt["from"], flt["to"], flt["outlet"], flt["docs"], flt["undated"]]
    inputs = [tab.question, tab.mode, tab.chatbot, history, *filters_in, tab.conversation]
    tab.send.click(on_ask, inputs, outputs, api_name="chat", **ui)
    tab.question.submit(on_ask, inputs, outputs, api_name="chat_submit", **ui)
    tab.undo.click(on_undo, [original, *inputs[1:]], outputs, api_name=False, **ui)
    clear.click(on_clear, None, outputs, api_name="clear", **ui)
    # In the browser only: the outline (headings, points, sources) to the clipboard, and the note says so; a new
    # outline clears the note.
    tp["copy"].click(None, [tp["text"]], [tp["copied"]], js=COPY_JS, api_name=False)
    tp["text"].change(None, None, [tp["copied"]], js="() => ''", api_name=False)
    tp["export"].click(on_export, [last_answer], [tp["file"]], api_name="export_docx", **ui)
    for box in filters_in:
        box.change(filter_state_markdown, filters_in, [flt["state"]], api_name=False, **ui)
