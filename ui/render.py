"""Answer, sources, documents and settings as safe HTML/Markdown for the widgets (pure functions).

Everything document-provided is escaped here; nothing here decides what an answer says.
"""
from __future__ import annotations

import html
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable

from assistant.answer.highlight import highlight_terms, mark_spans, mark_spans_unaccented
from assistant.answer.render import NEAREST_LEAD, shown_date
from assistant.types import Answer, Citation

log = logging.getLogger("danvan.ui")

EMPTY_SOURCES = "Nguồn trích dẫn sẽ hiện ở đây."
NO_SOURCES = "Không có nguồn trích dẫn cho câu trả lời này."
NOT_FOUND_HEAD = "Không tìm thấy"
NOT_FOUND_IN_FILTER = "Không tìm thấy trong phạm vi lọc"
NEAREST_HEAD = "Gần nhất"


def md_text(text: str | None) -> str:
    """Document text made inert for the chat's Markdown (HTML escaped)."""
    return html.escape(text or "", quote=False)


def highlight_html(text: str, question: str | None, unaccented: bool = False) -> str:
    """HTML-escaped ``text`` with the question's content words, numbers and references in <mark>
    (``unaccented``: the question was typed without accents, its words are matched whatever their accents)."""
    text = unicodedata.normalize("NFC", text or "")
    spans = (mark_spans_unaccented if unaccented else mark_spans)(text, highlight_terms(question or ""))
    out, pos = [], 0
    for start, end in spans:
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _asked(answer: Answer) -> str:
    return answer.restored_question or answer.resolved_question or answer.question or ""




def _citation_meta(c: Citation, doc: Any | None) -> list[str]:
    """Outlet, date, legal reference, place of a cited document (``doc``: its catalogue record, if known)."""
    if c.label:  # a legal article: which text, and from when it holds
        eff = getattr(doc, "effective_date", None)
        return [c.outlet or "", c.date or "", c.label, f"hiệu lực {eff}" if eff else ""]
    when = shown_date(c.date, getattr(doc, "year", None), getattr(doc, "effective_date", None),
                      getattr(doc, "kind", None))
    return [c.outlet or "", when, getattr(doc, "place", None) or ""]


def _citation_html(c: Citation, question: str, css: str = "dv-src", unaccented: bool = False,
                   doc: Any | None = None) -> str:
    where = [f"trang {c.page}" if c.page else "", "trích từ bản quét" if c.ocr else ""]
    meta = " · ".join(html.escape(x) for x in (*_citation_meta(c, doc), *where) if x)
    quote = c.quote or c.passage
    parts = [f'<div class="{css}" id="dv-src-{c.n}">'
             f'<div class="dv-src-head"><span class="dv-n">[{c.n}]</span>{html.escape(c.title or c.source)}</div>'
             f'<div class="dv-src-meta">{meta + " · " if meta else ""}<code>{html.escape(c.source)}</code></div>'
             f'<blockquote class="dv-quote">{highlight_html(quote, question, unaccented)}</blockquote>']
    if c.passage and c.passage.strip() != (quote or "").strip():
        parts.append(f'<details><summary>Xem cả đoạn</summary><div class="dv-passage">'
                     f'{highlight_html(c.passage, question, unaccented)}</div></details>')
    parts.append("</div>")
    return "".join(parts)


def _for_question(question: str) -> str:
    """The line that ties the sources panel to its answer: the latest question, as asked."""
    short = question if len(question) <= 120 else question[:119].rstrip() + "…"
    return f'<p class="dv-for" id="sources-for">Câu trả lời mới nhất — câu hỏi: «{html.escape(short)}»</p>'


def sources_pending_html(question: str) -> str:
    """The sources panel while a question is being answered: the previous answer's sources are gone."""
    return (f'<div class="dv-sources dv-empty">{_for_question(question)}'
            f"<p>⏳ Đang tìm nguồn cho câu hỏi này…</p></div>")


def sources_html(answer: Answer | None, docs: dict[str, Any] | None = None) -> str:
    """The sources panel: which question it belongs to, then one block per citation (n, title, outlet, date,
    label, place, file, highlighted quote). ``docs``: the cited documents' catalogue records by doc_id (their
    year, place, effective date); without them the citation's own fields are shown.

    A not-found answer shows passages only when the assistant marked them as the nearest holding
    (``answer.nearest``), under their own heading and style; otherwise none."""
    if answer is None:
        return f'<div class="dv-sources dv-empty">{EMPTY_SOURCES}</div>'
    label = _for_question(answer.question or _asked(answer))
    nearest = not answer.found and bool(answer.nearest)
    if not answer.citations or (not answer.found and not nearest):
        cls = "dv-notfound" if not answer.found else "dv-empty"
        return f'<div class="dv-sources {cls}">{label}{NO_SOURCES}</div>'
    head = ("<h4>Đoạn gần nhất — không phải câu trả lời</h4>" if nearest else "<h4>Nguồn trích dẫn</h4>")
    css = "dv-nearest" if nearest else "dv-src"
    unaccented = bool(answer.restored_question)
    blocks = [_citation_html(c, _asked(answer), css, unaccented, (docs or {}).get(c.doc_id))
              for c in sorted(answer.citations, key=lambda c: c.n)]
    return '<div class="dv-sources">' + label + head + "".join(blocks) + "</div>"


