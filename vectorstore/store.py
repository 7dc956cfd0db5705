"""The store: catalogue + Chroma vectors + embeddings, kept in step with one writer at a time.

Write protocol (crash-safe, re-runnable):
1. new chunk ids enter ``pending`` (ids that may be in Chroma but not in the catalogue);
2. vectors are upserted into Chroma (idempotent);
3. one catalogue transaction replaces the document's rows, takes its ids out of ``pending`` and
   puts the ids it no longer uses in;
4. those stale ids are deleted from Chroma and leave ``pending``.
A crash anywhere leaves only ``pending`` ids extra in Chroma; ``recover()`` (run when a writer
starts) deletes them. Readers only ever return chunks present in the catalogue.

Two-phase ingest (``static=True``): passages are written with static vectors (vectorstore/static.py)
into a second collection ``<collection>-static`` and enter the catalogue's ``unrefined`` set in the
commit transaction; ``refine_batch`` later gives them e5 vectors: upsert into the e5 collection, then
one transaction takes them out of ``unrefined`` and into ``pending_static``, then their static vectors
are deleted. Two collections, not one, because static and e5 vectors are only approximately in the
same space: a cosine between a static query and an e5 passage (or the reverse) is not comparable with
one inside a space, so each query vector searches only its own space and the ranked lists are merged
(``dense_search``). The catalogue's ``unrefined`` set is the truth about which vector a passage has:
a vector a crash left in the other collection is ignored by the search and removed by the next writer.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from config import Settings
from vectorstore.catalogue import ChunkRow, DocRecord
from vectorstore.chroma import VectorIndex, VectorReader, client_opened, make_client, open_bindings
from vectorstore.embeddings import CachedEmbeddings, make_embeddings, model_id_of
from vectorstore.migrations import VECTOR_COLLECTIONS
from vectorstore.scope import DEFAULT_COLLECTION
from vectorstore.profile import open_catalogue, writer_lock
from vectorstore.static import MODEL_ID as STATIC_MODEL_ID, StaticEmbeddings

STATIC_SUFFIX = "-static"
WRITER_POLL_S = 0.2
STATIC_USED = "static_collection"  # meta key: set once a static vector was ever written

log = logging.getLogger("danvan.store")


class StoreBusy(RuntimeError):
    pass


STORE_DOWN = ("Kho dữ liệu tạm thời không trả lời (máy chủ cơ sở dữ liệu hoặc máy chủ vectơ đang khởi động lại). "
              "Xin thử lại sau ít giây.")
WRITER_LOST = ("Mất kết nối cơ sở dữ liệu trong khi ghi (máy chủ vừa khởi động lại): việc nạp dừng ở đây, kho vẫn "
               "nguyên vẹn. Hãy chạy lại đúng lệnh đó để nạp nốt.")


class StoreUnavailable(RuntimeError):
    """An engine (PostgreSQL, the Chroma server) did not answer: the user's message says so in Vietnamese,
    with no server detail (those go to the log); the next request opens new connections."""

    def __init__(self, message: str = STORE_DOWN):
        super().__init__(message)


def engine_failure(exc: BaseException) -> bool:
    """Is ``exc`` an engine that went away (a restart), not a bug?"""
    from vectorstore.chroma import ChromaUnavailable
    if isinstance(exc, (StoreUnavailable, ChromaUnavailable)):
        return True
    try:
        import psycopg
    except ImportError:  # the embedded profile's install
        return False
    return isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError))


@contextmanager
def engines_answer() -> Iterator[None]:
    """Turn an engine's failure inside the block into StoreUnavailable (logged with its detail)."""
    try:
        yield
    except StoreUnavailable:
        raise
    except Exception as exc:
        if not engine_failure(exc):
            raise
        log.warning("Kho không trả lời: %s: %s", type(exc).__name__, exc)
        raise StoreUnavailable() from exc


@dataclass
class DocWrite:
    """One document's rows for ``write_static_batch``."""
    doc: DocRecord
    chunks: list[ChunkRow]
    embed_texts: list[str]
    facts: list[dict[str, Any]]
    line_keys: set[str]
    minhash: bytes | None


def vector_meta(doc: DocRecord, chunk: ChunkRow) -> dict[str, Any]:
    """A passage's Chroma metadata; ``collection`` lets a dense query keep to a read scope (``where``)."""
    return {"doc_id": doc.doc_id, "source": doc.source, "kind": doc.kind, "position": chunk.position,
            "collection": doc.collection or DEFAULT_COLLECTION}


