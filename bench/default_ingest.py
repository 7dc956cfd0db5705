"""The default ingest (two-phase) beside the old one (`danvan ingest --no-two-phase`), in one run.

On the office collection (../shared/corpus seeds + law + news), each path into its own fresh store with its
own embedding cache (empty unless ``--cache`` names one to copy, then the model's time is not measured):
* default: static vectors written → **searchable**; then the e5 refinement in the foreground, as
  `danvan ingest` does → **fully refined**;
* old path: e5 vectors during the ingest → searchable and fully refined at the same moment.
Then every question of ../shared/eval (questions, field, realistic-dev) is asked of both stores: the answer
text and the cited passages must be equal once refined. Also checked: right after the static phase a seed
question already finds its source document.

    .venv/bin/python bench/default_ingest.py --json /tmp/default-ingest.json
    .venv/bin/python bench/default_ingest.py --cache /path/office-embed-cache.sqlite3   # pipeline only
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import CORPUS, SHARED, machine, make_settings, table, temp_dir, write_json  # noqa: E402

OFFICE = [CORPUS / "seeds", CORPUS / "law", CORPUS / "news"]
EVAL_SETS = [SHARED / "eval" / n for n in ("questions.jsonl", "field.jsonl", "realistic-dev.jsonl")]


def _questions() -> list[tuple[str, dict]]:
    out = []
    for path in EVAL_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                out.append((f"{path.stem}:{item.get('id', len(out))}", item))
    return out


def _assistant(db: Path, cache: Path, two_phase: bool):
    from assistant.service import Assistant
    return Assistant(make_settings(db, cache=cache).model_copy(update={"two_phase": two_phase}))


def _answers(a, questions) -> dict[str, tuple[str, list[str]]]:
    out = {}
    for qid, item in questions:
        ans = a.ask(item["question"])
        out[qid] = (ans.answer, [c.chunk_id for c in ans.citations])
    return out


def _first_seed_found(a, questions) -> bool:
    """A seed question with an expected source: is that source cited (the store is searchable)?"""
    qid, item = next((q, it) for q, it in questions if q.startswith("questions:") and it.get("sources"))
    ans = a.ask(item["question"])
    return bool({c.source for c in ans.citations} & set(item["sources"])) or \
        any(s in (c.source or "") for c in ans.citations for s in item["sources"])


def run(work: Path, cache: Path | None, paths: list[Path] = OFFICE) -> dict:
    questions = _questions()
    out: dict = {"machine": machine(), "questions": len(questions), "cache": bool(cache)}

    def fresh_cache(name: str) -> Path:
        dest = work / f"{name}-cache.sqlite3"
        if cache:
            shutil.copyfile(cache, dest)
        return dest

    a = _assistant(work / "default", fresh_cache("default"), True)
    a.store.warm_up()  # the model and the static table loaded before timing (the app does it at start)
    a.store.static_embeddings.embed_query("khởi động")
    t0 = time.perf_counter()
    rep = a.ingest(paths)
    searchable = time.perf_counter() - t0
    waiting = a.refine_status()["unrefined"]
    found = _first_seed_found(a, questions)
    print(f"default: {rep.chunks_written} passages searchable after {searchable:.1f} s ({waiting} waiting)",
          file=sys.stderr, flush=True)
    t1 = time.perf_counter()
    ref = a.refine()
    refined = searchable + (time.perf_counter() - t1)
    print(f"default: fully refined after {refined:.1f} s", file=sys.stderr, flush=True)
    out["default"] = {"passages": rep.chunks_written, "documents": len(rep.added), "searchable_s": searchable,
                      "waiting_after_ingest": waiting, "seed_question_found_before_refine": found,
                      "refined_s": refined, "refine_s": ref.seconds, "remaining": ref.remaining}
    ans_default = _answers(a, questions)
    a.close()

    b = _assistant(work / "old", fresh_cache("old"), False)
    b.store.warm_up()
    t0 = time.perf_counter()
    rep = b.ingest(paths)
    old = time.perf_counter() - t0
    print(f"old path: {rep.chunks_written} passages searchable and refined after {old:.1f} s",
          file=sys.stderr, flush=True)
    out["old"] = {"passages": rep.chunks_written, "searchable_s": old, "refined_s": old}
    ans_old = _answers(b, questions)
    b.close()

    same_text = sum(ans_default[q][0] == ans_old[q][0] for q in ans_old)
    same_cited = sum(ans_default[q][1] == ans_old[q][1] for q in ans_old)
    out["answers_equal"] = f"{same_text}/{len(ans_old)}"
    out["citations_equal"] = f"{same_cited}/{len(ans_old)}"
    out["differing"] = [q for q in ans_old if ans_default[q] != ans_old[q]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=None, help="an embedding cache holding the office e5 vectors")
    ap.add_argument("--paths", type=Path, nargs="+", default=OFFICE, help="another collection (a quick check)")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    with temp_dir("default-ingest") as work:
        res = run(work, args.cache, args.paths)
    d, o = res["default"], res["old"]
    print(table(["path", "passages", "searchable after s", "fully refined after s"],
                [["default (two-phase)", d["passages"], d["searchable_s"], d["refined_s"]],
                 ["--no-two-phase", o["passages"], o["searchable_s"], o["refined_s"]]]))
    print(f"answers equal once refined: {res['answers_equal']} (cited passages {res['citations_equal']}); "
          f"seed question found before refinement: {d['seed_question_found_before_refine']}")
    write_json(args.json, res)


if __name__ == "__main__":
    main()