def _quoted(text: str) -> str:
    return "\n".join("> " + ln if ln.strip() else ">" for ln in text.splitlines())


def not_found_markdown(answer: Answer, filter_note: str | None = None) -> str:
    """A not-found answer: the verdict, then the nearest holding (if any) with why it is shown."""
    head = NOT_FOUND_IN_FILTER if filter_note else NOT_FOUND_HEAD
    text = f"⚠️ **{head}**"
    if filter_note:
        text += f" ({md_text(filter_note)})"
    body = without_english(answer.answer)
    if answer.nearest:  # said once, under its own heading below, not also inside the verdict
        body = body.replace(f"{NEAREST_LEAD} {answer.nearest}", "").strip()
    body = md_text(body)
    if body.strip():
        text += "\n\n" + _quoted(body)
    if answer.nearest:
        text += f"\n\n**{NEAREST_HEAD}:** {md_text(answer.nearest)}"
        unmet = ", ".join(md_text(c.value) for c in answer.unmet)
        why = "Hiển thị vì cùng chủ đề với câu hỏi"
        text += f"\n\n_{why}{'; nhưng tài liệu không nói về: ' + unmet if unmet else ''}._"
    return text


def answer_markdown(answer: Answer, filter_note: str | None = None) -> str:
    """The chat message for an answer: text with [n] markers; not-found answers look different; the question
    as rewritten from the conversation is always shown; an active filter is stated."""
    text = md_text(answer.answer) if answer.found else not_found_markdown(answer, filter_note)
    if answer.found and filter_note:
        text = f"_Đang lọc: {md_text(filter_note)}_\n\n{text}"
    if answer.resolved_question:
        text = f"_↪ Câu hỏi được hiểu là: «{md_text(answer.resolved_question)}»_\n\n{text}"
    if answer.notice:
        text += f"\n\n_ℹ️ {md_text(without_english(answer.notice))}_"
    return text


def bullets_text(answer: Answer) -> str:
    """Talking points as plain text for the clipboard, to paste into Word: the outline with its section headings
    ("I. Mở đầu", "II. …") and "- " points, then the numbered sources under their own heading."""
    from assistant.speech.docx_export import answer_bullets
    from assistant.answer.render import SOURCES_TITLE, outline_text, source_line
    if any(sec.title for sec in answer.sections):
        lines = [outline_text(answer)]
    else:
        lines = [f"- {b}" for b in answer_bullets(answer)]
    if answer.citations:
        lines += ["", f"{SOURCES_TITLE}:"] + [source_line(c) for c in sorted(answer.citations, key=lambda c: c.n)]
    return "\n".join(lines)


def settings_markdown(described: dict[str, str], stats: dict[str, Any] | None) -> str:
    """describe() + stats() as a read-only Markdown table."""
    lines = ["| Mục | Giá trị |", "|---|---|"]
    for k, v in described.items():
        lines.append(f"| {md_text(k)} | `{md_text(str(v))}` |")
    if stats:
        lines += ["", stats_markdown(stats)]
    return "\n".join(lines)


def stats_markdown(stats: dict[str, Any]) -> str:
    return (f"**Trong kho:** {stats.get('documents', 0)} tài liệu · {stats.get('chunks', 0)} đoạn · "
            f"{stats.get('characters', 0):,} ký tự · {stats.get('facts', 0)} mục tra cứu · "
            f"{stats.get('near_duplicates', 0)} bản gần trùng").replace(",", ".")


def document_rows(docs: Iterable[Any]) -> list[list[Any]]:
    """Catalogue records → rows of the documents table: title, outlet, date (shown_date), place, collection,
    passages, file."""
    return [[d.title, d.outlet or "", shown_date(d.date, getattr(d, "year", None), getattr(d, "effective_date", None),
                                                 getattr(d, "kind", None)),
             getattr(d, "place", None) or "", getattr(d, "collection", "") or "", d.n_chunks, d.source] for d in docs]


def account_html(user: str | None) -> str:
    """The logged-in user's name and the «Đăng xuất» link (the server's /logout ends the session)."""
    if not user:
        return ""
    return (f'<div class="dv-account">Đang đăng nhập: <b>{html.escape(user)}</b> · '
            f'<a href="logout" id="logout">Đăng xuất</a></div>')


def document_choices(docs: Iterable[Any]) -> list[tuple[str, str]]:
    """(label, doc_id) pairs for the document pickers."""
    return [(f"{d.title[:70]} — {d.source}" if d.title else d.source, d.doc_id) for d in docs]


