"""The «Tài liệu» tab: upload and ingest with live progress, the documents table, removal with confirmation."""
from __future__ import annotations

import html
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from ingest.uploads import ALLOWED_EXTS, UploadRefused, discard_upload, store_upload, upload_problem
from assistant.accounts.access import AccessDenied
from vectorstore.scope import DEFAULT_COLLECTION
from ui.user import access_of, scope_of, user_of
from ui.render import (document_choices, document_rows, ingest_result_html, progress_html, stats_markdown,
                       without_english)

log = logging.getLogger("danvan.ui")

DOC_HEADERS = ["Tiêu đề", "Nguồn / cơ quan", "Ngày", "Nơi", "Bộ tài liệu", "Số đoạn", "Tệp"]
POLL_S = 0.3  # how often the progress panel is redrawn while an ingest runs
NO_FILES = "Chưa chọn tệp nào. Hãy chọn tệp " + ", ".join(ALLOWED_EXTS) + "."


@dataclass
class DocumentsTab:
    summary: Any
    table: Any
    remove_choice: Any
    stats: Any
    widgets: dict[str, Any]


def build(assistant) -> DocumentsTab:
    """Lay out the documents tab inside the current Blocks (events are wired by ``wire``)."""
    # An upload button, not gr.File: its drop area speaks English whatever the page's language. The upload and
    # removal controls are hidden until the page's load has asked the access rules (a reader never sees them).
    with gr.Row(visible=False, elem_id="upload-row") as upload_row:
        uploads = gr.UploadButton("Chọn tệp (" + " ".join(ALLOWED_EXTS) + ")", file_count="multiple",
                                  file_types=list(ALLOWED_EXTS), elem_id="uploads", variant="secondary")
        collection = gr.Dropdown([], label="Bộ tài liệu", elem_id="upload-collection", scale=0, min_width=200,
                                 info="Ai đọc được tài liệu nạp vào: theo quyền trên bộ này.")
        ingest_btn = gr.Button("Nạp vào kho", variant="primary", elem_id="ingest")
    chosen = gr.State([])
    chosen_md = gr.Markdown("Chưa chọn tệp nào.", elem_id="upload-list", visible=False)
    summary = gr.HTML(elem_id="ingest-summary")
    stats_md = gr.Markdown(elem_id="stats")
    table = gr.Dataframe(headers=DOC_HEADERS, interactive=False, wrap=True, label="Tài liệu trong kho",
                         elem_id="docs-table", show_search="none",
                         column_widths=["30%", "12%", "11%", "12%", "9%", "8%", "18%"])
    with gr.Row(visible=False, elem_id="remove-row") as remove_row:
        remove_choice = gr.Dropdown([], label="Tài liệu cần xoá", elem_id="remove-choice")
        remove_btn = gr.Button("Xoá tài liệu…", variant="stop", elem_id="remove")
    with gr.Group(visible=False, elem_id="remove-confirm-box") as confirm_box:
        confirm_text = gr.Markdown(elem_id="remove-confirm-text")
        with gr.Row():
            confirm_btn = gr.Button("Xoá hẳn", variant="stop", elem_id="remove-confirm")
            cancel_btn = gr.Button("Huỷ", elem_id="remove-cancel")
    remove_msg = gr.Markdown(elem_id="remove-msg")
    return DocumentsTab(summary, table, remove_choice, stats_md, dict(uploads=uploads, chosen=chosen, chosen_md=chosen_md, ingest=ingest_btn, remove=remove_btn, confirm_box=confirm_box, collection=collection,
                       confirm_text=confirm_text, confirm=confirm_btn, cancel=cancel_btn, remove_msg=remove_msg,
                       upload_row=upload_row, remove_row=remove_row))


def control_widgets(tab: DocumentsTab) -> list:
    """What ``control_values`` updates: the upload row, the chosen files' list, the removal row."""
    return [tab.widgets["upload_row"], tab.widgets["chosen_md"], tab.widgets["remove_row"]]


def _writable(assistant, request) -> list[str] | None:
    """The collections the request's user may write (None: no access rules, a stand-in without accounts)."""
    access = access_of(assistant)
    return access.writable(user_of(request)) if access is not None else None


