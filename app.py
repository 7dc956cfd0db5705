"""Trợ lý Dân vận — the web app (Gradio): chat with citations, documents, lookup, settings.

The app is a face on ``assistant.service.Assistant``: every handler below only converts between
widgets and the service's data (and renders it safely); no retrieval or answering logic lives here.

Run: ``python app.py`` or ``danvan serve`` (settings from ``DANVAN_*`` env / ``.env``).
Public API (gradio_client): ``/ask`` (question, mode) → Answer as a dict; ``/lookup`` (query, type_key,
figure) → list of facts.
"""
from __future__ import annotations

import hashlib
import html
import logging
import os
import re
import tempfile
import unicodedata
import uuid
from pathlib import Path
from typing import Any, Iterable, Iterator

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from assistant.docx_export import talking_points_docx  # noqa: E402
from assistant.lookup import TYPE_KEYS  # noqa: E402
from assistant.retriever import Filters, parse_date  # noqa: E402
from assistant.types import Answer  # noqa: E402
from vectorstore.settings import Settings  # noqa: E402

log = logging.getLogger("danvan.app")

ALLOWED_EXTS = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
MODES = [("Tự động", "auto"), ("Hỏi đáp", "qa"), ("Dàn ý phát biểu", "talking_points"),
         ("Tra cứu văn bản", "lookup")]
EXAMPLES = [
    "Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?",
    "Soạn các ý chính cho bài phát biểu về nhân rộng và lan tỏa các mô hình Dân vận khéo.",
    "Chỉ thị 20-CT/ThU nói về nội dung gì?",
    "Luật Thực hiện dân chủ ở cơ sở quy định những nội dung nào nhân dân được bàn và quyết định?",
]
KIND_LABELS = {"document_ref": "Văn bản", "figure": "Số liệu", "period": "Nhiệm kỳ / giai đoạn",
               "role": "Chức danh"}
FACT_HEADERS = ["#", "Loại", "Trích đoạn", "Số hiệu / giá trị", "Đối tượng / nội dung", "Tệp"]
DOC_HEADERS = ["Tiêu đề", "Nguồn / cơ quan", "Ngày", "Số đoạn", "Tệp"]
QUEUE_MAX = 256
THINKING = "⏳ Đang tìm trong tài liệu…"

CSS = """
.dv-sources { font-size: 0.95em; }
.dv-src { border-left: 3px solid #2b6cb0; padding: 4px 10px; margin: 8px 0; }
.dv-src-head { font-weight: 600; }
.dv-n { color: #2b6cb0; margin-right: 4px; }
.dv-src-meta { color: #666; font-size: 0.9em; }
.dv-quote { margin: 6px 0; padding: 4px 8px; background: rgba(127,127,127,0.08); white-space: pre-wrap; }
.dv-passage { white-space: pre-wrap; font-size: 0.9em; }
.dv-sources mark, .dv-passage mark { background: #fde68a; color: inherit; padding: 0 1px; }
.dv-notfound { border-left: 3px solid #d97706; padding: 6px 10px; color: #92400e; }
.dv-empty { color: #888; }
"""

COPY_JS = """(text) => {
  const done = () => {};
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done); }
  else { const t = document.createElement('textarea'); t.value = text; document.body.appendChild(t);
         t.select(); document.execCommand('copy'); document.body.removeChild(t); }
  return [];
}"""


# --------------------------------------------------------------------------- #
# Pure helpers (tested without a browser)
# --------------------------------------------------------------------------- #

class UploadRefused(ValueError):
    """A file the app will not store; the message is shown to the user (Vietnamese)."""


_UNSAFE_CHARS = re.compile(r'[<>:"|?*\\/]')


