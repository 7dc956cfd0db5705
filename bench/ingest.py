"""Ingest throughput: first ingest, unchanged re-ingest, and re-ingest of moved files, vs the bare model.

A fresh temp store with a fresh embedding cache ingests a copy of the corpus (default: ../shared/corpus
seeds + law + news), then ingests it again unchanged, then the copy is moved to another folder and ingested
again with the cache kept (every passage must come from the cache: 0 model calls). The passages the
pipeline embedded are then embedded directly with E5SmallQ4Embeddings in batches of 32 (no store, no
parsing): ``pipeline chunks/s ÷ standalone chunks/s`` shows how much of the model's speed the pipeline
keeps (goal ≥ 0.8). The model is loaded before the timed runs (its load time is printed apart).

With ``--serial`` the same files also go into a second fresh store with parsing done in the embedding
thread (``workers=0``), for the pipeline's speed-up over one worker.

    .venv/bin/python bench/ingest.py --corpus ../shared/corpus/seeds --json bench-ingest.json
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (CORPUS, PeakSampler, dir_size_mb, hwm_mb, machine, make_settings,  # noqa: E402
                          maxrss_mb, table, temp_dir, write_json)

DEFAULT_CORPUS = [CORPUS / "seeds", CORPUS / "law", CORPUS / "news"]
ALLOWED = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


class RecordingEmbeddings:
    """Passes calls through to the model and keeps the passages it was asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.model_id = getattr(inner, "model_id", type(inner).__name__)
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def copy_corpus(dirs: list[Path], dest: Path, limit: int | None) -> int:
    """Copy the corpus files (sorted, at most ``limit``) under dest/<folder name>/; returns the count."""
    files = [(d, p) for d in dirs for p in sorted(Path(d).rglob("*")) if p.is_file() and p.suffix.lower() in ALLOWED]
    if limit:
        files = files[:limit]
    for d, p in files:
        target = dest / Path(d).name / p.relative_to(d)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, target)
    return len(files)


def run_row(name: str, report, peak: PeakSampler, hits: int, misses: int) -> dict:
    secs = report.seconds or float("nan")
    return {"run": name, "documents": len(report.added) + len(report.updated),
            "unchanged": len(report.unchanged), "skipped": len(report.skipped), "chunks": report.chunks_written,
            "characters": report.characters, "seconds": report.seconds, "embed_seconds": report.embed_seconds,
            "docs_per_s": (len(report.added) + len(report.updated) + len(report.unchanged)) / secs,
            "chunks_per_s": report.chunks_written / secs, "chars_per_s": report.characters / secs,
            "model_share": report.embed_seconds / secs, "embed_hits": hits, "embed_misses": misses,
            "peak_rss_mb": peak.peak, "vm_hwm_mb": hwm_mb(), "ru_maxrss_mb": maxrss_mb()}


def ingest_once(store, folder: Path, name: str, workers: int = 1) -> dict:
    from ingest.pipeline import ingest_paths
    emb = store.embeddings
    h0, m0 = emb.hits, emb.misses
    with PeakSampler() as peak:
        report = ingest_paths(store, [folder], workers=workers)
    row = run_row(name, report, peak, emb.hits - h0, emb.misses - m0)
    row["skipped_reasons"] = report.skipped
    return row


