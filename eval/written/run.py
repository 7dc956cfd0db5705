"""Run written question batches (issue 25) and report the four figures per batch and per style.

    PYTHONPATH=. .venv/bin/python eval/written/run.py --db STORE train      # training batches, with details
    PYTHONPATH=. .venv/bin/python eval/written/run.py --db STORE heldout    # held-out: figures only
    PYTHONPATH=. .venv/bin/python eval/written/run.py --db STORE heldout_fresh    # batches 13-15, the same

Figures: answerable right (a not-found answer counts as wrong), false refusals (answerable, found false),
unanswerables refused, wrong-confident (found true and wrong, over all questions). Held-out batches print no
question, id or answer: they are run once at the end and never read.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assistant.evaluate import judge, load_questions  # noqa: E402

HERE = Path(__file__).resolve().parent
SPLIT = json.loads((HERE / "SPLIT.json").read_text(encoding="utf-8"))


def batch_paths(side: str) -> list[Path]:
    out = []
    for name in SPLIT[side]:
        path = (HERE / name) if name.endswith(".jsonl") else HERE / f"{name}.jsonl"
        out.append(path.resolve())
    return out


def figures(rows: list[tuple[dict, object]]) -> dict[str, float | int]:
    """rows: (item, QuestionResult)."""
    ans = [r for i, r in rows if r.kind != "unanswerable"]
    una = [r for i, r in rows if r.kind == "unanswerable"]
    n = len(rows)
    return {"n": n, "answerable": len(ans), "unanswerable": len(una),
            "right": round(sum(r.passed for r in ans) / len(ans), 3) if ans else None,
            "false_refusal": round(sum(not r.found for r in ans) / len(ans), 3) if ans else None,
            "refused": round(sum(not r.found for r in una) / len(una), 3) if una else None,
            "wrong_confident": round(sum(r.wrong_confident for r in (x for _, x in rows)) / n, 3) if n else None}


def styles_of(item: dict) -> list[str]:
    style = item.get("style") or ["plain"]
    return [style] if isinstance(style, str) else list(style)


def twins(corpus: Path = HERE.parents[2] / "shared" / "corpus") -> dict[str, set[str]]:
    """File name → the names of byte-identical files (ingest keeps one of each, so either may be cited)."""
    by_hash: dict[str, set[str]] = defaultdict(set)
    for f in corpus.glob("*/*.txt"):
        by_hash[hashlib.sha1(f.read_bytes()).hexdigest()].add(f.name)
    return {name: names for names in by_hash.values() for name in names}


def with_twins(item: dict, same: dict[str, set[str]]) -> dict:
    sources = list(item.get("sources") or [])
    return {**item, "sources": sources + sorted({t for s in sources for t in same.get(s, ())} - set(sources))}


def run(assistant, paths: list[Path]) -> dict[str, list[tuple[dict, object]]]:
    out: dict[str, list[tuple[dict, object]]] = {}
    same = twins()
    for path in paths:
        rows = []
        for item in (with_twins(i, same) for i in load_questions(path)):
            answer = assistant.ask(item["question"], mode="auto")
            rows.append((item, judge(item, answer, [])))
        out[path.stem] = rows
    return out


def report(results: dict[str, list[tuple[dict, object]]], details: bool) -> dict:
    everything = [row for rows in results.values() for row in rows]
    per_style: dict[str, list] = defaultdict(list)
    for item, r in everything:
        for s in styles_of(item):
            per_style[s].append((item, r))
    summary = {"all": figures(everything), "batches": {b: figures(rows) for b, rows in results.items()},
               "styles": {s: figures(rows) for s, rows in sorted(per_style.items())}}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if details:
        for b, rows in results.items():
            for item, r in rows:
                if not r.passed:
                    kind = "WRONG" if r.wrong_confident else ("REFUSED" if item.get("kind") != "unanswerable" else "?")
                    print(f"\n[{kind}] {r.id} ({','.join(styles_of(item))}) {item['question']}")
                    print("   want:", item.get("must_include"), item.get("any_of") or "", item.get("swap") or "")
                    print("   got :", " ".join(r.answer.split())[:400])
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("side", choices=[k for k in SPLIT if not k.startswith("_")])
    ap.add_argument("--db", required=True)
    ap.add_argument("--only", nargs="*", help="batch names (training side only)")
    ap.add_argument("--json", type=Path, help="write the summary here")
    args = ap.parse_args(argv)
    from assistant.service import Assistant
    from config import Settings
    paths = batch_paths(args.side)
    if args.only:
        if args.side != "train":
            ap.error("--only is for the training side")
        paths = [p for p in paths if p.stem in args.only]
    assistant = Assistant(Settings(data_dir=Path(args.db)))
    summary = report(run(assistant, paths), details=args.side == "train")
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