def safe_upload_name(name: str) -> str:
    """A file name safe to create in the uploads folder: basename only, no control characters or path
    separators, Vietnamese letters kept (NFC), allowed extension only; raises UploadRefused otherwise."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]  # basename, whatever the client's separator
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _UNSAFE_CHARS.sub("", name)
    name = " ".join(name.split())
    stem, dot, ext = name.rpartition(".")
    if not dot:
        raise UploadRefused(f"tệp không có phần mở rộng được hỗ trợ (no allowed extension): {name or '?'}")
    ext = "." + ext.lower()
    if ext not in ALLOWED_EXTS:
        raise UploadRefused(f"loại tệp không được hỗ trợ {ext}; chỉ nhận {' '.join(ALLOWED_EXTS)} "
                            "(file type not allowed)")
    stem = stem.strip(" .") or "tai-lieu"  # no leading dots: no hidden files, no ".."
    return stem[:150] + ext


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def store_upload(src: str | Path, uploads_dir: str | Path, name: str | None = None) -> Path:
    """Copy an uploaded file into ``uploads_dir`` under its sanitised name and return the new path.

    The same name with the same content reuses the file (so re-uploading is "unchanged" on ingest);
    with different content the copy gets a ``-1``, ``-2`` … suffix instead of overwriting.
    """
    src = Path(src)
    root = Path(uploads_dir)
    root.mkdir(parents=True, exist_ok=True)
    root = root.resolve()
    safe = safe_upload_name(name if name is not None else src.name)
    stem, ext = safe[: -len(Path(safe).suffix)], Path(safe).suffix
    digest = _sha256(src)
    for i in range(10_000):
        target = (root / (safe if i == 0 else f"{stem}-{i}{ext}")).resolve()
        if target.parent != root:  # never outside the uploads folder
            raise UploadRefused(f"tên tệp không hợp lệ (invalid file name): {safe}")
        if target.exists():
            if target.is_file() and _sha256(target) == digest:
                return target
            continue
        with open(src, "rb") as fin, open(target, "xb") as fout:
            for block in iter(lambda: fin.read(1 << 20), b""):
                fout.write(block)
        return target
    raise UploadRefused(f"quá nhiều tệp trùng tên (too many name collisions): {safe}")


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """``user:pw[,user2:pw2]`` or a path to a file of ``user:pw`` lines → Gradio's auth list (None if unset)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    path = Path(value).expanduser()
    if path.is_file():
        items = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        items = [ln for ln in items if ln and not ln.startswith("#")]
    elif ":" in value:
        items = [p.strip() for p in value.split(",") if p.strip()]
    else:
        raise ValueError(f"DANVAN_AUTH: không phải 'user:mật_khẩu' cũng không phải tệp: {value}")
    pairs = []
    for item in items:
        user, sep, pw = item.partition(":")
        if not sep or not user.strip() or not pw:
            raise ValueError("DANVAN_AUTH: mỗi mục phải có dạng 'user:mật_khẩu' (each entry must be user:password)")
        pairs.append((user.strip(), pw))
    if not pairs:
        raise ValueError("DANVAN_AUTH: không có tài khoản nào (no accounts)")
    return pairs


def parse_filters(date_from: str | None, date_to: str | None, outlet: str | None,
                  documents: Iterable[str] | None) -> Filters:
    """The filter widgets → Filters; a bad date raises ValueError with a message for the user."""
    dates = []
    for label, raw in (("Từ ngày", date_from), ("Đến ngày", date_to)):
        try:
            dates.append(parse_date((raw or "").strip() or None))
        except (ValueError, TypeError):
            raise ValueError(f"{label} không hợp lệ: «{raw}». Hãy nhập theo dạng dd/mm/yyyy, "
                             "ví dụ 09/07/2021. (Invalid date.)") from None
    if dates[0] and dates[1] and dates[0] > dates[1]:
        raise ValueError("«Từ ngày» phải trước «Đến ngày». (Date range is reversed.)")
    return Filters(date_from=dates[0], date_to=dates[1], outlet=(outlet or "").strip() or None,
                   documents=[d for d in (documents or []) if d])


