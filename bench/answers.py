"""Answer quality and ask latency of this tree beside a baseline commit, on the same store, in one run.

    .venv/bin/python bench/answers.py --db STORE --baseline 793b3f1 \
        eval/generated-heldout.jsonl ../shared/eval/questions.jsonl ../shared/eval/field.jsonl

The baseline is checked out into a temporary git worktree and run with the same interpreter and the same
store (the store's schema only grows, so older code reads it). Each tree answers each set through
``danvan eval --json`` in its own process, one after the other, so they share the machine's load alike.
Prints one row per (set, tree): pass, fact accuracy, refusal rate, wrong-confident, source@1,
answer-passage@1, ask p50/p95.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COLUMNS = ("passed", "fact_accuracy", "refusal_rate", "wrong_confident", "source_recall@1",
           "answer_passage_recall@1", "latency_ms_p50", "latency_ms_p95")


def run_eval(tree: Path, path: Path, db: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "DANVAN_DATA_DIR": str(db)}
    cmd = [sys.executable, "-m", "assistant.cli", "eval", str(path), "--db", str(db), "--json"]
    out = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=3600)
    text = out.stdout[out.stdout.index("{"):] if "{" in out.stdout else ""
    if not text:
        raise SystemExit(f"eval failed in {tree}: {out.stderr[-2000:]}")
    totals = json.loads(text)["totals"]
    totals.setdefault("refusal_rate", totals.get("unanswerable_correct"))
    totals.setdefault("wrong_confident", None)
    return totals


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="+", type=Path)
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--baseline", default="793b3f1", help="git commit to compare with")
    ap.add_argument("--split", default=None, help="run only this split of sets that have one (heldout)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.baseline], cwd=REPO, check=True,
                       capture_output=True)
        try:
            print("| set | tree | " + " | ".join(COLUMNS) + " |")
            print("|---|---|" + "---|" * len(COLUMNS))
            for path in args.sets:
                path = path.resolve()
                if args.split:  # the baseline's eval knows no --split: give both trees the same subset
                    rows = [ln for ln in path.read_text(encoding="utf-8").splitlines()
                            if ln.strip() and json.loads(ln).get("split", args.split) == args.split]
                    subset = Path(tmp) / path.name
                    subset.write_text("\n".join(rows) + "\n", encoding="utf-8")
                    path = subset
                for name, tree in (("baseline " + args.baseline, base), ("this tree", REPO)):
                    t = run_eval(tree, path, args.db.resolve())
                    cells = [f"{t.get(c)}" for c in COLUMNS]
                    cells[0] = f"{t['passed']}/{t['questions']}"
                    print(f"| {path.name} | {name} | " + " | ".join(cells) + " |", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=REPO, capture_output=True)


if __name__ == "__main__":
    main()
