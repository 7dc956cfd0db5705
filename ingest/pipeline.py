"""Ingest files into the store: load → decode → clean → metadata → chunk → facts → embed/store.

Files are parsed in a worker thread ahead of the embedding (the bottleneck), so parsing hides
behind it. Re-running an ingest is always safe: unchanged files are recognised by their content
hash and cost nothing; a changed file's old passages are replaced.
"""
from __future__ import annotations

import hashlib
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ingest.chunk import chunk_document
from ingest.clean import boilerplate_from_counts, clean_text, document_line_keys
from ingest.doc_header import header_facts
from ingest.extract import extract_facts
from ingest.loaders import iter_files, load_file
from ingest.metadata import extract_metadata
from ingest.ocr import OcrOptions, PageCallback
from ingest.pages import page_index_at, page_starts
from ingest.types import Chunk, DocMeta, SkipFile
from vectorstore.catalogue import DEFAULT_COLLECTION, ChunkRow, DocRecord
from vectorstore.store import DocWrite, Store
from vntext.lines import strip_cross_references
from vntext.normalize import normalize_artefacts
from vntext.shingles import band_keys, best_match, minhash_signature

Progress = Callable[[int, int, str], None]
PassageProgress = Callable[[int, int], None]  # (passages embedded so far, passages parsed so far)
EMPTY_FILE = "tệp rỗng (empty file)"  # as the loaders say it: the UI drops the English gloss


@dataclass
class Prepared:
    """One file turned into clean, chunked, described text (no model involved yet)."""
    path: Path
    doc_id: str
    content_hash: str
    text: str
    meta: DocMeta
    chunks: list[Chunk]
    facts: list[dict]
    line_keys: set[str]
    encoding: str
    ocr_pages: int = 0
    ocr_seconds: float = 0.0
    collection: str = DEFAULT_COLLECTION  # who may read it (vectorstore/scope.py)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, of source)
    chunks_written: int = 0
    characters: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    boilerplate_lines: int = 0
    ocr_pages: int = 0  # pages read by OCR (scanned PDFs, images)
    ocr_seconds: float = 0.0  # wall time of those OCR runs, summed over files

    @property
    def ok(self) -> bool:
        return not self.skipped

    def summary_lines(self) -> list[str]:
        lines = [
            f"Thêm mới (added): {len(self.added)}",
            f"Cập nhật (updated): {len(self.updated)}",
            f"Không đổi (unchanged): {len(self.unchanged)}",
            f"Bỏ qua (skipped): {len(self.skipped)}",
        ]
        for path, reason in self.skipped:
            lines.append(f"  - {path}: {reason}")
        if self.near_duplicates:
            lines.append(f"Gần trùng (near-duplicates, kept): {len(self.near_duplicates)}")
        lines.append(f"Đoạn đã nhúng (passages written): {self.chunks_written}; "
                     f"thời gian {self.seconds:.1f} s, trong đó mô hình nhúng {self.embed_seconds:.1f} s")
        lines.append(f"Dòng lặp trong kho (collection boilerplate lines): {self.boilerplate_lines}")
        if self.ocr_pages:
            rate = self.ocr_pages / self.ocr_seconds if self.ocr_seconds else 0.0
            lines.append(f"Trang đọc bằng nhận dạng chữ (OCR): {self.ocr_pages} trang trong "
                         f"{self.ocr_seconds:.1f} giây ({rate:.2f} trang/giây)")
        return lines

    def to_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
                "near_duplicates": [{"path": p, "of": o} for p, o in self.near_duplicates],
                "chunks_written": self.chunks_written, "characters": self.characters,
                "seconds": round(self.seconds, 3), "embed_seconds": round(self.embed_seconds, 3),
                "boilerplate_lines": self.boilerplate_lines, "ocr_pages": self.ocr_pages,
                "ocr_seconds": round(self.ocr_seconds, 3)}


