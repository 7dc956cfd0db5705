"""The «Lịch sử hỏi đáp» panel of the chat tab: the user's own conversations, reopened or deleted.

Only the current user's conversations are listed, opened or deleted: the access rules
(assistant/accounts/access.py → vectorstore/history.py) name the owner in every query.
"""
from __future__ import annotations

import time
from typing import Any

import gradio as gr

from ui.render import md_text
from ui.user import access_of, user_of

NOT_FOUND = "Không tìm thấy cuộc hỏi đáp này trong lịch sử của bạn."


def choices(assistant, request) -> list[tuple[str, str]]:
    access = access_of(assistant)
    if access is None:
        return []
    return [(f"{time.strftime('%d/%m/%Y %H:%M', time.localtime(c.updated_at))} — {c.title}", c.id)
            for c in access.conversations(user_of(request))]


def build(assistant, tab) -> None:
    """Lay out the panel under the chat and wire it to the chat tab ``tab`` (ui/chat.py ChatTab)."""
    from ui.render import cited_documents, sources_html
    with gr.Accordion("Lịch sử hỏi đáp của bạn", open=False, elem_id="history"):
        picker = gr.Dropdown([], label="Cuộc hỏi đáp đã lưu", elem_id="history-choice")
        with gr.Row():
            refresh = gr.Button("Làm mới", size="sm", elem_id="history-refresh")
            open_btn = gr.Button("Mở lại", size="sm", variant="primary", elem_id="history-open")
            delete = gr.Button("Xoá", size="sm", variant="stop", elem_id="history-delete")
        msg = gr.Markdown(elem_id="history-msg")

    def on_refresh(request: gr.Request = None):
        return gr.update(choices=choices(assistant, request), value=None)

    def on_open(conv_id, request: gr.Request = None):
        access = access_of(assistant)
        turns = access.open_conversation(user_of(request), conv_id or "") if access is not None else None
        if turns is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), NOT_FOUND
        chat: list[dict[str, Any]] = []
        for t in turns:
            chat += [{"role": "user", "content": md_text(t.question)},
                     {"role": "assistant", "content": md_text(t.answer)}]
        pairs = [[t.question, t.answer] for t in turns]
        last = turns[-1].payload if turns else {}
        answer = _answer(last)
        return (chat, pairs, conv_id, sources_html(answer, cited_documents(assistant, answer)),
                f"Đã mở lại {len(turns)} lượt hỏi đáp.")

    def on_delete(conv_id, request: gr.Request = None):
        access = access_of(assistant)
        ok = access is not None and access.delete_conversation(user_of(request), conv_id or "")
        return gr.update(choices=choices(assistant, request), value=None), "Đã xoá." if ok else NOT_FOUND

    ui = dict(api_visibility="undocumented")
    refresh.click(on_refresh, None, [picker], api_name=False, **ui)
    open_btn.click(on_open, [picker], [tab.chatbot, tab.history, tab.conversation, tab.sources, msg],
                   api_name=False, **ui)
    delete.click(on_delete, [picker], [picker, msg], api_name=False, **ui)


def _answer(payload: dict[str, Any]):
    """The stored Answer dict back as an Answer (for the sources panel); None when it does not fit."""
    from assistant.types import Answer, Citation
    try:
        cites = [Citation(**c) for c in payload.get("citations", [])]
        simple = ("question", "mode", "found", "answer", "notice", "nearest", "resolved_question",
                  "restored_question")
        fields = {k: payload[k] for k in simple if k in payload}
        return Answer(**{**fields, "citations": cites})
    except (TypeError, ValueError):
        return None
