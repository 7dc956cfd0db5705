"""The «Tra cứu» tab: the directive and results index as a table, one row per thing found."""
from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.retrieve.lookup import KIND_LABELS, TYPE_KEYS, FactRow, group_facts
from ui.render import fact_cards_html, passage_html
from ui.user import scope_of

FACT_HEADERS = ["#", "Loại", "Số hiệu / số liệu", "Nội dung / đếm gì", "Nơi", "Năm", "Số lần nhắc", "Trích đoạn",
                "Tệp"]
COLUMN_WIDTHS = ["4%", "9%", "12%", "22%", "10%", "6%", "7%", "20%", "10%"]
ASK_SOMETHING = "Nhập từ khoá, chọn loại văn bản hoặc nhập số liệu cần tra."


def fact_rows(rows: list[FactRow]) -> list[list[Any]]:
    """Grouped facts → table rows; column 0 is the 1-based row number (survives sorting)."""
    return [[i, KIND_LABELS.get(r.kind, r.kind), r.value, r.subject, r.place, r.year, r.mentions, r.text,
             ", ".join(r.sources)] for i, r in enumerate(rows, 1)]


def build(assistant) -> None:
    """Lay out the lookup tab inside the current Blocks and wire its events."""
    state = gr.State([])
    with gr.Row():
        query = gr.Textbox(label="Từ khoá / số hiệu (ví dụ 20-CT)", elem_id="lk-query")
        type_key = gr.Dropdown([("Mọi loại", "")] + [(v, k) for k, v in TYPE_KEYS.items()], value="",
                               label="Loại văn bản", elem_id="lk-type")
        figure = gr.Textbox(label="Số liệu về (ví dụ mô hình)", elem_id="lk-figure")
    go = gr.Button("Tra cứu", variant="primary", elem_id="lk-go")
    note = gr.Markdown(elem_id="lk-note")
    table = gr.Dataframe(headers=FACT_HEADERS, interactive=False, wrap=True, show_search="none",
                         label="Kết quả (bấm một dòng để xem đoạn nguồn)", elem_id="lk-table",
                         column_widths=COLUMN_WIDTHS)
    cards = gr.HTML(elem_id="lk-cards")  # the same rows as cards, shown instead of the table on a narrow screen
    passage = gr.HTML(elem_id="lk-passage")

    def on_lookup(q, t, f, request: gr.Request = None):
        q, f = (q or "").strip(), (f or "").strip()
        if not (q or t or f):
            return [], [], ASK_SOMETHING, "", ""
        scope = scope_of(assistant, request)
        kw = {"scope": scope} if scope is not None else {}
        rows = group_facts(assistant.lookup(q or None, type_key=t or None, figure=f or None, **kw))
        first = [{"title": r.hits[0].title, "source": r.hits[0].source, "passage": r.hits[0].passage,
                  "text": r.text} for r in rows]
        mentions = sum(r.mentions for r in rows)
        msg = f"{len(rows)} mục ({mentions} lần nhắc)." if rows else "Không tìm thấy mục nào trong chỉ mục."
        return fact_rows(rows), first, msg, fact_cards_html(rows), ""  # the passage a previous search opened goes

    def on_select(rows_state, evt: gr.SelectData):
        row = evt.row_value or []
        try:
            hit = rows_state[int(row[0]) - 1]
        except (IndexError, TypeError, ValueError):
            return ""
        return passage_html(hit["title"], hit["source"], hit["passage"], hit["text"])

    ui = dict(api_visibility="undocumented")
    inputs = [query, type_key, figure]
    outputs = [table, state, note, cards, passage]
    go.click(on_lookup, inputs, outputs, api_name="lookup_table", **ui)
    for box in (query, figure):  # Enter searches
        box.submit(on_lookup, inputs, outputs, api_name=False, **ui)
    table.select(on_select, [state], [passage], api_name=False, **ui)
