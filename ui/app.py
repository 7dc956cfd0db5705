"""The page: header, empty-store banner, the four tabs, and the public API (``/ask``, ``/lookup``).

Every handler converts between widgets and the service's data; no retrieval or answering logic lives here.
Public API (gradio_client): ``/ask`` (question, mode) → Answer as a dict; ``/lookup`` (query, type_key,
figure) → list of facts.
"""
from __future__ import annotations

import gradio as gr

from assistant.inputs import question_problem
from ui import chat, documents, lookup, settings as settings_tab
from ui.render import settings_markdown

TITLE = "Trợ lý Dân vận"
TAB_CHAT, TAB_DOCS, TAB_LOOKUP = "Hỏi đáp", "Tài liệu", "Tra cứu"
EMPTY_BANNER = ('<div class="dv-banner" id="empty-banner-text"><b>Kho tài liệu đang trống.</b> Hãy nạp tài liệu '
                "trước khi hỏi: mở thẻ «Tài liệu», chọn tệp và bấm «Nạp vào kho».</div>")


def build_app(assistant) -> gr.Blocks:
    """The whole UI around one Assistant (nothing is loaded until a handler runs)."""
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.Markdown(f"## {TITLE}\nHỏi đáp có trích dẫn nguồn trên tài liệu công tác dân vận đã nạp.",
                    elem_id="header")
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
        _wire_page(assistant, demo, tabs, banner, go_docs, chat_tab, docs_tab, settings_md)
        _api(assistant)
    return demo


def _wire_page(assistant, demo, tabs, banner, go_docs, chat_tab, docs_tab, settings_md) -> None:
    ui = dict(api_visibility="undocumented")
    refresh_outputs = [docs_tab.table, docs_tab.remove_choice, chat_tab.doc_filter, docs_tab.stats, banner]

    def refresh():
        return (*documents.refresh_values(assistant), gr.update(visible=not assistant.stats().get("chunks")))

    def on_load():
        return (*refresh(), settings_markdown(settings_tab.describe(assistant.settings), None))

    documents.wire(assistant, docs_tab, refresh_outputs, refresh)
    go_docs.click(lambda: gr.Tabs(selected="docs"), None, [tabs], api_name=False, **ui)
    demo.load(on_load, None, [*refresh_outputs, settings_md], api_name=False, **ui)


def _api(assistant) -> None:
    limit = assistant.settings.max_question_chars

    def ask(question: str, mode: str = "auto") -> dict:
        """Answer one question (modes: auto, qa, talking_points, lookup); returns the Answer as a dict."""
        problem = question_problem(question, limit)
        if problem:
            raise gr.Error(problem)
        return assistant.ask(question, mode=mode or "auto").to_dict()

    def lookup_api(query: str = "", type_key: str = "", figure: str = "") -> list:
        """Search the directive and results index; returns the matching facts."""
        hits = assistant.lookup(query or None, type_key=type_key or None, figure=figure or None)
        return [h.to_dict() for h in hits]

    gr.api(ask, api_name="ask")
    gr.api(lookup_api, api_name="lookup")
