"""The page: header, empty-store banner, the four tabs, and the public API (``/ask``, ``/lookup``).

Every handler converts between widgets and the service's data; no retrieval or answering logic lives here.
Public API (gradio_client): ``/ask`` (question, mode) → Answer as a dict; ``/lookup`` (query, type_key,
figure) → list of facts; ``/documents`` → the documents the user may read; ``/conversations``,
``/conversation`` (id), ``/delete_conversation`` (id) → the user's own chat history. Every route answers
from the logged-in user's read scope (assistant/accounts/access.py).
"""
from __future__ import annotations

import gradio as gr

from assistant.inputs import question_problem
from ui import admin, chat, documents, lookup, settings as settings_tab
from ui.user import access_of, scope_of, user_of
from ui.render import account_html, settings_markdown

TITLE = "Trợ lý Dân vận"
TAB_CHAT, TAB_DOCS, TAB_LOOKUP = "Hỏi đáp", "Tài liệu", "Tra cứu"
EMPTY_BANNER = ('<div class="dv-banner" id="empty-banner-text"><b>Kho tài liệu đang trống.</b> Hãy nạp tài liệu '
                "trước khi hỏi: mở thẻ «Tài liệu», chọn tệp và bấm «Nạp vào kho».</div>")


def build_app(assistant, login: bool = False) -> gr.Blocks:
    """The whole UI around one Assistant (nothing is loaded until a handler runs). ``login``: a login is
    configured; without one there is no «Quản trị» tab at all (accounts are managed with `danvan user …`), so
    nobody who reaches the app can make themselves an admin."""
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        with gr.Row(elem_id="header-row"):
            gr.Markdown(f"## {TITLE}\nHỏi đáp có trích dẫn nguồn trên tài liệu công tác dân vận đã nạp.",
                        elem_id="header")
            account = gr.HTML(visible=False, elem_id="account", scale=0, min_width=220)
        with gr.Row(visible=False, elem_id="empty-banner") as banner:
            gr.HTML(EMPTY_BANNER)
            go_docs = gr.Button("Nạp tài liệu", variant="primary", elem_id="go-docs", scale=0)
        with gr.Tabs() as tabs:
            with gr.Tab(TAB_CHAT, id="chat"):
                chat_tab = chat.build(assistant)
            with gr.Tab(TAB_DOCS, id="docs"):
                docs_tab = documents.build(assistant)
            with gr.Tab(TAB_LOOKUP, id="lookup"):
                lookup.build(assistant)
            with gr.Tab(settings_tab.TAB_NAME, id="settings"):
                settings_md = settings_tab.build()
            admin_tab = None
            if login:
                with gr.Tab(admin.TAB_NAME, id="admin", visible=False) as admin_tab:
                    admin.build(assistant, admin_tab)
        _wire_page(assistant, demo, tabs, banner, go_docs, chat_tab, docs_tab, settings_md, admin_tab, account)
        _api(assistant)
    return demo


def _wire_page(assistant, demo, tabs, banner, go_docs, chat_tab, docs_tab, settings_md, admin_tab,
               account) -> None:
    ui = dict(api_visibility="undocumented")
    refresh_outputs = [docs_tab.table, docs_tab.remove_choice, chat_tab.doc_filter, docs_tab.stats,
                       docs_tab.widgets["collection"], *documents.control_widgets(docs_tab), banner]

    def refresh(request: gr.Request = None):
        empty = not assistant.stats().get("chunks")
        return (*documents.refresh_values(assistant, request), *documents.control_values(assistant, request),
                gr.update(visible=empty))

    def on_load(request: gr.Request = None):
        user = user_of(request)
        access = access_of(assistant)
        shown = (gr.update(visible=access is not None and access.is_admin(user)),) if admin_tab else ()
        return (*refresh(request), settings_markdown(settings_tab.describe(assistant.settings), None),
                gr.update(value=account_html(user), visible=user is not None), *shown)

    documents.wire(assistant, docs_tab, refresh_outputs, refresh)
    go_docs.click(lambda: gr.Tabs(selected="docs"), None, [tabs], api_name=False, **ui)
    demo.load(on_load, None, [*refresh_outputs, settings_md, account, *([admin_tab] if admin_tab else [])],
              api_name=False, **ui)


def _api(assistant) -> None:
    limit = assistant.settings.max_question_chars

    def ask(question: str, mode: str = "auto", request: gr.Request = None) -> dict:
        """Answer one question (modes: auto, qa, talking_points, lookup); returns the Answer as a dict."""
        problem = question_problem(question, limit)
        if problem:
            raise gr.Error(problem)
        from vectorstore.store import StoreUnavailable
        try:
            return assistant.ask(question, mode=mode or "auto", scope=scope_of(assistant, request)).to_dict()
        except StoreUnavailable as exc:  # an engine restarting: say so in Vietnamese, no server detail
            raise gr.Error(str(exc)) from None

    def lookup_api(query: str = "", type_key: str = "", figure: str = "", request: gr.Request = None) -> list:
        """Search the directive and results index; returns the matching facts."""
        hits = assistant.lookup(query or None, type_key=type_key or None, figure=figure or None,
                                scope=scope_of(assistant, request))
        return [h.to_dict() for h in hits]

    def documents_api(request: gr.Request = None) -> list:
        """The documents the user may read (id, file, title, collection)."""
        return [{"doc_id": d.doc_id, "source": d.source, "title": d.title, "collection": d.collection}
                for d in assistant.documents(scope=scope_of(assistant, request))]

    gr.api(ask, api_name="ask")
    gr.api(lookup_api, api_name="lookup")
    gr.api(documents_api, api_name="documents")
    _history_api(assistant)


def _history_api(assistant) -> None:
    """The user's own chat history (nobody else's: the owner is the logged-in user, never a parameter)."""

    def conversations(request: gr.Request = None) -> list:
        """The user's conversations, latest first."""
        return [c.__dict__ for c in assistant.access.conversations(user_of(request))]

    def conversation(conversation_id: str, request: gr.Request = None) -> list:
        """The turns of one of the user's conversations."""
        turns = assistant.access.open_conversation(user_of(request), conversation_id)
        if turns is None:
            raise gr.Error("Không tìm thấy cuộc hỏi đáp này trong lịch sử của bạn.")
        return [{"question": t.question, "answer": t.answer, "answer_data": t.payload} for t in turns]

    def delete_conversation(conversation_id: str, request: gr.Request = None) -> bool:
        """Delete one of the user's conversations; False when there is none of that id."""
        return assistant.access.delete_conversation(user_of(request), conversation_id)

    if access_of(assistant) is not None:
        gr.api(conversations, api_name="conversations")
        gr.api(conversation, api_name="conversation")
        gr.api(delete_conversation, api_name="delete_conversation")