def highlight_html(text: str, words: Iterable[str]) -> str:
    """HTML-escaped ``text`` with whole-word, case-insensitive matches of ``words`` in <mark>."""
    text = text or ""
    words = sorted({w for w in words if w and w.strip()}, key=len, reverse=True)
    if not words:
        return html.escape(text)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def sources_html(answer: Answer | None) -> str:
    """The sources panel: one block per citation (n, title, outlet, date, label, file, highlighted quote)."""
    if answer is None:
        return '<div class="dv-sources dv-empty">Nguồn trích dẫn sẽ hiện ở đây.</div>'
    if not answer.citations:
        cls = "dv-notfound" if not answer.found else "dv-empty"
        return f'<div class="dv-sources {cls}">Không có nguồn trích dẫn cho câu trả lời này.</div>'
    parts = ['<div class="dv-sources"><h4>Nguồn trích dẫn</h4>']
    for c in sorted(answer.citations, key=lambda c: c.n):
        where = [f"trang {c.page}" if c.page else "", "trích từ bản quét" if c.ocr else ""]
        meta = " · ".join(html.escape(x) for x in (c.outlet, c.date, c.label, *where) if x)
        quote = c.quote or c.passage
        parts.append(
            f'<div class="dv-src" id="dv-src-{c.n}">'
            f'<div class="dv-src-head"><span class="dv-n">[{c.n}]</span>{html.escape(c.title or c.source)}</div>'
            f'<div class="dv-src-meta">{meta + " · " if meta else ""}<code>{html.escape(c.source)}</code></div>'
            f'<blockquote class="dv-quote">{highlight_html(quote, c.highlights)}</blockquote>')
        if c.passage and c.passage.strip() != (quote or "").strip():
            parts.append(f'<details><summary>Xem cả đoạn</summary><div class="dv-passage">'
                         f'{highlight_html(c.passage, c.highlights)}</div></details>')
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def _md_text(text: str) -> str:
    """Document text made inert for the chat's Markdown (HTML escaped)."""
    return html.escape(text or "", quote=False)


def answer_markdown(answer: Answer) -> str:
    """The chat message for an answer: text with [n] markers; not-found answers look different."""
    body = _md_text(answer.answer)
    if not answer.found:
        quoted = "\n".join("> " + ln if ln.strip() else ">" for ln in body.splitlines())
        text = f"⚠️ **Không tìm thấy**\n\n{quoted}"
    else:
        text = body
    if answer.resolved_question:
        text = f"_Câu hỏi được hiểu là: {_md_text(answer.resolved_question)}_\n\n{text}"
    if answer.notice:
        text += f"\n\n_ℹ️ {_md_text(answer.notice)}_"
    return text


def bullets_text(answer: Answer) -> str:
    """Talking points as plain text for the clipboard (bullets, then the source list)."""
    from assistant.docx_export import answer_bullets, source_line
    lines = [f"- {b}" for b in answer_bullets(answer)]
    if answer.citations:
        lines += ["", "Nguồn:"] + [source_line(c) for c in sorted(answer.citations, key=lambda c: c.n)]
    return "\n".join(lines)


def document_rows(docs: Iterable[Any]) -> list[list[Any]]:
    """Catalogue records → rows of the documents table."""
    return [[d.title, d.outlet or "", d.date or "", d.n_chunks, d.source] for d in docs]


def document_choices(docs: Iterable[Any]) -> list[tuple[str, str]]:
    """(label, doc_id) pairs for the document pickers."""
    return [(f"{d.title[:70]} — {d.source}" if d.title else d.source, d.doc_id) for d in docs]


def fact_value(kind: str, f: dict[str, Any]) -> tuple[str, str]:
    """(number/value, what it counts/subject) for one extracted fact, by kind."""
    def j(*xs: Any) -> str:
        return " ".join(str(x) for x in xs if x not in (None, "", []))
    if kind == "document_ref":
        return j(f.get("number")), j(f.get("subject"), f"({f['issuer']})" if f.get("issuer") else "",
                                     f.get("date"))
    if kind == "figure":
        counts = f.get("counts") or ""
        what = counts if f.get("unit") and counts.startswith(f["unit"]) else j(f.get("unit"), counts)
        return j(f.get("qualifier"), f.get("value")), j(what, f.get("place"), f.get("year"))
    if kind == "period":
        return f"{f.get('start')}–{f.get('end')}", j(f.get("label"))
    if kind == "role":
        return j(f.get("person")), j(f.get("position"))
    return "", j(*f.values())


