"""Shared helpers of the benchmarks: temp stores, memory, percentiles, tables, corpora built from real text.

The benchmarks print figures; they are not tests. Everything here is deterministic (seeded), so two runs
of a benchmark measure the same work.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
SEEDS = CORPUS / "seeds"
QUESTIONS = SHARED / "eval" / "questions.jsonl"
BENCH_SOURCES = (CORPUS / "bench" / "phapdien.jsonl.gz", CORPUS / "bench" / "vietnews-30k.jsonl.gz")
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


# ---- temp stores ----
@contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    """A temp folder removed afterwards, even when the benchmark fails half-way."""
    path = Path(tempfile.mkdtemp(prefix=f"danvan-bench-{prefix}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def make_settings(data_dir: Path, cache: Path | None = None, chroma_url: str | None = None):
    """Settings for a benchmark store: no .env, no DANVAN_ variables leaking in from the shell."""
    from config import Settings
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("DANVAN_")}
    try:
        return Settings(data_dir=data_dir, embed_cache=cache or data_dir.parent / "embed-cache.sqlite3",
                        chroma_url=chroma_url, _env_file=None)
    finally:
        os.environ.update(saved)


def dir_size_mb(path: Path) -> float:
    """On-disk size of a folder (apparent file sizes), in MiB."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total / 2**20


# ---- memory ----
def _status_kb(field: str, pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return float(line.split()[1])
    except OSError:
        pass
    return float("nan")


def rss_mb(pid: int | str = "self") -> float:
    """Current resident set size (VmRSS) in MiB."""
    return _status_kb("VmRSS", pid) / 1024


def hwm_mb(pid: int | str = "self") -> float:
    """Peak resident set size since start or the last reset_peak() (VmHWM) in MiB."""
    return _status_kb("VmHWM", pid) / 1024


def maxrss_mb() -> float:
    """getrusage's ru_maxrss (KiB on Linux) in MiB: the peak over the whole process life, never reset."""
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS, so each phase of a benchmark gets its own peak (Linux ≥ 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class PeakSampler:
    """Samples VmRSS in a thread during a phase; ``peak`` is the largest seen (a check on VmHWM)."""

    def __init__(self, interval: float = 0.1, pid: int | str = "self"):
        self.interval = interval
        self.pid = pid
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakSampler":
        reset_peak()
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb(self.pid))


# ---- numbers and tables ----
def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; NaN for no values (a missing stage is visible, not zero)."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(-(-p * len(s) // 100)) - 1))]


def fmt(value: Any, digits: int = 1) -> str:
    """A table cell: floats rounded, None as a dash."""
    if value is None:
        return "-"
    if isinstance(value, float):
        if value != value:
            return "-"
        return f"{value:,.{digits}f}"
    return str(value)


def table(headers: list[str], rows: list[list[Any]], digits: int = 1) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[fmt(c, digits) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]

    def line(items: list[str]) -> str:
        return "  ".join(s.ljust(w) if i == 0 else s.rjust(w) for i, (s, w) in enumerate(zip(items, widths)))

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])


def write_json(path: str | None, payload: dict[str, Any]) -> None:
    if path:
        Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


def machine() -> dict[str, Any]:
    """What the figures were measured on (they mean little without it)."""
    import platform
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "loadavg_1m": round(os.getloadavg()[0], 2)}


# ---- corpora ----
def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_jsonl_gz(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def interleaved_articles(sources: Iterable[Path] = BENCH_SOURCES) -> Iterator[tuple[str, str]]:
    """(id, text) alternately from the legal code and the news set: a mixed office collection."""
    iters = [read_jsonl_gz(p) for p in sources]
    while iters:
        for it in list(iters):
            item = next(it, None)
            if item is None:
                iters.remove(it)
            elif item.get("text", "").strip():
                yield str(item["id"]), item["text"]


_SENT_END = re.compile(r"(?<=[.!?…;:])\s+|\n+")


def passages_of(text: str, size: int = 800) -> list[str]:
    """Split text into ~size-character passages at sentence or line ends (no overlap: for synthetic stores)."""
    out: list[str] = []
    cur = ""
    for piece in _SENT_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        cur = f"{cur} {piece}" if cur else piece
        if len(cur) >= size:
            out.append(cur)
            cur = ""
    if cur:
        if out and len(cur) < size // 3:
            out[-1] += " " + cur
        else:
            out.append(cur)
    return out


def safe_name(article_id: str) -> str:
    """A file name for an article id (ids hold dots and 'Đ'; keep them readable, strip the rest)."""
    stem = re.sub(r"[^\w.-]+", "_", article_id).strip("._")[:80] or "doc"
    return stem if stem.endswith(".txt") else stem + ".txt"


def write_scale_corpus(dest: Path, n_chunks: int, settings) -> dict[str, Any]:
    """Write the first articles (legal code and news alternately) as .txt files until they make
    ``n_chunks`` passages by the product's own chunker (prepare_file: no model involved)."""
    from ingest.pipeline import prepare_file
    from ingest.types import SkipFile
    dest.mkdir(parents=True, exist_ok=True)
    files = chunks = chars = 0
    t0 = time.perf_counter()
    for article_id, text in interleaved_articles():
        path = dest / safe_name(article_id)
        if path.exists():
            continue
        path.write_text(text, encoding="utf-8")
        try:
            prep = prepare_file(path, settings)
        except SkipFile:
            path.unlink()
            continue
        files += 1
        chunks += len(prep.chunks)
        chars += len(prep.text)
        if chunks >= n_chunks:
            break
    return {"files": files, "chunks": chunks, "characters": chars, "seconds": time.perf_counter() - t0}


def corpus_questions(texts: list[tuple[str, str]], n: int, seed: int = 7) -> list[tuple[str, str]]:
    """Questions built from the corpus: a sentence of a random chunk, 6–10 of its consecutive words.
    Returns (question, chunk_id) so a benchmark can also check the chunk comes back."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    tries = 0
    while len(out) < n and texts and tries < 50 * n:
        tries += 1
        chunk_id, text = texts[rng.randrange(len(texts))]
        sentences = [s.split() for s in re.split(r"(?<=[.!?])\s+|\n+", text)]
        sentences = [s for s in sentences if len(s) >= 8]
        if not sentences:
            continue
        words = rng.choice(sentences)
        size = rng.randint(6, min(10, len(words)))
        start = rng.randrange(len(words) - size + 1)
        out.append((" ".join(words[start:start + size]).strip(" ,;:()\"“”"), chunk_id))
    return out


def unit_vectors(ids: list[str], dim: int = 384):
    """Deterministic random unit vectors, one per id, seeded by the id's hash (for synthetic stores:
    their dense scores mean nothing; only the timing of search over that many vectors matters)."""
    import numpy as np
    out = np.empty((len(ids), dim), dtype=np.float32)
    for i, cid in enumerate(ids):
        seed = int.from_bytes(hashlib.sha1(cid.encode("utf-8")).digest()[:8], "little")
        out[i] = np.random.default_rng(seed).standard_normal(dim, dtype=np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


# ---- a real Chroma server ----
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def chroma_server(path: Path, timeout: float = 60.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """``chroma run`` (the executable beside this Python) on a free loopback port; stopped afterwards."""
    exe = Path(sys.executable).parent / "chroma"
    port = free_port()
    log = open(path.parent / f"chroma-{port}.log", "wb")
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
    proc = subprocess.Popen([str(exe), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("chroma run did not answer in time")
                time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
