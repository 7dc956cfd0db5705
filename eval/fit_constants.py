"""Fit the answering constants on the generated TRAINING split; report every split with the chosen values.

Retrieval (dense + lexical + index, fused) runs once per question; each candidate setting then re-runs only
rerank + compose, so a grid of settings costs seconds per setting, not a re-ingest. The objective rewards
right answers and refusals and punishes a confident wrong answer WRONG_WEIGHT times more, because that is
the failure the product promises never to make.

    PYTHONPATH=. .venv/bin/python eval/fit_constants.py --db STORE_DIR eval/generated-train.jsonl \
        [--heldout eval/generated-heldout.jsonl] [--extra ../shared/eval/questions.jsonl ...]

It prints the grid's best settings and the metrics of the current code's constants and of the best
setting on each set; it changes no file: copy the chosen values into the modules by hand, with the split
named beside each constant.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.answer import compose as compose_mod  # noqa: E402
from assistant.answer import gate  # noqa: E402
from assistant.speech.outline import build_outline  # noqa: E402
from assistant.understand import evidence, roles  # noqa: E402
from assistant.answer import sentences  # noqa: E402
from assistant.evaluate import judge, load_questions, summarise  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from config import Settings  # noqa: E402

WRONG_WEIGHT = 3.0  # a confident wrong answer costs three right ones

GRID: dict[str, list[Any]] = {
    "sentences.W_DENSE_RANK": [0.0, 0.15, 0.3, 0.5],
    "sentences.UNMET_PENALTY": [0.3, 0.5, 1.0],
    "gate.MIN_SCORE": [0.6, 0.7, 0.8, 0.9],
    "gate.TOPIC_MIN": [0.2, 0.3, 0.4],
    "scope.year": [evidence.HEADER, evidence.DOCUMENT],
    "scope.name": [evidence.HEADER, evidence.DOCUMENT],
    "scope.body": [evidence.PASSAGE, evidence.HEADER, evidence.DOCUMENT],
    "roles.ROLE_GAP": [0, 1, 2, 3],
    "roles.PARENT_WINDOW": [2, 4, 6],
    "roles.BODY_MAX_WORDS": [2, 3, 4, 5],
}
MODULES = {"sentences": sentences, "compose": compose_mod, "gate": gate, "roles": roles}


def apply(setting: dict[str, Any]) -> None:
    for key, value in setting.items():
        where, name = key.split(".", 1)
        if where == "scope":
            evidence.SCOPE[name] = value
        else:
            setattr(MODULES[where], name, value)


def current(grid: dict[str, list[Any]] = GRID) -> dict[str, Any]:
    out = {}
    for key in grid:
        where, name = key.split(".", 1)
        out[key] = evidence.SCOPE[name] if where == "scope" else getattr(MODULES[where], name)
    return out


class Cached:
    """Each question's understanding and fused candidates, retrieved once."""

    def __init__(self, assistant: Assistant, items: list[dict[str, Any]]):
        self.rows = []
        for item in items:  # the service's own pipeline (named documents expanded), as `danvan eval` runs it
            r = assistant.pipeline(item["question"])
            self.rows.append((item, r.q, r.passages, r.doc_texts))

    def run(self) -> dict[str, Any]:
        results = []
        for item, q, passages, doc_texts in self.rows:
            ordered = sentences.rerank(q, passages, doc_texts)
            answer = (build_outline(q, ordered, doc_texts) if q.mode == "talking_points"  # as the service does
                      else compose_mod.compose(q, ordered, doc_texts, q.mode))
            results.append(judge(item, answer, ordered))
        totals = summarise(results)
        totals["objective"] = objective(totals)
        return totals


def objective(t: dict[str, Any]) -> float:
    answered = t["fact_accuracy"]
    refused = t["refusal_rate"] or 0.0
    return round(answered + refused - WRONG_WEIGHT * t["wrong_confident"], 4)


def fit(cache: Cached, grid: dict[str, list[Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Coordinate descent over the grid (each constant in turn, twice): far fewer runs than the full product."""
    best = current(grid)
    apply(best)
    best_totals = cache.run()
    for _ in range(2):
        for key, values in grid.items():
            for value in values:
                trial = {**best, key: value}
                apply(trial)
                totals = cache.run()
                if totals["objective"] > best_totals["objective"]:
                    best, best_totals = trial, totals
            apply(best)
    return best, best_totals


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("train")
    ap.add_argument("--db", required=True)
    ap.add_argument("--heldout")
    ap.add_argument("--extra", nargs="*", default=[])
    ap.add_argument("--only", nargs="*", default=[], help="fit only the grid keys starting with these prefixes")
    args = ap.parse_args()
    grid = {k: v for k, v in GRID.items() if not args.only or k.startswith(tuple(args.only))}
    assistant = Assistant(Settings(data_dir=Path(args.db), _env_file=None))
    t = time.perf_counter()
    train = Cached(assistant, [i for i in load_questions(Path(args.train)) if i.get("split", "train") == "train"])
    print(f"retrieved {len(train.rows)} training questions in {time.perf_counter() - t:.0f} s", flush=True)
    before = current(grid)
    apply(before)
    base = train.run()
    best, best_totals = fit(train, grid)
    report = {"current": before, "current_train": base, "best": best, "best_train": best_totals}
    for path in ([args.heldout] if args.heldout else []) + args.extra:
        items = [i for i in load_questions(Path(path)) if i.get("split", "heldout") != "train"]
        cache = Cached(assistant, items)
        apply(before)
        report[f"current:{Path(path).name}"] = cache.run()
        apply(best)
        report[f"best:{Path(path).name}"] = cache.run()
    keys = ("questions", "passed", "fact_accuracy", "refusal_rate", "wrong_confident", "source_recall@1",
            "answer_passage_recall@1", "objective")
    for name, value in report.items():
        if isinstance(value, dict) and "objective" in value:
            print(name, {k: value[k] for k in keys})
        else:
            print(name, json.dumps(value))


if __name__ == "__main__":
    main()