def doc_id_for(path: Path) -> str:
    return hashlib.sha1(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _mark_pages(chunks: list[Chunk], text: str, pages: list) -> None:
    """Give each passage the page holding most of its text (the overlap repeated from the previous
    passage may lie on the page before), and the OCR mark when any page it covers was scanned."""
    if not pages:
        return
    starts = page_starts(text, [p.text for p in pages])
    bounds = starts[1:] + [len(text)]
    for c in chunks:
        first = page_index_at(starts, c.start)
        last = page_index_at(starts, max(c.start, c.end - 1))
        share = {i: min(c.end, bounds[i]) - max(c.start, starts[i]) for i in range(first, last + 1)}
        c.page = pages[max(share, key=lambda i: (share[i], -i))].number
        c.ocr = any(p.ocr for p in pages[first:last + 1])


def prepare_file(path: Path, settings, data: bytes | None = None,
                 on_page: PageCallback | None = None) -> Prepared:
    """Parse one file into a Prepared document; raises SkipFile with a reason."""
    max_bytes = int(settings.max_file_mb * 1024 * 1024)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:  # removed or locked since the first pass
            raise SkipFile(f"không đọc được tệp (cannot read file): {exc.strerror}") from exc
    loaded = load_file(path, max_bytes, data, OcrOptions.from_settings(settings), on_page)
    text = clean_text(loaded.text)
    if sum(ch.isalnum() for ch in text) < 20:
        raise SkipFile("không có nội dung văn bản sau khi làm sạch (no text content after cleaning)")
    meta = extract_metadata(loaded.text, text, path.name, loaded.title_hint)
    doc_id = doc_id_for(path)
    chunks = chunk_document(doc_id, text, meta.heading, kind=meta.kind, chunk_size=settings.chunk_size,
                            chunk_min=settings.chunk_min, overlap=settings.chunk_overlap)
    if not chunks:
        raise SkipFile("không tách được đoạn văn nào (no passages)")
    _mark_pages(chunks, text, loaded.pages)
    facts: list[dict] = []
    seen: set[tuple[str, str, int]] = set()
    for c in chunks:
        for f in extract_facts(c.text) + header_facts(c.text):
            key = (f.kind, f.text, c.start + f.start)
            if key in seen:
                continue
            seen.add(key)
            facts.append({"chunk_id": c.chunk_id, "kind": f.kind, "text": f.text, "fields": f.fields,
                          "start": f.start})
    return Prepared(path=path, doc_id=doc_id, content_hash=file_hash(data), text=text, meta=meta,
                    chunks=chunks, facts=facts, line_keys=document_line_keys(text), encoding=loaded.encoding,
                    ocr_pages=loaded.ocr_pages, ocr_seconds=loaded.ocr_seconds)


def embed_text_for(chunk: Chunk) -> str:
    """What the model sees: heading (title / legal article) + passage, artefacts joined."""
    # Collection boilerplate is NOT dropped here: the set changes as the collection grows, and the text a
    # vector was computed from must stay the same for the embedding cache (moved files, rebuilt index).
    body = normalize_artefacts(strip_cross_references(chunk.text))
    heading = chunk.heading
    return f"{heading}\n{body}" if heading and heading not in body[:len(heading) + 5] else body


def _display(path: Path) -> str:
    """A path as reported (undecodable name bytes replaced); the CLI/UI escape it for display."""
    return str(path).encode("utf-8", "replace").decode("utf-8")


def ingest_paths(store: Store, paths: Iterable[Path | str], progress: Progress | None = None,
                 workers: int = 1, passages: PassageProgress | None = None,
                 static: bool = False, collection: str | None = None) -> IngestReport:
    """Ingest files and folders; a bad file is reported and skipped, the rest go in.
    ``passages(embedded, known)`` reports passages embedded so far out of those parsed so far.
    ``static``: passages get static vectors only, so they are searchable at once; ingest/refine.py gives
    them their e5 vectors later (Assistant.ingest passes ``settings.two_phase``). ``collection``: the
    collection the documents join (None: a re-ingested document keeps its own, a new one joins
    DEFAULT_COLLECTION); a file already stored unchanged in another collection moves to this one."""
    t0 = time.perf_counter()
    report = IngestReport()
    candidates: list[Path] = []
    for path, reason in iter_files([Path(p) for p in paths]):
        if reason:
            report.skipped.append((_display(path), reason))
        else:
            candidates.append(path)
    total = len(candidates)

    with store.writer():
        embed_before = store.embeddings.model_seconds
        to_parse, done = _first_pass(store, candidates, report, progress, total, collection)
        _parse_and_write(store, to_parse, report, progress, (done, total), workers, passages, static, collection)
        report.boilerplate_lines = refresh_collection_boilerplate(store)
        report.embed_seconds = store.embeddings.model_seconds - embed_before
    report.seconds = time.perf_counter() - t0
    return report


def _first_pass(store: Store, candidates: list[Path], report: IngestReport, progress: Progress | None,
                total: int, collection: str | None = None) -> tuple[list[tuple[Path, str, DocRecord | None]], int]:
    """Hash every file: too large, unreadable, unchanged and duplicate files are settled here.

    Returns the files to parse and how many are done. Only (path, hash, existing) is kept per file:
    each file's bytes are read again by the parse thread, so memory stays bounded by the 16 files
    in flight, not by the size of the corpus.
    """
    settings, cat = store.settings, store.catalogue
    seen_hashes: dict[str, str] = {}
    to_parse: list[tuple[Path, str, DocRecord | None]] = []
    done = 0
    for path in candidates:
        try:
            if path.stat().st_size > settings.max_file_mb * 1024 * 1024:
                raise SkipFile(f"tệp quá lớn (file larger than {settings.max_file_mb:g} MB)")
            data = path.read_bytes()
            if not data:
                raise SkipFile(EMPTY_FILE)
        except SkipFile as exc:
            report.skipped.append((_display(path), exc.reason))
            done += 1
            continue
        except OSError as exc:
            report.skipped.append((_display(path), f"không đọc được tệp (cannot read file): {exc.strerror}"))
            done += 1
            continue
        h = file_hash(data)
        doc_id = doc_id_for(path)
        existing = cat.get_document(doc_id)
        if existing and existing.content_hash == h and collection in (None, existing.collection):
            report.unchanged.append(_display(path))
            done += 1
            if progress:
                progress(done, total, _display(path))
            continue
        twin = cat.find_by_hash(h)
        if (twin and twin.doc_id != doc_id and Path(twin.path).exists()) or h in seen_hashes:
            other = twin.source if twin and twin.doc_id != doc_id else seen_hashes[h]
            report.skipped.append((_display(path), f"trùng nội dung với {other} (duplicate of {other})"))
            done += 1
            continue
        seen_hashes[h] = path.name
        to_parse.append((path, h, existing))
        del data
    return to_parse, done


def _parse_and_write(store: Store, to_parse: list[tuple[Path, str, DocRecord | None]], report: IngestReport,
                     progress: Progress | None, counts: tuple[int, int], workers: int,
                     passages: PassageProgress | None = None, static: bool = False,
                     collection: str | None = None) -> None:
    """Parse files in a pool (16 in flight) and write them; ``counts`` is (done so far, total)."""
    settings = store.settings
    done, total = counts
    pool = (_InlineExecutor() if workers == 0
            else ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="danvan-parse"))
    queue: deque[tuple[Path, DocRecord | None, Future]] = deque()
    items = iter(to_parse)

    def page_progress(path: Path) -> PageCallback | None:
        """Per-page progress for OCR'd files: the file count stays, the label names the page."""
        if not progress:
            return None
        # no "/" after the path: callers show Path(label).name
        return lambda k, n: progress(done, total, f"{_display(path)} (nhận dạng chữ: trang {k} trong {n})")

    def refill() -> None:
        while len(queue) < 16:
            nxt = next(items, None)
            if nxt is None:
                return
            p, _h, existing = nxt
            queue.append((p, existing, pool.submit(prepare_file, p, settings, None, page_progress(p))))

    # Passages of several small documents are embedded in one call (the model is fastest in
    # batches; a legal article has 1–3 passages), then each document is written on its own.
    pending: list[tuple[Prepared, DocRecord | None]] = []
    n_passages = [0, 0]  # embedded, known

    def flush() -> None:
        nonlocal done
        if not pending:
            return
        if static:
            _write_static(store, pending, report)
        else:
            store.embeddings.embed_documents([embed_text_for(c) for p, _ in pending for c in p.chunks])
        n_passages[0] += sum(len(p.chunks) for p, _ in pending)
        if passages:
            passages(*n_passages)
        for prep, existing in pending:
            if not static:
                _write(store, prep, report, existing)
            done += 1
            if progress:
                progress(done, total, _display(prep.path))
        pending.clear()

    try:
        refill()
        while queue:
            path, existing, fut = queue.popleft()
            refill()
            try:
                prep = fut.result()
            except SkipFile as exc:
                report.skipped.append((_display(path), exc.reason))
            except Exception as exc:  # a parser bug must not lose the rest of the batch
                report.skipped.append((_display(path), f"lỗi khi đọc tệp (failed to parse): {type(exc).__name__}: {exc}"))
            else:
                prep.collection = collection or (existing.collection if existing else DEFAULT_COLLECTION)
                pending.append((prep, existing))
                n_passages[1] += len(prep.chunks)
                if passages:
                    passages(*n_passages)
                if sum(len(p.chunks) for p, _ in pending) >= settings.embed_batch:
                    flush()
                continue
            done += 1
            if progress:
                progress(done, total, _display(path))
        flush()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _InlineExecutor:
    """``workers=0``: files are parsed in the calling thread, between embedding calls — the one-thread
    baseline that bench/ingest.py --serial compares the pipeline against."""

    def submit(self, fn, *args) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args))
        except Exception as exc:  # handed back through result(), as a pool would
            fut.set_exception(exc)
        return fut

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def _doc_record(prep: Prepared, twin: str | None) -> DocRecord:
    meta = prep.meta
    return DocRecord(doc_id=prep.doc_id, source=prep.path.name, path=_display(prep.path.resolve()),
                     content_hash=prep.content_hash, title=meta.title, outlet=meta.outlet, date=meta.date,
                     date_iso=meta.date_iso, kind=meta.kind, instrument=meta.instrument, article=meta.article,
                     effective_date=meta.effective_date, encoding=prep.encoding, n_chunks=len(prep.chunks),
                     n_chars=len(prep.text), near_dup_of=twin, places="; ".join(meta.places) or None,
                     collection=prep.collection, year=meta.year, place=meta.place)