def fact_rows(hits: Iterable[Any]) -> list[list[Any]]:
    """Lookup hits → rows of the lookup table; column 0 is the 1-based hit number (survives sorting)."""
    rows = []
    for i, h in enumerate(hits, 1):
        value, subject = fact_value(h.kind, h.fields or {})
        rows.append([i, KIND_LABELS.get(h.kind, h.kind), h.text, value, subject, h.source])
    return rows


def settings_markdown(described: dict[str, str], stats: dict[str, Any] | None) -> str:
    """describe() + stats() as a read-only Markdown table."""
    lines = ["| Thiết lập | Giá trị |", "|---|---|"]
    for k, v in described.items():
        lines.append(f"| {_md_text(k)} | `{_md_text(str(v))}` |")
    if stats:
        lines += ["", stats_markdown(stats)]
    return "\n".join(lines)


def stats_markdown(stats: dict[str, Any]) -> str:
    return (f"**Trong kho:** {stats.get('documents', 0)} tài liệu · {stats.get('chunks', 0)} đoạn · "
            f"{stats.get('characters', 0):,} ký tự · {stats.get('facts', 0)} mục tra cứu · "
            f"{stats.get('near_duplicates', 0)} bản gần trùng").replace(",", ".")


def _history_pairs(history: list[list[str]] | None) -> list[tuple[str, str]]:
    return [(q, a) for q, a in (history or [])]


# --------------------------------------------------------------------------- #
# The app
# --------------------------------------------------------------------------- #