def fact_cards_html(rows: list[Any]) -> str:
    """Lookup rows as cards (a narrow screen): what it is, where and when, the excerpt, and the source passage
    to open."""
    from assistant.retrieve.lookup import KIND_LABELS
    cards = []
    for i, r in enumerate(rows, 1):
        where = " · ".join(html.escape(x) for x in (r.place, r.year) if x)
        hit = r.hits[0] if r.hits else None
        more = (f'<details><summary>Xem đoạn nguồn</summary>{passage_html(hit.title, hit.source, hit.passage, r.text)}'
                f"</details>") if hit else ""
        cards.append(f'<div class="dv-card"><div class="dv-card-head">{i}. {html.escape(KIND_LABELS.get(r.kind, r.kind))}'
                     f': <b>{html.escape(r.value)}</b></div><div>{html.escape(r.subject)}</div>'
                     f'<div class="dv-src-meta">{where + " · " if where else ""}{r.mentions} lần nhắc · '
                     f'<code>{html.escape(", ".join(r.sources))}</code></div>'
                     f'<div class="dv-quote">{html.escape(r.text)}</div>{more}</div>')
    return "".join(cards)


def passage_html(title: str, source: str, passage: str, question: str) -> str:
    """One source passage (lookup tab), with the looked-up words marked."""
    return (f'<div class="dv-sources"><div class="dv-src"><div class="dv-src-head">{html.escape(title or source)}'
            f'</div><div class="dv-src-meta"><code>{html.escape(source)}</code></div><div class="dv-passage">'
            f'{highlight_html(passage, question)}</div></div></div>')


# A parenthesis of plain ASCII words with a space in it: the English glosses older messages carry.
_ENGLISH_GLOSS = re.compile(r"\s*\([A-Za-z][\x20-\x7E]*? [\x20-\x7E]*?\)")


def without_english(message: str) -> str:
    """A message of the app (never document text) without English glosses in brackets."""
    return _ENGLISH_GLOSS.sub("", message or "").strip()


def _bar(css: str, done: int, total: int) -> str:
    pct = 100 * done / total if total else 0
    return (f'<div class="dv-bar {css}" role="progressbar" aria-valuemin="0" aria-valuemax="{total}" '
            f'aria-valuenow="{done}"><div style="width: {pct:.0f}%"></div></div>')


def progress_html(files_done: int, files_total: int, current: str, embedded: int, known: int) -> str:
    """One panel: a bar over files with the current file's name, and a bar over passages embedded."""
    name = html.escape(current) if current else "…"
    known = max(known, embedded)
    return ('<div class="dv-progress" id="dv-progress">'
            f'<div>Tệp {files_done}/{files_total} — đang xử lý: <b class="dv-current">{name}</b></div>'
            + _bar("dv-files", files_done, files_total)
            + f'<div>Đoạn đã nhúng {embedded}/{known or "?"}</div>' + _bar("dv-passages", embedded, known)
            + "</div>")


def ingest_result_html(report: Any, refused: list[tuple[str, str]], removed: list[str]) -> str:
    """The ingest report for the user: counts, each file not taken and why (names only, never server
    paths), which of them were deleted from the uploads folder, then the totals on their own line."""
    def li(items: Iterable[str]) -> str:
        return "<ul>" + "".join(f"<li>{x}</li>" for x in items) + "</ul>"
    counts = [f"Thêm mới: {len(report.added)}", f"Cập nhật: {len(report.updated)}",
              f"Không đổi: {len(report.unchanged)}", f"Bỏ qua: {len(report.skipped) + len(refused)}"]
    parts = ['<div class="dv-ingest"><p><b>Kết quả nạp tài liệu</b></p>', li(counts)]
    skipped = [(Path(p).name, r) for p, r in report.skipped] + refused
    if skipped:
        parts.append("<p>Tệp không được nạp:</p>" + li(
            f"{html.escape(n)}: {html.escape(without_english(r))}" for n, r in skipped))
    if removed:
        parts.append("<p>Đã xoá khỏi thư mục tải lên: " + ", ".join(html.escape(n) for n in removed) + ".</p>")
    if report.near_duplicates:
        parts.append(f"<p>Gần trùng với tài liệu đã có (vẫn giữ): {len(report.near_duplicates)}</p>")
    parts.append(f'<p class="dv-totals">Đoạn đã nhúng: {report.chunks_written}; thời gian {report.seconds:.1f} '
                 f"giây, trong đó mô hình nhúng {report.embed_seconds:.1f} giây.</p></div>")
    return "".join(parts)


def cited_documents(assistant, answer: Answer | None) -> dict[str, Any]:
    """The catalogue records of the documents an answer cites, by doc_id (for their year, place and effective
    date in the sources panel); empty when the store cannot say (the panel shows the citations' own fields)."""
    ids = [c.doc_id for c in (answer.citations if answer else []) if c.doc_id]
    if not ids:
        return {}
    try:
        return assistant.store.catalogue.documents_by_ids(ids)
    except Exception:  # noqa: BLE001 (logged; the sources are still shown)
        log.exception("cited documents unreadable")
        return {}