def standalone(model, texts: list[str], batch: int = 32) -> dict:
    """The model alone on the same passages, in batches of ``batch``."""
    t = time.perf_counter()
    with PeakSampler() as peak:
        for i in range(0, len(texts), batch):
            model.embed_documents(texts[i:i + batch])
    secs = time.perf_counter() - t
    chars = sum(len(x) for x in texts)
    return {"passages": len(texts), "seconds": secs, "chunks_per_s": len(texts) / secs if secs else float("nan"),
            "chars_per_s": chars / secs if secs else float("nan"), "peak_rss_mb": peak.peak}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", nargs="+", type=Path, action="extend",
                    help="corpus folders (default: ../shared/corpus seeds, law, news)")
    ap.add_argument("--limit", type=int, help="ingest only the first N files (sorted)")
    ap.add_argument("--serial", action="store_true",
                    help="also ingest the corpus into a second fresh store (fresh cache) with parsing in the "
                         "calling thread (workers=0): the one-worker baseline for the speed-up")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    args = ap.parse_args(argv)
    dirs = args.corpus or DEFAULT_CORPUS

    from assistant.service import Assistant
    with temp_dir("ingest") as tmp:
        src = tmp / "corpus-a"
        n_files = copy_corpus(dirs, src, args.limit)
        print(f"corpus: {n_files} files from {', '.join(str(d) for d in dirs)}", flush=True)
        a = Assistant(make_settings(tmp / "db", cache=tmp / "embed-cache.sqlite3"))
        store = a.store
        recorder = RecordingEmbeddings(store.embeddings.inner)
        store.embeddings.inner = recorder
        t = time.perf_counter()
        recorder.embed_query("khởi động mô hình")  # load the model outside the timed runs
        load_s = time.perf_counter() - t

        rows = [ingest_once(store, src, "first ingest")]
        passages = list(recorder.texts)
        rows.append(ingest_once(store, src, "unchanged re-ingest"))
        moved = tmp / "corpus-b"
        src.rename(moved)
        rows.append(ingest_once(store, moved, "moved files, cache kept"))
        alone = standalone(recorder.inner, passages)
        disk = dir_size_mb(tmp / "db")
        a.close()
        if args.serial:
            b = Assistant(make_settings(tmp / "db-serial", cache=tmp / "embed-cache-serial.sqlite3"))
            b.store.embeddings.inner = recorder.inner  # the model already loaded
            rows.append(ingest_once(b.store, moved, "serial (parse in the embedding thread)", workers=0))
            b.close()

    headers = ["run", "docs", "chunks", "seconds", "docs/s", "chunks/s", "chars/s", "model share",
               "embed misses", "peak RSS MB", "VmHWM MB", "ru_maxrss MB"]
    body = [[r["run"], r["documents"] + r["unchanged"], r["chunks"], r["seconds"], r["docs_per_s"],
             r["chunks_per_s"], r["chars_per_s"], f"{r['model_share']:.0%}", r["embed_misses"], r["peak_rss_mb"],
             r["vm_hwm_mb"], r["ru_maxrss_mb"]] for r in rows]
    body.append(["model alone (batches of 32)", "-", alone["passages"], alone["seconds"], "-",
                 alone["chunks_per_s"], alone["chars_per_s"], "100%", alone["passages"], alone["peak_rss_mb"],
                 "-", "-"])
    first = rows[0]
    ratio = first["chunks_per_s"] / alone["chunks_per_s"] if alone["chunks_per_s"] else float("nan")
    print(table(headers, body))
    print()
    print(f"model load: {load_s:.1f} s (before the timed runs) · store on disk: {disk:.1f} MB")
    print(f"pipeline chunks/s ÷ model-alone chunks/s = {ratio:.2f} (goal ≥ 0.8)")
    print(f"unchanged re-ingest: {rows[1]['seconds']:.2f} s = {rows[1]['seconds'] / first['seconds']:.1%} of first ingest")
    print(f"moved files, cache kept: {rows[2]['seconds']:.2f} s, embedding misses {rows[2]['embed_misses']} "
          f"(must be 0), hits {rows[2]['embed_hits']}")
    if args.serial:
        print(f"speed-up of the pipeline over one thread: {first['chunks_per_s'] / rows[-1]['chunks_per_s']:.2f}×")
    print(f"load average at the end: {machine()['loadavg_1m']}")
    for r in rows:
        for path, reason in r["skipped_reasons"][:5]:
            print(f"  skipped in {r['run']}: {Path(path).name}: {reason}")
    write_json(args.json, {"machine": machine(), "files": n_files, "model_load_s": load_s, "runs": rows,
                           "standalone": alone, "pipeline_over_standalone": ratio, "store_mb": disk})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
