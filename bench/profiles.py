"""The two storage profiles side by side at N passages: ingest time and ``ask`` p50/p95.

embedded: SQLite catalogue + embedded Chroma (today's default);
server:   PostgreSQL catalogue (a throw-away cluster, as tests start it) + a ``chroma run`` server.
Both ingest the same corpus (legal code and news alternately, bench.common.write_scale_corpus) through the
real pipeline with static vectors (``two_phase``: the e5 model would take an hour at 10k passages on two
cores and costs the same in both profiles), then answer the same questions built from the corpus
(6–10 consecutive words of a random passage) through ``Assistant.ask``, one at a time, after a warm-up.

    .venv/bin/python bench/profiles.py --passages 10000 --questions 100
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path[0:1] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]

from bench.common import (chroma_server, corpus_questions, make_settings, percentile, table,  # noqa: E402
                          temp_dir, write_scale_corpus)


def _measure(settings, corpus: Path, n_questions: int) -> list:
    from assistant.service import Assistant
    a = Assistant(settings)
    a.store.static_embeddings.embed_query("khởi động")
    t = time.perf_counter()
    report = a.ingest([corpus])
    ingest_s = time.perf_counter() - t
    cat = a.store.catalogue
    rows = [(c.chunk_id, c.text) for d in cat.documents() for c in cat.chunks_of(d.doc_id)]
    questions = corpus_questions(sorted(rows), n_questions)
    for q, _ in questions[:5]:
        a.ask(q)
    times, own = [], 0
    for q, cid in questions:
        t = time.perf_counter()
        ans = a.ask(q)
        times.append((time.perf_counter() - t) * 1000)
        own += any(c.chunk_id == cid for c in ans.citations)
    n = a.stats()["chunks"]
    a.close()
    return [n, len(report.added), ingest_s, percentile(times, 50), percentile(times, 95), own / len(questions)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--passages", type=int, default=10000)
    ap.add_argument("--questions", type=int, default=100)
    ap.add_argument("--profiles", default="embedded,server", help="which to run (comma-separated)")
    args = ap.parse_args()
    from pgcluster import PgCluster
    rows = []
    with temp_dir("profiles") as tmp:
        corpus = tmp / "corpus"
        info = write_scale_corpus(corpus, args.passages, make_settings(tmp / "probe"))
        print(f"corpus: {info['files']} files, {info['chunks']} passages")
        if "embedded" in args.profiles:
            embedded = make_settings(tmp / "embedded").model_copy(update={"two_phase": True})
            rows.append(["embedded (sqlite + chroma)", *_measure(embedded, corpus, args.questions)])
        if "server" in args.profiles:
            cluster = PgCluster()
            try:
                dsn = cluster.start()
                with chroma_server(tmp / "chroma-server") as (url, _proc):
                    server = make_settings(tmp / "server", chroma_url=url).model_copy(
                        update={"two_phase": True, "database_url": dsn})
                    rows.append(["server (postgres + chroma run)", *_measure(server, corpus, args.questions)])
            finally:
                cluster.stop()
    print(table(["profile", "passages", "files", "ingest s", "ask p50 ms", "ask p95 ms", "own passage cited"],
                rows, digits=2))


if __name__ == "__main__":
    main()
