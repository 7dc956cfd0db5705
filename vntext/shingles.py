"""Shingles, Jaccard and MinHash: near-duplicate detection (the same story from two outlets, a reposted article).

MinHash over accent-folded 5-word shingles with a fixed hash (crc32), so signatures are stable
across processes and can be stored.
"""
from __future__ import annotations

import zlib

import numpy as np

from vntext.normalize import folded_form, tokens

N_PERM = 64
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20240601)
_A = _rng.integers(1, _PRIME, size=N_PERM, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=N_PERM, dtype=np.uint64)


def shingles(text: str, size: int = 5) -> set[int]:
    words = tokens(folded_form(text))
    if len(words) < size:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i:i + size]).encode()) for i in range(len(words) - size + 1)}


def minhash_signature(text: str) -> np.ndarray:
    sh = np.fromiter(shingles(text), dtype=np.uint64)
    if sh.size == 0:
        return np.full(N_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    # (a*x + b) mod p, computed in uint64 with wrap-around: stable and good enough for 32-bit x.
    hashed = (_A[:, None] * sh[None, :] + _B[:, None]) % np.uint64(_PRIME)
    return hashed.min(axis=1)


def similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    return float(np.mean(sig_a == sig_b))


def jaccard(a: str, b: str, size: int = 5) -> float:
    """Exact shingle Jaccard similarity of two passages."""
    sa, sb = shingles(a, size), shingles(b, size)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def best_match(sig: np.ndarray, others: dict[str, bytes], threshold: float = 0.8) -> str | None:
    """The stored document most similar to ``sig`` above ``threshold`` (None when none is)."""
    best, best_sim = None, threshold
    for doc_id, blob in others.items():
        sim = similarity(sig, np.frombuffer(blob, dtype=np.uint64))
        if sim >= best_sim:
            best, best_sim = doc_id, sim
    return best


BANDS = 16  # 16 bands of 4 rows: pairs above ~0.5 similarity share a band with high probability


def band_keys(sig: np.ndarray) -> list[str]:
    """Locality-sensitive keys of a signature: near-duplicates share at least one."""
    rows = len(sig) // BANDS
    return [f"{b}:{zlib.crc32(sig[b * rows:(b + 1) * rows].tobytes()):08x}" for b in range(BANDS)]
