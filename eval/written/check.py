"""Check written question batches against the corpus, without printing their questions.

Every answerable record's ``must_include`` / ``any_of`` / ``parts`` strings must be written in one of its
source files (NFC, case-insensitive, as ``danvan eval`` compares); an unanswerable's ``near_answer`` and
``swap.from`` must be in its source while ``swap.to`` is not (accent-folded), so the rest of the question is
present and the swapped value absent. Prints ids and reasons only, so held-out batches stay unread.

    python eval/written/check.py eval/written/batch-*.jsonl [--corpus ../shared/corpus]
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = {"qa", "lookup", "unanswerable"}


def norm(s: str) -> str:
    return unicodedata.normalize("NFC", s).casefold()


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", norm(s)).replace("đ", "d").replace("\u0111", "d")
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(s.split())


def corpus_texts(root: Path) -> dict[str, str]:
    out = {}
    for folder in ("seeds", "law", "news"):
        for f in sorted((root / folder).glob("*.txt")):
            out[f.name] = f.read_text(encoding="utf-8")
    return out


def check_record(rec: dict, texts: dict[str, str]) -> list[str]:
    problems = []
    for key in ("id", "kind", "question", "sources"):
        if key not in rec:
            problems.append(f"no field {key}")
    if problems:
        return problems
    if rec["kind"] not in KINDS:
        problems.append(f"kind {rec['kind']!r}")
    missing = [s for s in rec["sources"] if s not in texts]
    if missing or not rec["sources"]:
        problems.append("source not in the corpus")
        return problems
    sources = [norm(texts[s]) for s in rec["sources"]]
    if rec["kind"] == "unanswerable":
        swap = rec.get("swap") or {}
        to = swap.get("to") or ""
        if not to:
            problems.append("unanswerable without swap.to")
        elif swap.get("kind") != "absent_topic" and any(fold(to) in fold(t) for t in sources):
            problems.append("swap.to written in its source")
        # swap.from is often described rather than quoted ("điểm g", "546 hộ / gần 200 triệu đồng"): the
        # verbatim near_answer is what shows the rest of the question is present
        if not rec.get("near_answer") and swap.get("kind") != "absent_topic":
            problems.append("near-miss without near_answer")
        elif rec.get("near_answer") and not any(fold(rec["near_answer"]) in fold(t) for t in sources):
            problems.append("near_answer not in its source")
        return problems
    must = list(rec.get("must_include") or [])
    for part in rec.get("parts") or []:
        must += [m for m in part.get("must_include") or [] if m not in must]
    if not must and not rec.get("any_of"):
        problems.append("answerable without must_include/any_of")
    if not any(all(norm(m) in t for m in must) for t in sources):
        problems.append("must_include not written in one source")
    if rec.get("any_of") and not any(any(norm(a) in t for a in rec["any_of"]) for t in sources):
        problems.append("no any_of string in its sources")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("batches", nargs="+", type=Path)
    ap.add_argument("--corpus", type=Path, default=HERE.parents[2] / "shared" / "corpus")
    args = ap.parse_args(argv)
    texts = corpus_texts(args.corpus)
    bad = 0
    for path in args.batches:
        recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        kinds = Counter("unanswerable" if r.get("kind") == "unanswerable" else "answerable" for r in recs)
        styles = Counter(s for r in recs for s in r.get("style") or [])
        swaps = Counter((r.get("swap") or {}).get("kind") for r in recs if r.get("kind") == "unanswerable")
        docs = {s for r in recs for s in r.get("sources", [])}
        print(f"{path.name}: {len(recs)} records, {dict(kinds)}, {len(docs)} documents")
        print(f"  styles {dict(sorted(styles.items()))}")
        print(f"  swaps {dict(sorted((k or '-', v) for k, v in swaps.items()))}")
        for r in recs:
            for problem in check_record(r, texts):
                bad += 1
                print(f"  {r.get('id')}: {problem}")
    print("OK" if not bad else f"{bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