def build_app(assistant) -> gr.Blocks:
    """The whole UI around one Assistant (nothing is loaded until a handler runs)."""
    settings: Settings = assistant.settings
    export_root = Path(tempfile.gettempdir()) / "danvan-exports"

    def _docs():
        return assistant.documents()

    def refresh_documents():
        docs = _docs()
        choices = document_choices(docs)
        return (document_rows(docs), gr.update(choices=choices, value=None),
                gr.update(choices=choices), stats_markdown(assistant.stats()))

    # ---- chat ----
    def on_ask(question, mode, chat, history, date_from, date_to, outlet, docs) -> Iterator[tuple]:
        question = (question or "").strip()
        chat = list(chat or [])
        hidden_tp = (gr.update(visible=False), "", gr.update(value=None, visible=False))
        if not question:
            yield (chat, question, gr.skip(), history, gr.skip(), *hidden_tp)
            return
        chat.append({"role": "user", "content": _md_text(question)})
        try:
            filters = parse_filters(date_from, date_to, outlet, docs)
        except ValueError as exc:
            chat.append({"role": "assistant", "content": f"⚠️ **Bộ lọc không hợp lệ** — {_md_text(str(exc))}"})
            yield (chat, question, gr.skip(), history, gr.skip(), *hidden_tp)
            return
        chat.append({"role": "assistant", "content": THINKING})
        yield (chat, "", gr.skip(), history, gr.skip(), *hidden_tp)
        streamed, answer = "", None
        try:
            for kind, value in assistant.ask_stream(question, mode or "auto", None, _history_pairs(history),
                                                    filters if filters.active() else None):
                if kind == "delta":
                    streamed += value
                    chat[-1] = {"role": "assistant", "content": _md_text(streamed)}
                    yield (chat, "", gr.skip(), history, gr.skip(), *hidden_tp)
                elif kind == "answer":
                    answer = value
        except Exception as exc:  # shown to the user; the app keeps serving
            log.exception("ask failed")
            chat[-1] = {"role": "assistant", "content": f"⚠️ **Lỗi khi trả lời:** {_md_text(str(exc))}"}
            yield (chat, "", sources_html(None), history, None, *hidden_tp)
            return
        if answer is None:
            return
        chat[-1] = {"role": "assistant", "content": answer_markdown(answer)}
        history = list(history or []) + [[question, answer.answer]]
        tp = answer.mode == "talking_points" and answer.found
        yield (chat, "", sources_html(answer), history, answer, gr.update(visible=tp),
               bullets_text(answer) if tp else "", gr.update(value=None, visible=False))

    def on_clear():
        return [], "", sources_html(None), [], None, gr.update(visible=False), "", gr.update(value=None,
                                                                                              visible=False)

    def on_export(answer):
        if answer is None:
            gr.Warning("Chưa có dàn ý để xuất.")
            return gr.update(value=None, visible=False)
        path = talking_points_docx(answer, export_root / uuid.uuid4().hex / "dan-y-phat-bieu.docx")
        return gr.update(value=str(path), visible=True)

    # ---- documents ----
    def on_ingest(files, progress=gr.Progress()):
        files = files or []
        if not files:
            return ("Chưa chọn tệp nào. Hãy chọn tệp .txt, .md, .html, .docx, .pdf hoặc ảnh bản quét.", *refresh_documents())
        saved, lines = [], []
        for f in files:
            src = Path(f if isinstance(f, (str, Path)) else getattr(f, "name", f))
            try:
                saved.append(store_upload(src, settings.uploads_dir, src.name))
            except UploadRefused as exc:
                lines.append(f"- Từ chối {html.escape(src.name)}: {exc}")
            except OSError as exc:
                lines.append(f"- Không lưu được {html.escape(src.name)}: {exc}")

        def report_progress(done: int, total: int, name: str) -> None:
            try:
                progress((done, total), desc=f"Đang nạp {Path(name).name}", unit="tệp")
            except Exception:  # progress is cosmetic; never break an ingest over it
                pass

        if saved:
            progress(0, desc="Đang chuẩn bị mô hình nhúng…")
            try:
                report = assistant.ingest(saved, progress=report_progress)
                lines = [f"- {html.escape(ln.strip())}" if ln.startswith("  ") else html.escape(ln)
                         for ln in report.summary_lines()] + lines
            except Exception as exc:
                log.exception("ingest failed")
                lines.insert(0, f"⚠️ Lỗi khi nạp: {html.escape(str(exc))}")
        summary = "**Kết quả nạp tài liệu**\n\n" + "\n".join(
            ln if ln.startswith("- ") else f"{ln}  " for ln in lines)
        return (summary, *refresh_documents())

    def on_remove(doc_id):
        if not doc_id:
            return ("Hãy chọn một tài liệu để xoá.", *refresh_documents())
        try:
            removed = assistant.remove(doc_id)
        except Exception as exc:
            log.exception("remove failed")
            return (f"⚠️ Không xoá được: {html.escape(str(exc))}", *refresh_documents())
        msg = ("Đã xoá: " + ", ".join(html.escape(r) for r in removed)) if removed else "Không tìm thấy tài liệu."
        return (msg, *refresh_documents())

    # ---- lookup ----
    def on_lookup(query, type_key, figure):
        query, figure = (query or "").strip(), (figure or "").strip()
        if not (query or type_key or figure):
            return [], [], "Nhập từ khoá, chọn loại văn bản hoặc nhập số liệu cần tra."
        hits = assistant.lookup(query or None, type_key=type_key or None, figure=figure or None)
        state = [{"text": h.text, "title": h.title, "source": h.source, "passage": h.passage} for h in hits]
        note = f"{len(hits)} mục." if hits else "Không tìm thấy mục nào trong chỉ mục."
        return fact_rows(hits), state, note

    def on_select_fact(state, evt: gr.SelectData):
        row = evt.row_value or []
        try:
            hit = state[int(row[0]) - 1]
        except (IndexError, TypeError, ValueError):
            return ""
        return (f'<div class="dv-sources"><div class="dv-src"><div class="dv-src-head">'
                f'{html.escape(hit["title"] or hit["source"])}</div><div class="dv-src-meta"><code>'
                f'{html.escape(hit["source"])}</code></div><div class="dv-passage">'
                f'{highlight_html(hit["passage"], [hit["text"]])}</div></div></div>')

    def on_load():
        docs = _docs()
        return (gr.update(choices=document_choices(docs)), document_rows(docs),
                gr.update(choices=document_choices(docs), value=None), stats_markdown(assistant.stats()),
                settings_markdown(assistant.describe(), None))

    ui = dict(api_visibility="undocumented")
    with gr.Blocks(title="Trợ lý Dân vận", analytics_enabled=False) as demo:
        gr.Markdown("# Trợ lý Dân vận\nHỏi đáp có trích dẫn nguồn trên tài liệu công tác dân vận đã nạp.")
        history = gr.State([])
        last_answer = gr.State(None)
        facts_state = gr.State([])
        with gr.Tabs():
            with gr.Tab("Hỏi đáp", id="chat"):
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(label="Hội thoại", elem_id="chat", height=480,
                                             placeholder="Đặt câu hỏi về tài liệu đã nạp.", buttons=["copy"])
                        question = gr.Textbox(label="Câu hỏi", elem_id="question", lines=2,
                                              placeholder="Ví dụ: Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu "
                                                          "mô hình dân vận khéo?")
                        mode = gr.Radio(MODES, value="auto", label="Chế độ", elem_id="mode")
                        with gr.Row():
                            send = gr.Button("Gửi", variant="primary", elem_id="send")
                            clear = gr.Button("Cuộc hỏi đáp mới", elem_id="clear")
                        with gr.Group(visible=False, elem_id="talking-points") as tp_group:
                            tp_text = gr.Textbox(label="Dàn ý (để sao chép)", lines=6, interactive=False,
                                                 elem_id="tp-text")
                            with gr.Row():
                                copy_btn = gr.Button("Sao chép", elem_id="copy-tp")
                                export_btn = gr.Button("Xuất DOCX", elem_id="export-docx")
                            docx_file = gr.File(label="Tệp DOCX", visible=False, elem_id="docx-file",
                                                interactive=False)
                        with gr.Accordion("Bộ lọc", open=False, elem_id="filters"):
                            with gr.Row():
                                date_from = gr.Textbox(label="Từ ngày (dd/mm/yyyy)", elem_id="date-from")
                                date_to = gr.Textbox(label="Đến ngày (dd/mm/yyyy)", elem_id="date-to")
                                outlet = gr.Textbox(label="Cơ quan / địa phương / báo", elem_id="outlet")
                            doc_filter = gr.Dropdown([], multiselect=True, label="Chỉ tìm trong các tài liệu",
                                                     elem_id="doc-filter", allow_custom_value=True,
                                                     info="Chọn tài liệu hoặc gõ tên tệp.")
                        gr.Examples(EXAMPLES, inputs=[question], label="Câu hỏi mẫu")
                    with gr.Column(scale=2):
                        sources = gr.HTML(sources_html(None), elem_id="sources", label="Nguồn")
            with gr.Tab("Tài liệu", id="docs"):
                uploads = gr.File(label="Tải tệp lên (.txt .md .html .htm .docx .pdf, ảnh quét .png .jpg .tif)", file_count="multiple",
                                  file_types=list(ALLOWED_EXTS), elem_id="uploads")
                ingest_btn = gr.Button("Nạp vào kho", variant="primary", elem_id="ingest")
                ingest_summary = gr.Markdown(elem_id="ingest-summary")
                stats_md = gr.Markdown(elem_id="stats")
                docs_table = gr.Dataframe(headers=DOC_HEADERS, interactive=False, wrap=True,
                                          label="Tài liệu trong kho", elem_id="docs-table", show_search="filter",
                                          column_widths=["40%", "17%", "12%", "9%", "22%"])
                with gr.Row():
                    remove_choice = gr.Dropdown([], label="Tài liệu cần xoá", elem_id="remove-choice")
                    remove_btn = gr.Button("Xoá tài liệu", variant="stop", elem_id="remove")
                remove_msg = gr.Markdown()
            with gr.Tab("Tra cứu", id="lookup"):
                with gr.Row():
                    lk_query = gr.Textbox(label="Từ khoá / số hiệu (vd. 20-CT)", elem_id="lk-query")
                    lk_type = gr.Dropdown([("(mọi loại)", "")] + [(v, k) for k, v in TYPE_KEYS.items()],
                                          value="", label="Loại văn bản", elem_id="lk-type")
                    lk_figure = gr.Textbox(label="Số liệu về (vd. mô hình)", elem_id="lk-figure")
                lk_btn = gr.Button("Tra cứu", variant="primary", elem_id="lk-go")
                lk_note = gr.Markdown()
                lk_table = gr.Dataframe(headers=FACT_HEADERS, interactive=False, wrap=True, show_search="filter",
                                        label="Kết quả (bấm một dòng để xem đoạn nguồn)", elem_id="lk-table",
                                        column_widths=["5%", "11%", "34%", "14%", "22%", "14%"])
                lk_passage = gr.HTML(elem_id="lk-passage")
            with gr.Tab("Thiết lập", id="settings"):
                settings_md = gr.Markdown(elem_id="settings")

        ask_outputs = [chatbot, question, sources, history, last_answer, tp_group, tp_text, docx_file]
        ask_inputs = [question, mode, chatbot, history, date_from, date_to, outlet, doc_filter]
        send.click(on_ask, ask_inputs, ask_outputs, api_name="chat", **ui)
        question.submit(on_ask, ask_inputs, ask_outputs, api_name="chat_submit", **ui)
        clear.click(on_clear, None, ask_outputs, api_name="clear", **ui)
        copy_btn.click(None, [tp_text], None, js=COPY_JS, api_name=False)
        export_btn.click(on_export, [last_answer], [docx_file], api_name="export_docx", **ui)

        doc_outputs = [docs_table, remove_choice, doc_filter, stats_md]
        ingest_btn.click(on_ingest, [uploads], [ingest_summary, *doc_outputs], api_name="ingest",
                         concurrency_limit=1, concurrency_id="writer", **ui)
        remove_btn.click(on_remove, [remove_choice], [remove_msg, *doc_outputs], api_name="remove",
                         concurrency_limit=1, concurrency_id="writer", **ui)

        lk_inputs = [lk_query, lk_type, lk_figure]
        lk_btn.click(on_lookup, lk_inputs, [lk_table, facts_state, lk_note], api_name="lookup_table", **ui)
        lk_query.submit(on_lookup, lk_inputs, [lk_table, facts_state, lk_note], api_name=False, **ui)
        lk_table.select(on_select_fact, [facts_state], [lk_passage], api_name=False, **ui)

        demo.load(on_load, None, [doc_filter, docs_table, remove_choice, stats_md, settings_md],
                  api_name=False, **ui)

        def ask(question: str, mode: str = "auto") -> dict:
            """Answer one question (modes: auto, qa, talking_points, lookup); returns the Answer as a dict."""
            return assistant.ask(question, mode=mode or "auto").to_dict()

        def lookup(query: str = "", type_key: str = "", figure: str = "") -> list:
            """Search the directive and results index; returns the matching facts."""
            hits = assistant.lookup(query or None, type_key=type_key or None, figure=figure or None)
            return [h.to_dict() for h in hits]

        gr.api(ask, api_name="ask")
        gr.api(lookup, api_name="lookup")
    return demo


