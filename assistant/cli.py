"""`danvan` command line: ingest, ask, lookup, eval, list, stats, remove, user, backup, restore (``serve`` is
added by ui/cli.py, the console script's entry, so that assistant/ never imports the UI).

Prints and exits here only; the work is done by assistant.service (the same functions the app uses).
"""
from __future__ import annotations

import gc
import json
import os
import sys
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer

# Nothing is sent out or downloaded: set when a program starts (main), never on import. Pydantic plugins (telemetry
# such as logfire) are not loaded: looking for them reads every installed package's entry points (≈20 ms per command).
# One OpenBLAS thread: numpy's OpenBLAS starts a thread per core when imported (≈55 ms of a 2-core machine's time
# per command), and nothing here multiplies dense matrices (the embedding model has its own threads, the static
# vectors a sparse product).
PROCESS_DEFAULTS = {"ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1",
                    "TRANSFORMERS_OFFLINE": "1", "PYDANTIC_DISABLE_PLUGINS": "1", "OPENBLAS_NUM_THREADS": "1"}


_ONE_COMMAND = False  # set by main(): this process runs one command and exits


def set_process_defaults() -> None:
    """Offline, no-telemetry defaults for this process (an explicit environment variable wins)."""
    for key, value in PROCESS_DEFAULTS.items():
        os.environ.setdefault(key, value)

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Trợ lý Dân vận — hỏi đáp có trích dẫn trên tài liệu công tác dân vận.")

DB = typer.Option(None, "--db", help="Thư mục dữ liệu (mặc định DANVAN_DATA_DIR hoặc ./data)")


@contextmanager
def _loading():
    """The core's modules load in here: some 10^5 objects that all live on, so the cycle collector waits meanwhile
    (it would run ≈90 times and find nothing) and then leaves everything alive out of its later rounds (≈50 ms of a
    `danvan ask`). Only in a process main() started for one command: a frozen object is never collected, which a
    process calling the app again and again (a test's CliRunner) must not pay for."""
    if not (_ONE_COMMAND and gc.isenabled()):
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _assistant(db: Optional[Path]):
    with _loading():
        from assistant.service import Assistant
        from config import Settings
    return Assistant(Settings().with_db(db))


def _fail(msg: str, code: int = 2) -> None:
    typer.echo(f"Lỗi: {msg}", err=True)
    raise typer.Exit(code)


def _safe(text: str, one_line: bool = False) -> str:
    """Drop terminal control characters from document-provided text before printing it
    (``one_line``: newlines too, e.g. in a file name of the ingest summary)."""
    keep = "\t" if one_line else "\n\t"
    return "".join(ch if ch.isprintable() or ch in keep else "�" for ch in text)


