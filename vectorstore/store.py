"""The store: catalogue + Chroma vectors + embeddings, kept in step with one writer at a time.

Write protocol (crash-safe, re-runnable):
1. new chunk ids enter ``pending`` (ids that may be in Chroma but not in the catalogue);
2. vectors are upserted into Chroma (idempotent);
3. one catalogue transaction replaces the document's rows, takes its ids out of ``pending`` and
   puts the ids it no longer uses in;
4. those stale ids are deleted from Chroma and leave ``pending``.
A crash anywhere leaves only ``pending`` ids extra in Chroma; ``recover()`` (run when a writer
starts) deletes them. Readers only ever return chunks present in the catalogue.
"""
from __future__ import annotations

import fcntl
import os
import threading
from contextlib import contextmanager
from typing import Any, Iterator

from config import Settings
from vectorstore.catalogue import Catalogue, ChunkRow, DocRecord
from vectorstore.chroma import VectorIndex, make_client
from vectorstore.embeddings import CachedEmbeddings, make_embeddings, model_id_of


class StoreBusy(RuntimeError):
    pass


_fault_counts: dict[str, int] = {}


def fault_point(name: str, spec: str | None) -> None:
    """Crash-test hook: ``spec`` "name:N" (``Settings.fault``, env ``DANVAN_FAULT``) SIGKILLs this
    process the N-th time ``name`` is reached.

    Lets the crash-safety tests kill a real ingest at exact points of the write protocol.
    """
    if not spec or not spec.startswith(name + ":"):
        return
    _fault_counts[name] = _fault_counts.get(name, 0) + 1
    if _fault_counts[name] >= int(spec.split(":", 1)[1]):
        import signal
        os.kill(os.getpid(), signal.SIGKILL)


class Store:
    def __init__(self, settings: Settings):
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.catalogue = Catalogue(settings.catalogue_path)
        self._embeddings: CachedEmbeddings | None = None
        self._index: VectorIndex | None = None
        self._init_lock = threading.Lock()  # first questions may arrive together: build each part once
        self._check_model()

    def _check_model(self) -> None:
        """Refuse to open a store built with another embedding model (checked without loading it)."""
        from vectorstore.chroma import EmbeddingMismatch
        model_id = model_id_of(make_embeddings(self.settings.embed_model))
        built = self.catalogue.get_meta("embed_model")
        if built is None:
            self.catalogue.set_meta("embed_model", model_id)
        elif built != model_id:
            raise EmbeddingMismatch(
                f"Kho dữ liệu {self.settings.data_dir} được tạo bằng mô hình nhúng '{built}', không thể mở bằng "
                f"'{model_id}'. Dùng DANVAN_EMBED_MODEL tương ứng hoặc một thư mục dữ liệu khác. "
                f"(The store was built with '{built}'; mixing vector spaces would ruin retrieval.)")

    @property
    def embeddings(self) -> CachedEmbeddings:
        if self._embeddings is None:
            with self._init_lock:
                if self._embeddings is None:
                    inner = make_embeddings(self.settings.embed_model, self.settings.embed_threads)
                    self._embeddings = CachedEmbeddings(inner, self.settings.embed_cache_path)
        return self._embeddings

    @property
    def index(self) -> VectorIndex:
        if self._index is None:
            with self._init_lock:
                if self._index is None:
                    self._index = VectorIndex(make_client(self.settings), self.settings.collection,
                                              model_id_of(make_embeddings(self.settings.embed_model)))
        return self._index

    def warm_up(self) -> None:
        """Load the embedding model and open Chroma now, before concurrent first requests race to."""
        self.embeddings.embed_query("khởi động")
        self.index  # noqa: B018 (opens the Chroma client)

    # ---- one writer ----
    @contextmanager
    def writer(self) -> Iterator["Store"]:
        """Hold the store's write lock (across processes); refuse with StoreBusy if another holds it."""
        path = self.settings.data_dir / ".writer.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreBusy("Kho đang được cập nhật bởi một tiến trình khác, hãy thử lại sau. "
                            "(Another ingest is writing this store; try again later.)") from None
        try:
            self.recover()
            yield self
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def recover(self) -> int:
        """Delete from Chroma the ids an interrupted write left behind."""
        ids = self.catalogue.pending()
        if ids:
            self.index.delete(ids)
            self.catalogue.clear_pending(ids)
        return len(ids)

    def write_document(self, doc: DocRecord, chunks: list[ChunkRow], embed_texts: list[str],
                       facts: list[dict[str, Any]], line_keys: set[str], minhash: bytes | None) -> None:
        cat = self.catalogue
        old_ids = set(cat.chunk_ids_of(doc.doc_id))
        new_ids = [c.chunk_id for c in chunks]
        vectors = self.embeddings.embed_documents(embed_texts)
        cat.add_pending([i for i in new_ids if i not in old_ids])
        metas = [{"doc_id": doc.doc_id, "source": doc.source, "kind": doc.kind, "position": c.position}
                 for c in chunks]
        fault_point("before_upsert", self.settings.fault)
        if new_ids:
            self.index.upsert(new_ids, vectors, metas)
        fault_point("after_upsert", self.settings.fault)
        stale = sorted(old_ids - set(new_ids))
        cat.replace_document(doc, chunks, facts, line_keys, cat.boilerplate(), minhash, stale)
        fault_point("after_commit", self.settings.fault)
        if stale:
            self.index.delete(stale)
            cat.clear_pending(stale)

    def remove_document(self, doc_id: str) -> int:
        ids = self.catalogue.remove_document(doc_id)
        if ids:
            self.index.delete(ids)
            self.catalogue.clear_pending(ids)
        return len(ids)

    def stats(self) -> dict[str, Any]:
        out = self.catalogue.stats()
        out["embed_model"] = self.catalogue.get_meta("embed_model")
        out["chroma"] = self.settings.chroma_url or str(self.settings.chroma_path)
        return out

    def close(self) -> None:
        self.catalogue.close()