def scope_where(scope: Iterable[str] | None) -> dict[str, Any] | None:
    """The Chroma ``where`` of a read scope (None: no filter)."""
    return None if scope is None else {"collection": {"$in": sorted(set(scope))}}


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
        self.catalogue = open_catalogue(settings)  # SQLite file, or PostgreSQL with DANVAN_DATABASE_URL
        self._embeddings: CachedEmbeddings | None = None
        self._index: VectorIndex | None = None
        self._static_index: VectorIndex | None = None
        self._static: StaticEmbeddings | None = None
        self._bindings: Any = None  # Chroma's core for VectorReader: None not tried yet, False not usable
        self._readers: dict[str, VectorReader | None] = {}
        self._reader_lock = threading.Lock()  # not _init_lock: the embeddings load while a reader opens
        self.writer_wait_s = 0.0  # how long writer() waits for another writer (a refine batch) to finish
        self._init_lock = threading.Lock()  # first questions may arrive together: build each part once
        self._collections_ok = False
        self._backfill_lock = threading.Lock()
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
                    with self._reader_lock:  # this client reads from now on (it sees its own writes)
                        self._bindings, self._readers = False, {}
        return self._index

    def _query_index(self, static: bool = False) -> VectorIndex | VectorReader:
        """The index a dense query reads: the chromadb client once one is open on the store in this process (the
        app's, a writer's: it sees every write of the process); before that, on the embedded profile, a
        VectorReader (the same engine and search, without importing chromadb: what a one-question process such
        as `danvan ask` needs)."""
        name = self.settings.collection + (STATIC_SUFFIX if static else "")
        reader = None
        if self._index is None and not self.settings.chroma_url and not client_opened(self.settings.chroma_path):
            with self._reader_lock:
                if self._index is None and self._bindings is not False:
                    if self._bindings is None:
                        self._bindings = open_bindings(self.settings.chroma_path) or False
                    if self._bindings and name not in self._readers:
                        model_id = STATIC_MODEL_ID if static else model_id_of(make_embeddings(self.settings.embed_model))
                        self._readers[name] = VectorReader.open(self._bindings, name, model_id)
                    reader = self._readers.get(name)
        if reader is not None:
            return reader
        return self.static_index if static else self.index

    def open_search(self) -> None:
        """Open now what a dense query reads (idempotent). The retriever calls it on its own thread while a
        worker embeds the question: opening holds the GIL, the embedding model releases it."""
        self._query_index()

    @property
    def static_embeddings(self) -> StaticEmbeddings:
        if self._static is None:
            with self._init_lock:
                if self._static is None:
                    self._static = StaticEmbeddings(self.settings.static_model)
        return self._static

    @property
    def static_index(self) -> VectorIndex:
        if self._static_index is None:
            client = self.index.client  # outside the lock: index takes it too
            with self._init_lock:
                if self._static_index is None:
                    self._static_index = VectorIndex(client, self.settings.collection + STATIC_SUFFIX,
                                                     STATIC_MODEL_ID)
        return self._static_index

    def has_static(self) -> bool:
        """Whether a static vector was ever written (else the static collection is never touched)."""
        return self.catalogue.get_meta(STATIC_USED) == "1"

    def _delete_vectors(self, ids: list[str]) -> None:
        self.index.delete(ids)
        if self.has_static():
            self.static_index.delete(ids)

    def warm_up(self) -> None:
        """Load the embedding model and open Chroma now, before concurrent first requests race to."""
        self.embeddings.embed_query("khởi động")
        self.index  # noqa: B018 (opens the Chroma client)
        self.backfill_collections()  # an upgraded store: Chroma metadata learn the collections once

    # ---- one writer ----
    @contextmanager
    def writer(self) -> Iterator["Store"]:
        """Hold the store's write lock (across processes: a file lock, or a PostgreSQL advisory lock
        across replicas); refuse with StoreBusy if another holds it."""
        lock = writer_lock(self.settings)
        deadline = time.monotonic() + self.writer_wait_s
        while not lock.try_acquire():
            if time.monotonic() >= deadline:
                raise StoreBusy("Kho đang được cập nhật bởi một tiến trình khác, hãy thử lại sau. "
                                "(Another ingest is writing this store; try again later.)") from None
            time.sleep(WRITER_POLL_S)
        self._writer_lock = lock
        try:
            self.recover()
            self.backfill_collections()
            yield self
        finally:
            self._writer_lock = None
            lock.release()

    def _still_writer(self) -> None:
        """Before each write: the lock is still ours (a PostgreSQL restart drops an advisory lock with
        its connection, and another writer could then start): else stop, the protocol keeps the store whole."""
        lock = getattr(self, "_writer_lock", None)
        if lock is not None and not lock.held():
            raise StoreUnavailable(WRITER_LOST)

    def recover(self) -> int:
        """Delete from Chroma the ids an interrupted write left behind."""
        ids = self.catalogue.pending()
        if ids:
            self._delete_vectors(ids)
            self.catalogue.clear_pending(ids)
        stale_static = self.catalogue.pending_static()
        if stale_static:
            self.static_index.delete(stale_static)
            self.catalogue.clear_pending_static(stale_static)
        return len(ids)

    def write_document(self, doc: DocRecord, chunks: list[ChunkRow], embed_texts: list[str],
                       facts: list[dict[str, Any]], line_keys: set[str], minhash: bytes | None,
                       static: bool = False) -> None:
        self._still_writer()
        cat = self.catalogue
        old_ids = set(cat.chunk_ids_of(doc.doc_id))
        new_ids = [c.chunk_id for c in chunks]
        if static:
            vectors = self.static_embeddings.embed_documents(embed_texts)
            if not self.has_static():
                cat.set_meta(STATIC_USED, "1")
        else:
            vectors = self.embeddings.embed_documents(embed_texts)
        cat.add_pending([i for i in new_ids if i not in old_ids])
        metas = [vector_meta(doc, c) for c in chunks]
        fault_point("before_upsert", self.settings.fault)
        if new_ids:
            (self.static_index if static else self.index).upsert(new_ids, vectors, metas)
        fault_point("after_upsert", self.settings.fault)
        stale = sorted(old_ids - set(new_ids))
        self._still_writer()
        cat.replace_document(doc, chunks, facts, line_keys, cat.boilerplate(), minhash, stale, static=static)
        fault_point("after_commit", self.settings.fault)
        if stale:
            self._delete_vectors(stale)
            cat.clear_pending(stale)
        if not static and self.has_static():
            self._drop_static_vectors()

    def write_static_batch(self, docs: list[DocWrite], before_commit: Callable[[int], None] | None = None) -> None:
        """Several documents with static vectors: one upsert for all (a Chroma call costs ≈150 ms
        whatever its size, more than the static vectors of a dozen documents), then one catalogue
        transaction per document, as ``write_document`` (``before_commit(i)`` runs before the i-th)."""
        self._still_writer()
        cat = self.catalogue
        if not self.has_static():
            cat.set_meta(STATIC_USED, "1")
        old = [set(cat.chunk_ids_of(d.doc.doc_id)) for d in docs]
        ids = [c.chunk_id for d in docs for c in d.chunks]
        vectors = self.static_embeddings.embed_documents([t for d in docs for t in d.embed_texts])
        metas = [vector_meta(d.doc, c) for d in docs for c in d.chunks]
        cat.add_pending([c.chunk_id for d, o in zip(docs, old) for c in d.chunks if c.chunk_id not in o])
        fault_point("before_upsert", self.settings.fault)
        if ids:
            self.static_index.upsert(ids, vectors, metas)
        fault_point("after_upsert", self.settings.fault)
        stale: list[str] = []
        for i, (d, o) in enumerate(zip(docs, old)):
            if before_commit:
                before_commit(i)
            self._still_writer()
            gone = sorted(o - {c.chunk_id for c in d.chunks})
            cat.replace_document(d.doc, d.chunks, d.facts, d.line_keys, cat.boilerplate(), d.minhash, gone,
                                 static=True)
            stale.extend(gone)
            fault_point("after_commit", self.settings.fault)
        if stale:
            self._delete_vectors(stale)
            cat.clear_pending(stale)

    def _drop_static_vectors(self) -> None:
        ids = self.catalogue.pending_static()
        if ids:
            self.static_index.delete(ids)
            self.catalogue.clear_pending_static(ids)

    def refine_batch(self, items: list[tuple[ChunkRow, DocRecord]], embed_texts: list[str]) -> int:
        """Give passages that have only static vectors their e5 vectors (caller holds the writer)."""
        if not items:
            return 0
        self._still_writer()
        ids = [c.chunk_id for c, _ in items]
        vectors = self.embeddings.embed_documents(embed_texts)
        metas = [vector_meta(d, c) for c, d in items]
        self.index.upsert(ids, vectors, metas)
        fault_point("refine_after_upsert", self.settings.fault)
        self._still_writer()
        self.catalogue.mark_refined(ids)
        fault_point("refine_after_commit", self.settings.fault)
        self._drop_static_vectors()
        return len(ids)

    def remove_document(self, doc_id: str) -> int:
        ids = self.catalogue.remove_document(doc_id)
        if ids:
            self._delete_vectors(ids)
            self.catalogue.clear_pending(ids)
        return len(ids)

    # ---- dense search over the best vector each passage has ----
    def dense_search(self, text: str, n: int, scope: Iterable[str] | None = None
                     ) -> tuple[list[str], dict[str, float]]:
        """Ids of the ``n`` nearest passages, each by its best vector; and the stage timings (ms).
        ``scope``: only passages of these collections (a Chroma ``where``; None = all, empty = none).

        With every passage refined this is exactly the e5 search (no static vector is computed).
        Otherwise the e5 and static lists are each filtered to the passages whose vector is of that
        kind, then merged by rank over share: a passage ranked r among the fraction f of the
        collection that a space holds stands where rank r/f would in the whole collection.
        """
        timings: dict[str, float] = {}
        if scope is not None and not set(scope):
            return [], timings
        if scope is not None and set(scope) >= set(self.catalogue.collections()):
            scope = None  # every collection the store holds: Chroma's metadata filter costs ≈5 µs per allowed id
        where = scope_where(scope)
        if where is not None:
            self.backfill_collections()
        unrefined = self.catalogue.count_unrefined() if self.has_static() else 0
        total = self.catalogue.chunk_count()
        lists: list[tuple[list[str], float]] = []
        if unrefined < total or total == 0:
            t = time.perf_counter()
            vec = self.embeddings.embed_query(text)
            timings["embed_query"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            ids = [i for i, _ in self._query_index().query(vec, n, where)]
            timings["dense"] = (time.perf_counter() - t) * 1000
            if unrefined:
                stale = self.catalogue.unrefined_of(ids)  # a crash left an old e5 vector: not theirs
                ids = [i for i in ids if i not in stale]
            lists.append((ids, (total - unrefined) / max(total, 1)))
        if unrefined:
            t = time.perf_counter()
            vec = self.static_embeddings.embed_query(text)
            timings["embed_static"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            ids = [i for i, _ in self._query_index(static=True).query(vec, n, where)]
            keep = self.catalogue.unrefined_of(ids)  # refined meanwhile: its e5 vector speaks for it
            timings["dense_static"] = (time.perf_counter() - t) * 1000
            lists.append(([i for i in ids if i in keep], unrefined / total))
        if len(lists) == 1:
            return lists[0][0][:n], timings
        ranked = sorted(((rank + 1) / share, k, i) for k, (ids, share) in enumerate(lists)
                        for rank, i in enumerate(ids))
        return [i for _, _, i in ranked][:n], timings

    def backfill_collections(self) -> None:
        """A store made before collections: give every passage's Chroma metadata its collection once
        (idempotent metadata updates from the catalogue), so scoped dense queries find them."""
        if self._collections_ok or self.catalogue.get_meta(VECTOR_COLLECTIONS) != "pending":
            self._collections_ok = True
            return
        cat = self.catalogue
        static = self.static_index if self.has_static() else None
        with self._backfill_lock:
            for doc in cat.documents():
                chunks = cat.chunks_of(doc.doc_id)
                unrefined = cat.unrefined_of(c.chunk_id for c in chunks) if static is not None else set()
                for index, part in ((self.index, [c for c in chunks if c.chunk_id not in unrefined]),
                                    (static, [c for c in chunks if c.chunk_id in unrefined])):
                    if index is not None and part:
                        index._call(index.collection.update, ids=[c.chunk_id for c in part],
                                    metadatas=[vector_meta(doc, c) for c in part])
            cat.set_meta(VECTOR_COLLECTIONS, "done")
            self._collections_ok = True

    def stats(self, scope: Iterable[str] | None = None) -> dict[str, Any]:
        out = self.catalogue.stats(scope)
        out["embed_model"] = self.catalogue.get_meta("embed_model")
        out["chroma"] = self.settings.chroma_url or str(self.settings.chroma_path)
        return out

    def health(self) -> None:
        """Ask each engine a trivial question (catalogue, then Chroma); raises when one does not answer.
        Used by the app's /healthz, which a front proxy polls to take a replica out."""
        self.catalogue.get_meta("embed_model")
        self.index.count()

    def close(self) -> None:
        self.catalogue.close()
