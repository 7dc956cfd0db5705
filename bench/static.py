"""Two-phase ingest, side by side: static-only, refined and e5-only stores on one collection.

Per collection (``--office``: seeds + law + news; ``--scale N``: N passages written from
../shared/corpus/bench as bench/scale.py does):
* static phase: time until searchable (two-phase ingest, no model), passages/s;
* quality of the static-only store on each eval set (fact accuracy, source@1, answer-passage@1) and its
  ask latency; at ``--scale``: "own document cited" for questions made of corpus words (bench/scale.py's);
* ``--refine``: time until fully refined, then the same measures on the refined store;
* ``--e5``: an e5-only store (ingest as today) — the same measures, and how many answers of the
  refined store equal the e5 store's.
With ``--cache`` an embedding cache already holding the collection's e5 vectors, refinement and the
e5 store cost no model time (their times are then of the pipeline; the model's own rate is in README).

    .venv/bin/python bench/static.py --office --refine --e5 --cache /tmp/office-cache.sqlite3 --json out.json
    .venv/bin/python bench/static.py --scale 10000
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (CORPUS, SHARED, corpus_questions, make_settings, percentile, table,  # noqa: E402
                          temp_dir, write_json, write_scale_corpus)

EVAL_SETS = [SHARED / "eval" / "questions.jsonl", SHARED / "eval" / "field.jsonl"]
OFFICE = [CORPUS / "seeds", CORPUS / "law", CORPUS / "news"]
CORPUS_QUESTIONS = 20  # as bench/scale.py


def _assistant(db: Path, cache: Path, two_phase: bool):
    from assistant.service import Assistant
    settings = make_settings(db, cache=cache).model_copy(update={"two_phase": two_phase})
    return Assistant(settings)


def present_only(eval_sets: list[Path], paths: list[Path], work: Path) -> list[Path]:
    """The eval sets cut to the questions the collection can answer (an expected source in it) and
    the unanswerable ones: for a collection smaller than the office one (``--paths``)."""
    import json
    names = {f.name for p in paths for f in (p.rglob("*") if p.is_dir() else [p])}
    out = []
    for path in eval_sets:
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        keep = [it for it in items if not it.get("sources") or set(it["sources"]) & names]
        dest = work / f"{path.stem}-present.jsonl"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text("".join(json.dumps(it, ensure_ascii=False) + "\n" for it in keep), encoding="utf-8")
        out.append(dest)
    return out


def _quality(a, eval_sets: list[Path]) -> dict:
    from assistant.evaluate import run_eval
    out = {}
    for path in eval_sets:
        results, summary = run_eval(a, path)
        out[path.stem] = {"n": summary["questions"], "fact": summary["fact_accuracy"],
                          "source@1": summary["source_recall@1"], "passage@1": summary["answer_passage_recall@1"],
                          "refused": summary.get("refusal_rate"), "wrong_confident": summary.get("wrong_confident"),
                          "p50_ms": summary["latency_ms_p50"], "answers": {r.id: r.answer for r in results}}
    return out


def _own_doc(a) -> dict:
    rows = a.store.catalogue.db.execute("SELECT chunk_id, text, doc_id FROM chunks ORDER BY chunk_id").fetchall()
    doc_of = {cid: doc for cid, _t, doc in rows}
    questions = corpus_questions([(cid, text) for cid, text, _d in rows], CORPUS_QUESTIONS)
    a.ask(questions[0][0])
    lat, own = [], 0
    for q, cid in questions:
        t = time.perf_counter()
        ans = a.ask(q)
        lat.append((time.perf_counter() - t) * 1000)
        own += doc_of[cid] in {c.doc_id for c in ans.citations}
    return {"own_doc_cited": f"{own}/{len(questions)}", "p50_ms": percentile(lat, 50)}


def run(paths: list[Path], work: Path, cache: Path, eval_sets: list[Path], refine: bool, e5: bool,
        corpus_qs: bool) -> dict:
    out: dict = {}
    a = _assistant(work / "db-two-phase", cache, True)
    a.store.static_embeddings.embed_query("khởi động")  # load the table before timing (≈0.3 s)
    cpu = time.process_time()
    rep = a.ingest(paths)
    cpu = time.process_time() - cpu  # all threads of this process: the wall time it needs on idle cores
    out["static"] = {"passages": rep.chunks_written, "documents": len(rep.added), "searchable_s": rep.seconds,
                     "cpu_s": cpu, "passages_per_s": rep.chunks_written / rep.seconds}
    print(f"static: {rep.chunks_written} passages searchable in {rep.seconds:.1f} s ({cpu:.1f} s CPU)",
          file=sys.stderr, flush=True)
    out["static"]["quality"] = _quality(a, eval_sets)
    if corpus_qs:
        out["static"]["corpus_questions"] = _own_doc(a)
    if refine:
        r = a.refine()
        out["refined"] = {"refine_s": r.seconds, "embed_s": r.embed_seconds, "refined": r.refined,
                          "quality": _quality(a, eval_sets)}
        print(f"refined {r.refined} in {r.seconds:.1f} s", file=sys.stderr, flush=True)
    a.close()
    if e5:
        b = _assistant(work / "db-e5", cache, False)
        rep = b.ingest(paths)
        out["e5"] = {"ingest_s": rep.seconds, "embed_s": rep.embed_seconds, "quality": _quality(b, eval_sets)}
        b.close()
        if refine:
            same = total = 0
            for name, q in out["e5"]["quality"].items():
                for qid, text in q["answers"].items():
                    total += 1
                    same += out["refined"]["quality"][name]["answers"].get(qid) == text
            out["refined_equals_e5"] = f"{same}/{total}"
    return out


def _rows(label: str, res: dict) -> list[list]:
    rows = []
    for store in ("static", "refined", "e5"):
        if store not in res:
            continue
        for name, q in res[store].get("quality", {}).items():
            rows.append([label, store, name, q["n"], q["fact"], q["source@1"], q["passage@1"],
                         "-" if q.get("refused") is None else q["refused"],
                         "-" if q.get("wrong_confident") is None else q["wrong_confident"], q["p50_ms"]])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--office", action="store_true")
    ap.add_argument("--paths", type=Path, nargs="+", default=None,
                    help="another collection (the eval sets are cut to the questions it can answer)")
    ap.add_argument("--scale", type=int, default=0)
    ap.add_argument("--refine", action="store_true")
    ap.add_argument("--e5", action="store_true")
    ap.add_argument("--cache", type=Path, default=None, help="embedding cache (e5 vectors) to reuse")
    ap.add_argument("--eval", type=Path, action="append", default=None, help="extra eval set(s)")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    eval_sets = EVAL_SETS + (args.eval or [])
    results: dict = {}
    with temp_dir("static") as work:
        cache = args.cache or work / "embed-cache.sqlite3"
        if args.office:
            results["office"] = run(OFFICE, work / "office", cache, eval_sets, args.refine, args.e5, False)
        if args.paths:
            sets = present_only(eval_sets, args.paths, work / "eval")
            results["paths"] = run(args.paths, work / "paths", cache, sets, args.refine, args.e5, False)
        if args.scale:
            corpus = work / f"corpus-{args.scale}"
            write_scale_corpus(corpus, args.scale, make_settings(work / "scratch"))
            results[f"scale-{args.scale}"] = run([corpus], work / f"scale-{args.scale}", cache, [],
                                                 args.refine, args.e5, True)
    speed = [[k, r["static"]["passages"], r["static"]["searchable_s"], r["static"]["cpu_s"], r["static"]["passages_per_s"],
              r.get("refined", {}).get("refine_s", "-"), r["static"].get("corpus_questions", {}).get("own_doc_cited", "-")]
             for k, r in results.items()]
    print(table(["collection", "passages", "searchable s", "CPU s", "passages/s", "refine s", "own doc cited (static)"], speed))
    rows = [row for k, r in results.items() for row in _rows(k, r)]
    if rows:
        print(table(["collection", "store", "eval", "n", "fact acc.", "source@1", "passage@1", "refused",
                     "wrong-confident", "ask p50 ms"], rows, 3))
    for k, r in results.items():
        if "refined_equals_e5" in r:
            print(f"{k}: refined answers equal to the e5 store's: {r['refined_equals_e5']}")
    write_json(args.json, results)


if __name__ == "__main__":
    main()
