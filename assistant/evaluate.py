"""`danvan eval`: run a question set (format of ../shared/eval/questions.jsonl) and measure.

Per question: pass/fail; totals: source recall@k, answer-passage recall@k, fact accuracy on answerable
questions, the refusal rate on unanswerable ones, and **wrong-confident** — the share of questions answered
with found = true but wrong (another year's figure, an unanswerable answered): the figure that matters most.
Latency p50/p95. A set may carry a ``split`` field (train / heldout) and a ``style``; ``--split`` keeps one.
"""
from __future__ import annotations

import json
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.service import Assistant

KS = (1, 3, 5)
OUTLINE_COVER_MIN = 0.8  # issue 29: an outline passes when it covers this share of what it must


def _norm(s: str) -> str:
    return unicodedata.normalize("NFC", s).casefold()


def contains_all(text: str, needles: list[str]) -> bool:
    t = _norm(text)
    return all(_norm(n) in t for n in needles)


def contains_any(text: str, needles: list[str]) -> bool:
    t = _norm(text)
    return not needles or any(_norm(n) in t for n in needles)


@dataclass
class QuestionResult:
    id: str
    kind: str
    question: str
    passed: bool
    found: bool
    reasons: list[str] = field(default_factory=list)
    source_rank: int | None = None  # rank of the first expected source among retrieved passages
    passage_rank: int | None = None  # rank of the first passage holding every must_include
    latency_ms: float = 0.0
    answer: str = ""
    cited_sources: list[str] = field(default_factory=list)
    has_must: bool = False
    style: str = ""
    wrong_confident: bool = False  # found = true, but the answer is wrong or the question unanswerable
    outline: dict[str, Any] | None = None  # an outline item's scores (assistant/speech/outline_eval.py)


def load_questions(path: Path) -> list[dict[str, Any]]:
    out = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines()):
        if line.strip():
            item = json.loads(line)
            item.setdefault("id", f"q{i + 1}")
            out.append(item)
    return out


def evaluate_one(assistant: Assistant, item: dict[str, Any], k: int = 10) -> QuestionResult:
    t = time.perf_counter()
    answer = assistant.ask(item["question"], mode="auto")
    latency = (time.perf_counter() - t) * 1000
    return judge(item, answer, assistant.retrieve(item["question"], k=k), latency)


def judge(item: dict[str, Any], answer: Any, passages: list[Any], latency: float = 0.0) -> QuestionResult:
    """Score one answer against its expected sources and strings (also used by eval/fit_constants.py)."""
    kind = item.get("kind", "qa")
    question = item["question"]
    sources = item.get("sources", [])
    must = item.get("must_include", [])
    any_of = item.get("any_of", [])
    res = QuestionResult(id=item["id"], kind=kind, question=question, passed=True, found=answer.found,
                         latency_ms=latency, answer=answer.answer,
                         cited_sources=[c.source for c in answer.citations], has_must=bool(must),
                         style=item.get("style", ""))
    for rank, p in enumerate(passages, 1):
        if res.source_rank is None and p.source in sources:
            res.source_rank = rank
        if res.passage_rank is None and must and contains_all(p.text, must):
            res.passage_rank = rank
    if kind == "unanswerable":
        if answer.found:
            res.passed = False
            res.wrong_confident = True
            res.reasons.append("trả lời câu không có trong tài liệu")
        return res
    if kind == "outline":  # a speech outline: cover, sources, forbidden figures, fragments
        from assistant.speech.outline_eval import score_outline
        res.outline = score_outline(item, answer)
        res.reasons += res.outline["reasons"]
        res.passed = not res.reasons and res.outline["cover"] >= OUTLINE_COVER_MIN
        if res.outline["cover"] < OUTLINE_COVER_MIN:
            res.reasons.append(f"dàn ý: thiếu {res.outline['missing']} (must_cover)")
        res.wrong_confident = answer.found and bool(res.outline["forbidden"])
        return res
    if not answer.found:
        res.passed = False
        res.reasons.append("không tìm thấy")
    if not contains_all(answer.answer, must):
        res.passed = False
        res.reasons.append(f"thiếu {must} (must_include)")
    if not contains_any(answer.answer, any_of):
        res.passed = False
        res.reasons.append(f"không có ý nào trong {any_of} (any_of)")
    if sources and not set(res.cited_sources) & set(sources):
        res.passed = False
        res.reasons.append(f"không trích dẫn nguồn mong đợi {sources}")
    need = int(item.get("min_citations", 1))
    if len(answer.citations) < need:
        res.passed = False
        res.reasons.append(f"{len(answer.citations)} trích dẫn < {need}")
    res.wrong_confident = answer.found and not res.passed
    return res


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    idx = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[idx]


def summarise(results: list[QuestionResult]) -> dict[str, Any]:
    answerable = [r for r in results if r.kind != "unanswerable"]
    unans = [r for r in results if r.kind == "unanswerable"]
    lat = [r.latency_ms for r in results]
    out: dict[str, Any] = {"questions": len(results), "passed": sum(r.passed for r in results)}
    for k in KS:
        out[f"source_recall@{k}"] = _ratio(sum(1 for r in answerable if r.source_rank and r.source_rank <= k),
                                           len(answerable))
    must_items = [r for r in answerable if r.has_must]
    for k in KS:
        out[f"answer_passage_recall@{k}"] = _ratio(
            sum(1 for r in must_items if r.passage_rank and r.passage_rank <= k), len(must_items))
    out["fact_accuracy"] = _ratio(sum(1 for r in answerable if not any("must_include" in x or "any_of" in x
                                                                       for x in r.reasons)), len(answerable))
    out["unanswerable_correct"] = _ratio(sum(1 for r in unans if r.passed), len(unans)) if unans else None
    out["refusal_rate"] = out["unanswerable_correct"]
    out["answered_rate"] = _ratio(sum(1 for r in answerable if r.found), len(answerable))
    out["wrong_confident"] = _ratio(sum(1 for r in results if r.wrong_confident), len(results))
    from assistant.speech.outline_eval import summarise_outlines
    out.update(summarise_outlines([r.outline for r in results if r.outline is not None]))
    out["latency_ms_p50"] = round(percentile(lat, 50), 1)
    out["latency_ms_p95"] = round(percentile(lat, 95), 1)
    return out


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def by_style(results: list[QuestionResult]) -> dict[str, dict[str, Any]]:
    """Pass rate and wrong-confident count per question style."""
    out: dict[str, dict[str, Any]] = {}
    for r in results:
        row = out.setdefault(r.style or "-", {"n": 0, "passed": 0, "wrong_confident": 0})
        row["n"] += 1
        row["passed"] += r.passed
        row["wrong_confident"] += r.wrong_confident
    return out


def run_eval(assistant: Assistant, path: Path, split: str | None = None) -> tuple[list[QuestionResult], dict[str, Any]]:
    items = [i for i in load_questions(path) if not split or i.get("split") == split]
    results = [evaluate_one(assistant, item) for item in items]
    return results, summarise(results)
