"""Check and run the written speech-outline requests (issue 29, item 5).

    .venv/bin/python eval/outlines/run.py check                         # every record against the corpus
    PYTHONPATH=. .venv/bin/python eval/outlines/run.py train --db STORE    # scores per request, and every miss
    PYTHONPATH=. .venv/bin/python eval/outlines/run.py heldout --db STORE  # figures only

Each request was written by a separate writer briefed only with the corpus, a persona and the format
(``briefs/``); ``SPLIT.json`` puts writers on a side. Scores (assistant/speech/outline_eval.py, as ``danvan eval``):
found, every point sourced, cover rate of ``must_cover``, forbidden figures used, fragments. Held-out requests
print no request, id or outline: they are run without being read.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from written.check import norm  # noqa: E402  (NFC, case-folded: as danvan eval compares)

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "shared" / "corpus"
SPLIT = json.loads((HERE / "SPLIT.json").read_text(encoding="utf-8"))


def records(side: str) -> list[dict]:
    out = []
    for name in SPLIT[side]:
        for line in (HERE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


def check() -> int:
    """Every must_cover fact (or one alternative) is in one of the request's sources, at least 3 of them; every
    forbidden figure is written somewhere in the collection. Prints ids and reasons only."""
    texts = {f.name: norm(f.read_text(encoding="utf-8")) for f in CORPUS.glob("*/*.txt")}
    everything = "\n".join(texts.values())
    bad = 0
    for side in (k for k in SPLIT if not k.startswith("_")):
        for r in records(side):
            src = [texts.get(s) for s in r.get("sources", [])]
            if not src or None in src:
                print(r["id"], "unknown source"); bad += 1; continue
            for fact in r.get("must_cover", []):
                options = fact if isinstance(fact, list) else [fact]
                if not any(norm(o) in t for o in options for t in src):
                    print(r["id"], "must_cover not in its sources"); bad += 1
            for fig in r.get("forbidden", []):
                if norm(fig) not in everything:
                    print(r["id"], "forbidden figure not in the collection"); bad += 1
            if len(r.get("must_cover", [])) < 3:
                print(r["id"], "fewer than 3 facts to cover"); bad += 1
    print("OK" if not bad else f"{bad} problems")
    return 1 if bad else 0


def run(side: str, db: Path) -> dict:
    from assistant.evaluate import judge
    from assistant.speech.outline_eval import summarise_outlines
    from assistant.service import Assistant
    from config import Settings
    assistant = Assistant(Settings(data_dir=db))
    results = []
    for r in records(side):
        answer = assistant.ask(r["question"], mode="auto")
        results.append((r, answer, judge(r, answer, [])))
    scores = [res.outline for _, _, res in results]
    summary = {"requests": len(results), "passed": sum(res.passed for _, _, res in results),
               **summarise_outlines(scores),
               "not_found": sum(not s["found"] for s in scores),
               "outlines_with_forbidden": sum(bool(s["forbidden"]) for s in scores),
               "outlines_with_fragments": sum(bool(s["fragments"]) for s in scores),
               "cover_at_least_0.8": sum(s["cover"] >= 0.8 for s in scores)}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if side == "train":
        for r, answer, res in results:
            if not res.passed:
                print(f"\n[FAIL] {r['id']} {r['question']}\n   {'; '.join(res.reasons)}")
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("side", choices=["check"] + [k for k in SPLIT if not k.startswith("_")])
    ap.add_argument("--db", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if args.side == "check":
        return check()
    if not args.db:
        ap.error("--db is required")
    summary = run(args.side, args.db)
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