def _twin(store: Store, prep: Prepared, sig) -> str | None:
    # LSH: only documents sharing a band of the signature are compared (not the whole collection)
    others = {k: v for k, v in store.catalogue.near_duplicate_candidates(band_keys(sig)).items()
              if k != prep.doc_id}
    return best_match(sig, others)


def _rows(prep: Prepared) -> list[ChunkRow]:
    return [ChunkRow(c.chunk_id, c.doc_id, c.position, c.text, c.heading, c.start, c.end, page=c.page, ocr=c.ocr)
            for c in prep.chunks]


def _report_written(store: Store, prep: Prepared, report: IngestReport, existing: DocRecord | None,
                    twin: str | None) -> None:
    (report.updated if existing else report.added).append(_display(prep.path))
    if twin:
        twin_doc = store.catalogue.get_document(twin)
        report.near_duplicates.append((_display(prep.path), twin_doc.source if twin_doc else twin))
    report.chunks_written += len(prep.chunks)
    report.characters += len(prep.text)
    report.ocr_pages += prep.ocr_pages
    report.ocr_seconds += prep.ocr_seconds


def _write(store: Store, prep: Prepared, report: IngestReport, existing: DocRecord | None) -> None:
    sig = minhash_signature(prep.text)
    twin = _twin(store, prep, sig)
    store.write_document(_doc_record(prep, twin), _rows(prep), [embed_text_for(c) for c in prep.chunks],
                         prep.facts, prep.line_keys, sig.tobytes())
    _report_written(store, prep, report, existing, twin)