def control_values(assistant, request=None) -> tuple:
    """Upload and removal controls shown only to a user who may write some collection (not to a reader)."""
    writable = _writable(assistant, request)
    shown = gr.update(visible=writable is None or bool(writable))
    return shown, shown, shown


def _save_uploads(files, uploads_dir: Path) -> tuple[list[Path], list[tuple[str, str]], list[str]]:
    """Store the uploaded files; (saved paths, refused (name, reason), names deleted again)."""
    saved, refused, removed = [], [], []
    for f in files:
        src = Path(f if isinstance(f, (str, Path)) else getattr(f, "name", f))
        try:
            path = store_upload(src, uploads_dir, src.name)
        except UploadRefused as exc:
            refused.append((src.name, str(exc)))
            continue
        except OSError:
            refused.append((src.name, "không lưu được tệp vào thư mục tải lên"))
            continue
        problem = upload_problem(path)
        if problem:
            refused.append((path.name, problem))
            if discard_upload(path, uploads_dir):
                removed.append(path.name)
        else:
            saved.append(path)
    return saved, refused, removed


def run_ingest(assistant, files, collection: str | None = None):
    """Generator: the progress panel while the files are ingested (into ``collection``) in a worker
    thread, then the result."""
    uploads_dir = Path(assistant.settings.uploads_dir)
    saved, refused, removed = _save_uploads(files or [], uploads_dir)
    state = {"done": 0, "total": len(saved), "name": "", "embedded": 0, "known": 0}
    result: dict[str, Any] = {}

    def on_file(done: int, total: int, name: str) -> None:
        state.update(done=done, total=total, name=Path(name).name)

    def on_passages(embedded: int, known: int) -> None:
        state.update(embedded=embedded, known=known)

    def work() -> None:
        try:
            kw = {"collection": collection} if collection else {}
            result["report"] = assistant.ingest(saved, progress=on_file, passages=on_passages, **kw)
        except Exception as exc:  # shown to the user below; the app keeps serving
            log.exception("ingest failed")
            result["error"] = exc

    worker = threading.Thread(target=work, name="danvan-ingest", daemon=True)
    if saved:
        worker.start()
        state["name"] = saved[0].name
    while worker.is_alive():
        yield progress_html(state["done"], state["total"], state["name"], state["embedded"], state["known"])
        worker.join(POLL_S)
    if "error" in result:
        yield f'<div class="dv-notfound">⚠️ Lỗi khi nạp: {html.escape(without_english(str(result["error"])))}</div>'
        return
    report = result.get("report")
    if report is None:
        from ingest.pipeline import IngestReport
        report = IngestReport()
    for path, _reason in report.skipped:
        if discard_upload(path, uploads_dir):
            removed.append(Path(path).name)
    yield ingest_result_html(report, refused, removed)


