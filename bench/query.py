"""Question latency by stage (embed_query, dense, lexical, dense_wait, index, fuse, compose, total): p50/p95.

embed_query + dense run in a worker thread while lexical runs; dense_wait is how long the question then
waited for them, so total ≈ lexical + dense_wait + index + fuse + compose (+ query understanding).

Two stores: the five seeds (ingested for real, or ``--db DIR``), and a large synthetic collection of N
chunks (default 100000) plus the same five seeds ingested for real, so the questions keep their answers.
The questions are those of ../shared/eval/questions.jsonl, each asked ``--repeat`` times after one
warm-up question. Figures come from ``Answer.timings_ms`` of ``Assistant.ask``.

The synthetic collection is built fast, without the embedding model: the real text of the legal code and
news sets (../shared/corpus/bench) cut into ~800-character passages, written straight into the catalogue
(SQLite + FTS5, so the lexical side is real) and into Chroma with deterministic random unit vectors seeded
by the chunk id. Their dense scores are meaningless: only the time each stage takes over that many
vectors and rows matters.

    .venv/bin/python bench/query.py --synthetic 100000 --json bench-query.json
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (SEEDS, PeakSampler, dir_size_mb, hwm_mb, interleaved_articles, load_questions,  # noqa: E402
                          machine, make_settings, maxrss_mb, passages_of, percentile, rss_mb, table, temp_dir,
                          unit_vectors, write_json)

STAGES = ["embed_query", "dense", "lexical", "dense_wait", "index", "fuse", "compose", "total"]


def ask_all(assistant, questions: list[dict], repeat: int) -> dict:
    """Ask every question ``repeat`` times; stage timings and whether an expected source was cited."""
    assistant.ask(questions[0]["question"])  # warm-up: model load, SQLite and Chroma caches
    per_stage: dict[str, list[float]] = {s: [] for s in STAGES}
    cited = answerable = 0
    for r in range(repeat):
        for item in questions:
            ans = assistant.ask(item["question"])
            for s in STAGES:
                if s in ans.timings_ms:
                    per_stage[s].append(ans.timings_ms[s])
            if r == 0 and item.get("sources"):
                answerable += 1
                cited += bool({c.source for c in ans.citations} & set(item["sources"]))
    return {"asked": repeat * len(questions), "expected_source_cited": f"{cited}/{answerable}",
            "p50": {s: percentile(v, 50) for s, v in per_stage.items()},
            "p95": {s: percentile(v, 95) for s, v in per_stage.items()}}


def synthetic_docs(n_chunks: int, size: int = 800):
    """(article id, title, passages) from the real bench text until n_chunks passages in all."""
    total = 0
    for article_id, text in interleaved_articles():
        parts = passages_of(text, size)[: n_chunks - total]
        if not parts:
            continue
        title = text.strip().split("\n", 1)[0][:110]
        yield article_id, title, parts
        total += len(parts)
        if total >= n_chunks:
            return


def build_synthetic(store, n_chunks: int, batch: int = 2000) -> dict:
    """Write n_chunks synthetic passages: vectors to Chroma in batches, then one catalogue
    transaction per document (the store's write order: vectors first, catalogue after)."""
    from vectorstore.catalogue import ChunkRow, DocRecord
    cat, index = store.catalogue, store.index
    boiler = cat.boilerplate()
    pending: list[tuple[DocRecord, list[ChunkRow]]] = []
    written = 0
    t0 = time.perf_counter()

    def flush() -> None:
        nonlocal written
        rows = [c for _d, cs in pending for c in cs]
        if not rows:
            return
        ids = [c.chunk_id for c in rows]
        metas = [{"doc_id": c.doc_id, "source": f"{c.doc_id}.txt", "kind": "text", "position": c.position}
                 for c in rows]
        index.upsert(ids, unit_vectors(ids), metas)
        for doc, chunks in pending:
            cat.replace_document(doc, chunks, [], set(), boiler, None, [])
        written += len(rows)
        pending.clear()
        print(f"  synthetic: {written} chunks, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)

    for article_id, title, parts in synthetic_docs(n_chunks):
        doc_id = "syn" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:13]
        chunks, pos = [], 0
        for i, text in enumerate(parts):
            chunks.append(ChunkRow(chunk_id=f"{doc_id}-{i:04d}", doc_id=doc_id, position=i, text=text,
                                   heading=title, start=pos, end=pos + len(text)))
            pos += len(text) + 1
        doc = DocRecord(doc_id=doc_id, source=f"{article_id}", path=f"synthetic:{article_id}",
                        content_hash=hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest(), title=title,
                        n_chunks=len(chunks), n_chars=pos)
        pending.append((doc, chunks))
        if sum(len(c) for _d, c in pending) >= batch:
            flush()
    flush()
    return {"chunks": written, "seconds": time.perf_counter() - t0}


def stage_table(results: dict[str, dict]) -> str:
    headers = ["stage (ms)"] + [f"{name} {p}" for name in results for p in ("p50", "p95")]
    rows = [[s] + [results[name][p][s] for name in results for p in ("p50", "p95")] for s in STAGES]
    return table(headers, rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="an existing seeds store to question (default: ingest the seeds into a temp store)")
    ap.add_argument("--synthetic", type=int, default=100000, help="chunks in the synthetic collection (0: skip it)")
    ap.add_argument("--keep", type=Path,
                    help="build the synthetic store in this folder and keep it; a later run with the same folder "
                         "and size questions it again without rebuilding")
    ap.add_argument("--repeat", type=int, default=3, help="times each question is asked (default 3)")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    args = ap.parse_args(argv)

    from assistant.service import Assistant
    from config import Settings
    questions = load_questions()
    results: dict[str, dict] = {}
    info: dict[str, dict] = {}
    with temp_dir("query") as tmp:
        cache = tmp / "embed-cache.sqlite3"
        if args.db:
            seeds = Assistant(Settings(data_dir=args.db, _env_file=None))
        else:
            seeds = Assistant(make_settings(tmp / "seeds", cache=cache))
            seeds.ingest([SEEDS])
        name = "seeds"
        with PeakSampler() as peak:
            results[name] = ask_all(seeds, questions, args.repeat)
        info[name] = {"chunks": seeds.stats()["chunks"], "disk_mb": dir_size_mb(seeds.settings.data_dir),
                      "rss_mb": rss_mb(), "peak_rss_mb": peak.peak}
        seeds.close()

        if args.synthetic:
            where = args.keep or tmp
            big = Assistant(make_settings(where / "synthetic", cache=where / "embed-cache.sqlite3"))
            if args.keep and big.stats()["chunks"] >= args.synthetic:
                report = big.ingest([SEEDS])  # unchanged: nothing written
                built = {"chunks": big.stats()["chunks"] - report.chunks_written, "seconds": float("nan")}
                build_peak = PeakSampler()
                print(f"  synthetic: reusing {where / 'synthetic'}", file=sys.stderr, flush=True)
            else:
                report = big.ingest([SEEDS])  # real passages first, so the seeds' boilerplate is what it is alone
                with PeakSampler() as build_peak:
                    built = build_synthetic(big.store, args.synthetic)
            name = f"{big.stats()['chunks']:,} chunks"
            with PeakSampler() as peak:
                results[name] = ask_all(big, questions, args.repeat)
            data = big.settings.data_dir
            info[name] = {"chunks": big.stats()["chunks"], "synthetic": built["chunks"],
                          "seeds_chunks": report.chunks_written, "build_s": built["seconds"],
                          "build_peak_rss_mb": build_peak.peak, "disk_mb": dir_size_mb(data),
                          "chroma_mb": dir_size_mb(data / "chroma"),
                          "catalogue_mb": sum(p.stat().st_size for p in data.glob("catalogue.sqlite3*")) / 2**20,
                          "rss_mb": rss_mb(), "peak_rss_mb": peak.peak}
            big.close()

    print(stage_table(results))
    print()
    print(table(["store", "chunks", "on disk MB", "RSS MB", "peak RSS MB (asking)", "expected source cited"],
                [[n, info[n]["chunks"], info[n]["disk_mb"], info[n]["rss_mb"], info[n]["peak_rss_mb"],
                  results[n]["expected_source_cited"]] for n in results]))
    for n, i in info.items():
        if "build_s" in i:
            print(f"\n{n}: synthetic {i['synthetic']:,} chunks written in {i['build_s']:.0f} s "
                  f"(peak RSS {i['build_peak_rss_mb']:.0f} MB); on disk: Chroma {i['chroma_mb']:.0f} MB, "
                  f"catalogue {i['catalogue_mb']:.0f} MB")
    print(f"questions: {len(questions)} × {args.repeat} per store after one warm-up · process ru_maxrss "
          f"{maxrss_mb():.0f} MB · VmHWM {hwm_mb():.0f} MB · load average {machine()['loadavg_1m']}")
    write_json(args.json, {"machine": machine(), "results": results, "stores": info, "repeat": args.repeat})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