@app.command()
def ingest(paths: list[Path] = typer.Argument(None, help="Tệp hoặc thư mục"), db: Optional[Path] = DB,
           json_out: bool = typer.Option(False, "--json", help="In báo cáo dạng JSON"),
           two_phase: Optional[bool] = typer.Option(
               None, "--two-phase/--no-two-phase",
               help="Mặc định: nạp nhanh bằng vectơ tĩnh (tìm được ngay), rồi tính vectơ e5 trước khi thoát; "
                    "--no-two-phase: tính vectơ e5 ngay khi nạp (cách cũ)"),
           no_wait: bool = typer.Option(False, "--no-wait", help="Không chờ tính vectơ e5: ứng dụng đang chạy "
                                        "hoặc `danvan ingest --refine` sẽ tính sau"),
           refine: bool = typer.Option(False, "--refine", help="Nạp nhanh (tìm được ngay), rồi tính vectơ e5 "
                                       "cho các đoạn còn chờ; không kèm tệp: chỉ tính phần còn chờ"),
           collection: Optional[str] = typer.Option(None, "--collection",
                                                    help="Bộ tài liệu (quyền đọc theo bộ); mặc định «chung»")):
    """Nạp tệp/thư mục (.txt .md .html .docx .pdf) vào kho."""
    paths = paths or []
    if not paths and not refine:
        _fail("hãy chỉ ra tệp hoặc thư mục cần nạp")
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from vectorstore.chroma import ChromaUnavailable, EmbeddingMismatch
    from vectorstore.static import StaticModelMissing
    from vectorstore.store import StoreBusy
    missing = [str(p) for p in paths if not p.exists()]
    for m in missing:
        typer.echo(f"Không tìm thấy: {m}", err=True)
    if refine:
        _refine(paths, db, json_out, collection)
        raise typer.Exit(1 if missing else 0)
    from assistant.service import Assistant
    from config import Settings
    settings = Settings().with_db(db)
    if two_phase is not None:
        settings = settings.model_copy(update={"two_phase": two_phase})
    bar_off = json_out or not sys.stderr.isatty()
    refined = None
    try:
        assistant = Assistant(settings)
        with Progress(TextColumn("[bold]Nạp tài liệu"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      TextColumn("{task.description}"), transient=True, disable=bar_off, console=None) as bar:
            task = bar.add_task("", total=None)

            def progress(done: int, total: int, path: str) -> None:
                bar.update(task, total=total, completed=done, description=_safe(Path(path).name)[:40])

            report = assistant.ingest([p for p in paths if p.exists()], progress=progress, collection=collection,
                                      refine=False)
        for m in missing:
            report.skipped.append((m, "không tồn tại"))
        if not json_out:
            for line in report.summary_lines():
                typer.echo(_safe(line, one_line=True))
        if settings.two_phase and not no_wait:
            refined = _refine_foreground(assistant, json_out)
    except (StoreBusy, EmbeddingMismatch, ChromaUnavailable, StaticModelMissing) as exc:
        _fail(str(exc))
        return
    waiting = assistant.store.catalogue.count_unrefined()
    if json_out:
        out = report.to_dict()
        out["waiting_e5"] = waiting
        if refined is not None:
            out["refine"] = asdict(refined)
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        if refined is not None:
            typer.echo(refined.summary_lines()[0])
        typer.echo(_waiting_line(waiting, refined is not None))
    raise typer.Exit(0 if report.ok else 1)


def _waiting_line(waiting: int, refined: bool) -> str:
    if not waiting:
        return "Đã xong: mọi đoạn đã có vectơ e5." if refined else "Mọi đoạn đã có vectơ e5."
    return (f"Tìm được ngay; còn {waiting} đoạn chờ vectơ e5 (ứng dụng đang chạy sẽ tính tiếp, "
            "hoặc chạy `danvan ingest --refine`).")


def _refine_foreground(assistant, json_out: bool):
    """The second phase before `danvan ingest` exits, with a progress bar; Ctrl-C stops it (the store
    stays whole and searchable: what waits is said, the app or `danvan ingest --refine` finishes it)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    waiting = assistant.store.catalogue.count_unrefined()
    if not waiting:
        return None
    if not json_out:
        typer.echo(f"Đã tìm được ngay. Đang tính vectơ e5 cho {waiting} đoạn (Ctrl-C: để sau)…")
    try:
        with Progress(TextColumn("[bold]Vectơ e5"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      transient=True, disable=json_out or not sys.stderr.isatty()) as bar:
            task = bar.add_task("", total=waiting)
            return assistant.refine(progress=lambda done, total: bar.update(task, total=total, completed=done))
    except KeyboardInterrupt:
        typer.echo(_waiting_line(assistant.store.catalogue.count_unrefined(), False), err=True)
        raise typer.Exit(130)


def _refine(paths: list[Path], db: Optional[Path], json_out: bool, collection: Optional[str] = None) -> None:
    """`ingest --refine`: the given files go in with static vectors first, then every waiting passage
    gets its e5 vector (a kill loses nothing; running it again finishes the work)."""
    from config import Settings
    from vectorstore.chroma import ChromaUnavailable, EmbeddingMismatch
    from vectorstore.static import StaticModelMissing
    from vectorstore.store import StoreBusy
    from assistant.service import Assistant
    out: dict = {}
    try:
        assistant = Assistant(Settings().with_db(db).model_copy(update={"two_phase": True}))
        if paths:
            report = assistant.ingest([p for p in paths if p.exists()], collection=collection)
            out["ingest"] = report.to_dict()
            if not json_out:
                for line in report.summary_lines():
                    typer.echo(_safe(line, one_line=True))
        refined = assistant.refine()
    except (StoreBusy, EmbeddingMismatch, ChromaUnavailable, StaticModelMissing) as exc:
        _fail(str(exc))
        return
    out["refine"] = asdict(refined)
    typer.echo(json.dumps(out, ensure_ascii=False, indent=2) if json_out else "\n".join(refined.summary_lines()))


@app.command()
def ask(question: str, db: Optional[Path] = DB,
        mode: str = typer.Option("auto", "--mode", help="auto | qa | lookup | talking_points"),
        k: Optional[int] = typer.Option(None, "--k", help="Số đoạn đưa vào câu trả lời"),
        json_out: bool = typer.Option(False, "--json", help="In một đối tượng JSON"),
        occasion: str = typer.Option("", "--occasion", help="Dịp phát biểu (vd. \"hội nghị sơ kết\")"),
        audience: str = typer.Option("", "--audience", help="Người nghe (vd. \"cử tri phường\")"),
        length: str = typer.Option("vừa", "--length", help="Độ dài dàn ý: ngắn | vừa | dài"),
        place: str = typer.Option("", "--place", help="Chỉ lấy ý từ tài liệu nói về địa bàn này"),
        period: str = typer.Option("", "--period", help="Chỉ lấy ý thuộc năm/giai đoạn (vd. 2021 hoặc 2020-2025)"),
        docx: Optional[Path] = typer.Option(None, "--docx", help="Ghi dàn ý ra tệp Word (.docx)"),
        markdown: bool = typer.Option(False, "--markdown", help="In dàn ý dạng Markdown")):
    """Hỏi một câu; trả lời kèm nguồn trích dẫn."""
    if mode not in ("auto", "qa", "lookup", "talking_points"):
        _fail(f"--mode không hợp lệ: {mode}")
    with _loading():
        from assistant.speech.outline import LENGTHS, SpeechOptions
    if length not in LENGTHS:
        _fail(f"--length không hợp lệ: {length} (chọn một trong: {', '.join(LENGTHS)})")
    speech = SpeechOptions(occasion=occasion, audience=audience, length=length, place=place, period=period)
    assistant = _assistant(db)
    answer = None
    for kind, value in assistant.ask_stream(question, mode=mode, k=k, speech=speech):
        if kind == "delta" and not json_out:
            typer.echo(value, nl=False)
        elif kind == "answer":
            answer = value
    assert answer is not None
    if docx is not None:
        from assistant.speech.docx_export import talking_points_docx
        talking_points_docx(answer, docx, speech)
    if markdown and answer.sections:
        from assistant.answer.render import outline_markdown
        typer.echo(_safe(outline_markdown(answer)))
        return
    if json_out:
        d = answer.to_dict()
        d["citations"] = [{key: c[key] for key in ("n", "doc_id", "source", "title", "outlet", "date", "quote",
                                                   "score", "label", "chunk_id", "page", "ocr")} for c in d["citations"]]
        typer.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return
    typer.echo(_safe(answer.answer) if not assistant.settings.llm or not answer.found else "")
    if answer.notice:
        typer.echo(f"\n[!] {_safe(answer.notice)}")
    if answer.citations:
        typer.echo("\nNguồn:")
        for c in answer.citations:
            where = (f"trang {c.page}" if c.page else "", "trích từ bản quét" if c.ocr else "")
            meta = ", ".join(x for x in (c.label, c.outlet, c.date, c.source, *where) if x)
            typer.echo(_safe(f"[{c.n}] {c.title} ({meta})\n    “{c.quote}”"))


@app.command()
def lookup(query: Optional[str] = typer.Argument(None, help="Số hiệu, cụm từ (vd. \"20-CT\")"),
           db: Optional[Path] = DB,
           type_key: Optional[str] = typer.Option(None, "--type", help="chi-thi, nghi-quyet, quyet-dinh, ..."),
           figure: Optional[str] = typer.Option(None, "--figure", help="Số liệu về ... (vd. \"mô hình\")"),
           json_out: bool = typer.Option(False, "--json")):
    """Tra cứu số hiệu văn bản, số liệu, kết quả đã trích từ tài liệu."""
    if not (query or type_key or figure is not None):
        _fail("cần một truy vấn, --type hoặc --figure")
    hits = _assistant(db).lookup(query, type_key=type_key, figure=figure)
    if json_out:
        typer.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo("Không tìm thấy mục nào trong chỉ mục.")
        raise typer.Exit(1)
    for h in hits:
        fields = "; ".join(f"{k}={v}" for k, v in h.fields.items() if v not in (None, "", []))
        typer.echo(_safe(f"- [{h.kind}] {h.text}  ({fields})\n    {h.source}: {h.title}"))


@app.command("eval")
def eval_cmd(file: Path, db: Optional[Path] = DB, json_out: bool = typer.Option(False, "--json"),
             split: Optional[str] = typer.Option(None, "--split", help="chỉ chạy câu của phần này (train / heldout)"),
             styles: bool = typer.Option(False, "--styles", help="in thêm kết quả theo kiểu câu hỏi")):
    """Chạy bộ câu hỏi đánh giá (.jsonl) và in kết quả."""
    from assistant.evaluate import by_style, run_eval
    results, totals = run_eval(_assistant(db), file, split)
    if json_out:
        typer.echo(json.dumps({"results": [asdict(r) for r in results], "totals": totals}, ensure_ascii=False,
                              indent=2))
    else:
        for r in results:
            mark = "PASS" if r.passed else "FAIL"
            typer.echo(f"{mark} {r.id} [{r.kind}] src@{r.source_rank} pass@{r.passage_rank} "
                       f"{r.latency_ms:.0f} ms {'; '.join(r.reasons)}")
        if styles:
            for style, row in sorted(by_style(results).items()):
                typer.echo(f"  kiểu «{style}»: {row['passed']}/{row['n']} đạt, {row['wrong_confident']} sai mà tự tin")
        typer.echo(" ".join(f"{k}={v}" for k, v in totals.items()))
    raise typer.Exit(0 if totals["passed"] == totals["questions"] else 1)


@app.command("list")
def list_cmd(db: Optional[Path] = DB, json_out: bool = typer.Option(False, "--json")):
    """Liệt kê tài liệu trong kho."""
    docs = _assistant(db).documents()
    if json_out:
        typer.echo(json.dumps([d.to_dict() for d in docs], ensure_ascii=False, indent=2))
        return
    for d in docs:
        typer.echo(_safe(f"{d.doc_id}  {d.source}  | {d.title} | {d.outlet or '-'} | {d.date or '-'} | "
                         f"{d.n_chunks} đoạn"))


@app.command()
def stats(db: Optional[Path] = DB):
    """Thống kê kho."""
    typer.echo(json.dumps(_assistant(db).stats(), ensure_ascii=False, indent=2))


@app.command()
def remove(ref: str = typer.Argument(..., help="doc_id, tên tệp hoặc đường dẫn"), db: Optional[Path] = DB):
    """Xoá một tài liệu khỏi kho."""
    removed = _assistant(db).remove(ref)
    if not removed:
        _fail(f"không có tài liệu {ref!r}", 1)
    typer.echo("Đã xoá: " + ", ".join(removed))


from assistant.cli_users import users as _users  # noqa: E402 (after app: `danvan user …`)

app.add_typer(_users, name="user")

from assistant.cli_backup import backup as _backup, restore as _restore  # noqa: E402

app.command("backup")(_backup)
app.command("restore")(_restore)


def run_once() -> None:
    """Run one command in this process, which then exits (the console script, with ui/cli.py's ``serve``)."""
    global _ONE_COMMAND
    set_process_defaults()
    _ONE_COMMAND = True
    app()


def main() -> None:
    run_once()


if __name__ == "__main__":
    main()