def warm_up(assistant) -> None:
    """Load the embedding model and open Chroma once, before concurrent requests race to (the store's
    lazy properties are not locked: parallel first requests loaded the model twice or hit Chroma's
    "Could not connect to tenant default_tenant")."""
    log.info("Đang tải mô hình nhúng %s…", assistant.settings.embed_model)
    assistant.store.embeddings.embed_query("khởi động")
    assistant.store.index  # noqa: B018 (opens the Chroma client)


def main(settings: Settings | None = None) -> None:
    """Serve the app on settings.host:settings.port (blocking)."""
    from assistant.service import Assistant
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = settings or Settings()
    auth = parse_auth(settings.auth)
    if settings.host not in ("127.0.0.1", "localhost", "::1") and not auth:
        log.warning("Ứng dụng mở trên %s mà KHÔNG có mật khẩu: ai trong mạng cũng đọc và sửa được kho tài liệu. "
                    "Đặt DANVAN_AUTH=user:mật_khẩu. (Listening on %s without authentication.)",
                    settings.host, settings.host)
    assistant = Assistant(settings)
    warm_up(assistant)
    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=settings.concurrency, max_size=QUEUE_MAX)
    demo.launch(server_name=settings.host, server_port=settings.port, auth=auth,
                auth_message="Trợ lý Dân vận — đăng nhập" if auth else None,
                max_file_size=int(settings.max_file_mb * 1024 * 1024), css=CSS, show_error=True,
                footer_links=["api", "settings"])


if __name__ == "__main__":
    main()