def wire(assistant, tab: DocumentsTab, refresh_outputs: list, refresh) -> None:
    """Wire the tab's events; ``refresh`` recomputes ``refresh_outputs`` (tables, pickers, stats, banner)."""
    w = tab.widgets
    ui = dict(api_visibility="undocumented")

    def on_ingest(files, collection, request: gr.Request = None):
        if not files:
            yield NO_FILES
            return
        access = access_of(assistant)
        if access is not None:
            try:
                collection = access.check_write(user_of(request), collection)
            except AccessDenied as exc:
                yield f'<div class="dv-notfound">⚠️ {html.escape(str(exc))}</div>'
                return
        yield from run_ingest(assistant, files, collection)

    def on_ask_remove(doc_id, request: gr.Request = None):
        if not doc_id:
            return gr.update(visible=False), "", "Hãy chọn một tài liệu để xoá."
        doc = next((d for d in _documents(assistant, request) if d.doc_id == doc_id), None)
        if doc is None:
            return gr.update(visible=False), "", "Không tìm thấy tài liệu này trong kho."
        what = html.escape(f"{doc.title[:80]} — {doc.source}" if doc.title else doc.source, quote=False)
        return (gr.update(visible=True), f"**Xoá «{what}» khỏi kho?** Tệp đã tải lên cũng sẽ bị xoá; "
                "việc này không hoàn tác được.", "")

    def on_confirm(doc_id, request: gr.Request = None):
        return gr.update(visible=False), remove_document(assistant, doc_id, request)

    def on_choose(files, before):
        files = list(before or []) + [f if isinstance(f, str) else getattr(f, "name", f) for f in files or []]
        names = "\n".join(f"- {html.escape(Path(f).name, quote=False)}" for f in files)
        return files, f"**Tệp đã chọn ({len(files)}):**\n\n{names}" if files else "Chưa chọn tệp nào."

    w["uploads"].upload(on_choose, [w["uploads"], w["chosen"]], [w["chosen"], w["chosen_md"]], api_name=False,
                        **ui)
    w["ingest"].click(on_ingest, [w["chosen"], w["collection"]], [tab.summary], api_name="ingest", concurrency_limit=1,
                      concurrency_id="writer", show_progress="hidden", **ui
                      ).then(lambda: ([], "Chưa chọn tệp nào."), None, [w["chosen"], w["chosen_md"]], api_name=False,
                             **ui).then(refresh, None, refresh_outputs, api_name=False, **ui)
    w["remove"].click(on_ask_remove, [tab.remove_choice], [w["confirm_box"], w["confirm_text"], w["remove_msg"]],
                      api_name=False, **ui)
    w["cancel"].click(lambda: (gr.update(visible=False), "Đã huỷ, không xoá gì."), None,
                      [w["confirm_box"], w["remove_msg"]], api_name=False, **ui)
    w["confirm"].click(on_confirm, [tab.remove_choice], [w["confirm_box"], w["remove_msg"]], api_name="remove",
                       concurrency_limit=1, concurrency_id="writer", **ui
                       ).then(refresh, None, refresh_outputs, api_name=False, **ui)


def _documents(assistant, request) -> list:
    """The documents the request's user may read."""
    scope = scope_of(assistant, request)
    return assistant.documents(scope=scope) if scope is not None else assistant.documents()


def remove_document(assistant, doc_id: str | None, request=None) -> str:
    """Remove one document from the store and its uploaded file from the uploads folder; a message saying so.
    The user must be allowed to write the document's collection."""
    if not doc_id:
        return "Hãy chọn một tài liệu để xoá."
    doc = next((d for d in _documents(assistant, request) if d.doc_id == doc_id), None)
    access = access_of(assistant)
    if access is not None:
        if doc is None:
            return "Không tìm thấy tài liệu này trong kho."
        try:
            access.check_write(user_of(request), getattr(doc, "collection", None))
        except AccessDenied as exc:
            return f"⚠️ {html.escape(str(exc))}"
    try:
        removed = assistant.remove(doc_id)
    except Exception:
        log.exception("remove failed")
        return "⚠️ Không xoá được tài liệu; chi tiết trong nhật ký máy chủ."
    if not removed:
        return "Không tìm thấy tài liệu này trong kho."
    names = ", ".join(html.escape(r, quote=False) for r in removed)
    msg = f"Đã xoá «{names}» khỏi kho."
    if doc is not None and discard_upload(doc.path, assistant.settings.uploads_dir):
        msg += " Tệp đã tải lên cũng đã được xoá khỏi thư mục tải lên."
    return msg


def refresh_values(assistant, request=None) -> tuple:
    """(table rows, remove picker, filter picker, stats, upload collections) from the store now, as the
    request's user may see them."""
    scope = scope_of(assistant, request)
    docs = _documents(assistant, request)
    choices = document_choices(docs)
    stats = assistant.stats(scope=scope) if scope is not None else assistant.stats()
    writable = _writable(assistant, request)
    removable = choices if writable is None else document_choices(
        d for d in docs if (getattr(d, "collection", None) or DEFAULT_COLLECTION) in writable)
    writable = writable or []
    return (document_rows(docs), gr.update(choices=removable, value=None), gr.update(choices=choices),
            stats_markdown(stats), gr.update(choices=writable, value=writable[0] if writable else None,
                                            interactive=bool(writable)))
