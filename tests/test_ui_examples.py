"""The UI's example questions are not the evaluation's questions (an example that is an eval question would
let a demo look better than the product is)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from vntext import folded_form, tokens
from ui.chat import EXAMPLES

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
MAX_OVERLAP = 0.6  # share of an example's words that one eval question may also have


def _eval_questions() -> list[str]:
    files = sorted(EVAL.glob("*.jsonl"))
    if not files:
        if os.environ.get("CI") == "true":
            pytest.fail(f"evaluation questions missing in CI: {EVAL}")
        pytest.skip("../shared/eval not present")
    return [json.loads(line)["question"] for f in files for line in f.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _words(text: str) -> set[str]:
    return set(tokens(folded_form(text)))


def test_examples_are_not_eval_questions():
    questions = _eval_questions()
    assert len(EXAMPLES) >= 3
    for example in EXAMPLES:
        ew = _words(example)
        for q in questions:
            assert folded_form(example) != folded_form(q), example
            overlap = len(ew & _words(q)) / len(ew)
            assert overlap <= MAX_OVERLAP, (example, q, round(overlap, 2))
