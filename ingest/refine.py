"""Second phase of a two-phase ingest: give passages that have only static vectors their e5 vectors.

Run by ``danvan ingest --refine`` or by ``RefineWorker``, a background thread the app starts. Each
batch holds the store's writer lock only while it is embedded and written (seconds), so an upload or
an ingest can take the lock between batches; a batch that finds the lock taken waits and retries.
Crash-safe by the store's protocol (vectorstore/store.py): a kill loses nothing, the next run goes on.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

from ingest.pipeline import embed_text_for
from vectorstore.store import Store, StoreBusy

BUSY_RETRY_S = 2.0  # wait before retrying when another writer holds the store
IDLE_POLL_S = 5.0  # the worker's look for new work when there was none
WORKER_BATCH = 8  # the worker's batches are short (≈2 s on 2 cores): an upload waits at most that long
WRITER_WAIT_S = 30.0  # with a worker running, other writers of this process wait this long for the lock

Progress = Callable[[int, int], None]


@dataclass
class RefineReport:
    refined: int = 0
    remaining: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

    def summary_lines(self) -> list[str]:
        return [f"Đã tinh chỉnh {self.refined} đoạn bằng mô hình e5 trong {self.seconds:.1f} s "
                f"(mô hình {self.embed_seconds:.1f} s); còn chờ {self.remaining} đoạn."]


def refine_once(store: Store, batch: int | None = None) -> int:
    """One batch under the writer lock; returns how many passages were refined (0: none waiting).
    Raises StoreBusy when another writer holds the store."""
    with store.writer():
        items = store.catalogue.unrefined_batch(batch or store.settings.embed_batch)
        return store.refine_batch(items, [embed_text_for(c) for c, _ in items])


def refine(store: Store, progress: Progress | None = None, stop: threading.Event | None = None,
           limit: int | None = None, batch: int | None = None) -> RefineReport:
    """Refine until nothing waits (or ``stop`` is set, or ``limit`` passages are done)."""
    t0 = time.perf_counter()
    report = RefineReport()
    embed_before = store.embeddings.model_seconds
    total = store.catalogue.count_unrefined()
    while not (stop and stop.is_set()) and (limit is None or report.refined < limit):
        if not store.catalogue.count_unrefined():  # nothing waits: do not take the writer lock
            break
        try:
            size = batch or store.settings.embed_batch
            n = refine_once(store, size if limit is None else min(size, limit - report.refined))
        except StoreBusy:
            if stop is not None and stop.wait(BUSY_RETRY_S):
                break
            if stop is None:
                time.sleep(BUSY_RETRY_S)
            continue
        if n == 0:
            break
        report.refined += n
        if progress:
            progress(report.refined, max(total, report.refined))
    report.remaining = store.catalogue.count_unrefined()
    report.embed_seconds = store.embeddings.model_seconds - embed_before
    report.seconds = time.perf_counter() - t0
    return report


class RefineWorker:
    """A daemon thread that refines whatever waits, then looks again every ``IDLE_POLL_S``."""

    def __init__(self, store: Store, poll_s: float = IDLE_POLL_S):
        self.store = store
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: str | None = None

    def start(self) -> "RefineWorker":
        if self._thread is None:
            self.store.writer_wait_s = max(self.store.writer_wait_s, WRITER_WAIT_S)
            self._thread = threading.Thread(target=self._run, name="danvan-refine", daemon=True)
            self._thread.start()
        return self

    def wake(self) -> None:
        """Look for work now (after an upload)."""
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                refine(self.store, stop=self._stop, batch=WORKER_BATCH)
                self.error = None
            except Exception as exc:  # keep the app serving; the state says what went wrong
                self.error = f"{type(exc).__name__}: {exc}"
            self._wake.wait(self.poll_s)
            self._wake.clear()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def status(self) -> dict:
        """For the UI: passages waiting for their e5 vectors, and whether the worker runs."""
        return {"unrefined": self.store.catalogue.count_unrefined(),
                "running": bool(self._thread and self._thread.is_alive()), "error": self.error}