def _write_static(store: Store, pending: list[tuple[Prepared, DocRecord | None]], report: IngestReport) -> None:
    """The first phase of a two-phase ingest: a flush's documents in one static batch; each one's
    near-duplicate is looked up just before its commit, so it sees the documents committed before it."""
    sigs = [minhash_signature(prep.text) for prep, _ in pending]
    writes = [DocWrite(_doc_record(prep, None), _rows(prep), [embed_text_for(c) for c in prep.chunks],
                       prep.facts, prep.line_keys, sig.tobytes()) for (prep, _), sig in zip(pending, sigs)]

    def before_commit(i: int) -> None:
        writes[i].doc.near_dup_of = _twin(store, pending[i][0], sigs[i])

    store.write_static_batch(writes, before_commit)
    for (prep, existing), w in zip(pending, writes):
        _report_written(store, prep, report, existing, w.doc.near_dup_of)


def refresh_collection_boilerplate(store: Store) -> int:
    """Recompute lines repeated across a large share of the collection; re-index what changed."""
    cat = store.catalogue
    n_docs = cat.stats()["documents"]
    keys = boilerplate_from_counts(cat.line_document_counts(), n_docs)
    cat.set_boilerplate(keys)
    return len(keys)


def remove_documents(store: Store, ref: str) -> list[str]:
    """Remove documents by id, file name or path; returns the removed sources."""
    removed = []
    with store.writer():
        for doc in store.catalogue.find_documents(ref):
            store.remove_document(doc.doc_id)
            removed.append(doc.source)
        if removed:
            refresh_collection_boilerplate(store)
    return removed
