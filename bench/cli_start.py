"""Wall time of one `danvan ask` (a fresh process: imports, opening the store, the question) for this tree
beside a baseline commit, in one run, on copies of the same store.

    .venv/bin/python bench/cli_start.py --db /work/stores/seeds --baseline ef48902 --runs 5

The baseline is checked out into a temporary git worktree; each tree gets its own copy of the store (opening
Chroma writes into its directory, so the given store is never opened). Every run asks every question once in
each tree, the two trees alternating, so they share the machine's load alike. Prints, per question and over
all, the median wall time and the median CPU time (user + system, which load inflates less) of each tree,
with the machine's load average before and after and its core count. Both trees' outputs are compared too.

Compiled bytecode is kept (in a temporary PYTHONPYCACHEPREFIX, whatever PYTHONDONTWRITEBYTECODE says), as an
installed package has it: the untimed first question of each tree writes it.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = ["Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?",
             "Chỉ thị số 20-CT/ThU là của cơ quan nào và về nội dung gì?",
             "Tỉnh Quảng Ninh có bao nhiêu mô hình dân vận khéo được công nhận năm 2023?"]


def ask_once(tree: Path, db: Path, question: str, pycache: Path) -> tuple[float, float, str]:
    """(wall s, CPU s, stdout) of `danvan ask QUESTION --db DB` run from ``tree`` in a fresh process."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPATH": str(tree), "PYTHONPYCACHEPREFIX": str(pycache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "ui.cli", "ask", question, "--db", str(db)], cwd=tree, env=env,
                         capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"danvan ask failed in {tree}:\n{out.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="the store (copied, never opened itself)")
    ap.add_argument("--baseline", default="ef48902", help="commit to compare with")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--question", action="append", help="ask these instead of the three default questions")
    args = ap.parse_args()
    questions = args.question or QUESTIONS
    with tempfile.TemporaryDirectory(prefix="cli_start-") as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(base), args.baseline],
                       check=True, capture_output=True)
        try:
            trees = {"baseline": base, "this tree": REPO}
            stores = {name: Path(tmp) / f"store-{i}" for i, name in enumerate(trees)}
            caches = {name: Path(tmp) / f"pycache-{i}" for i, name in enumerate(trees)}
            for name in trees:
                shutil.copytree(args.db, stores[name])
            for name, tree in trees.items():  # once each, untimed: .pyc files written, Chroma's log applied
                ask_once(tree, stores[name], questions[0], caches[name])
            times = {(name, q): [] for name in trees for q in questions}
            outputs = {name: {} for name in trees}
            load_before = os.getloadavg()
            for _ in range(args.runs):
                for q in questions:
                    for name, tree in trees.items():
                        wall, cpu, text = ask_once(tree, stores[name], q, caches[name])
                        times[name, q].append((wall, cpu))
                        outputs[name][q] = text
            load_after = os.getloadavg()
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)], capture_output=True)
    _report(times, trees, questions, args, load_before, load_after, outputs)


def _median(pairs: list[tuple[float, float]], i: int) -> float:
    return statistics.median(p[i] for p in pairs)


def _report(times, trees, questions, args, load_before, load_after, outputs) -> None:
    print(f"`danvan ask --db {args.db}` (a copy), {args.runs} runs per question per tree, interleaved; "
          f"{os.cpu_count()} cores; load average before {load_before[0]:.2f} / {load_before[1]:.2f} / "
          f"{load_before[2]:.2f}, after {load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f}")
    names = list(trees)
    print(f"{'question':50} " + " ".join(f"{n + ' wall':>15} {n + ' CPU':>15}" for n in names))
    for q in questions:
        print(f"{q[:50]:50} " + " ".join(f"{_median(times[n, q], 0):14.3f}s {_median(times[n, q], 1):14.3f}s"
                                          for n in names))
    every = {n: [p for q in questions for p in times[n, q]] for n in names}
    print(f"{'all (median)':50} " + " ".join(f"{_median(every[n], 0):14.3f}s {_median(every[n], 1):14.3f}s"
                                              for n in names))
    same = all(outputs[names[0]][q] == outputs[n][q] for n in names for q in questions)
    print(f"baseline {args.baseline}: the same output for every question: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
