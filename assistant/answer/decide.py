"""Found or not found: one calibrated decision over general features of each candidate answer sentence.

Each candidate lead sentence gets a probability that it answers the question asked: a logistic model over
features that hold for any question — how well it covers the question's content words and word pairs, whether
it holds the asked slot (a person in the asked position, a number in the asked unit, a date, a duration …),
which of the question's constraints its evidence does not meet, where retrieval ranked its passage, and how it
stands against the other candidates. The lead is the most probable candidate; the answer is "found" only when
that probability reaches the threshold.

Weights, feature scaling and the threshold live in ``decision.json`` beside this file, written by
``eval/fit_decision.py`` from the training batches of written questions (eval/written/SPLIT.json); the threshold
is chosen there for the wrong-confident target. Nothing here is fitted by hand.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.answer.gate import fits  # the earlier hand gate, now one feature among the others
from assistant.understand.slots import holds_slot
from vntext import folded_form, tokens

WEIGHTS_FILE = Path(__file__).with_name("decision.json")
CANDIDATES = 12  # sentences, best-scored first, that may lead an answer
NAMED = ("place", "name", "year", "period", "quarter", "level")  # a level is a place's scope (understand/levels.py)
REFERENCES = ("document", "article", "clause", "law")
TYPED_ANSWERS = ("person", "date", "period", "position", "figure")

FEATURES = ("score", "base_score", "unmet_named", "unmet_ref", "unmet_other", "typed", "asks_typed",
            "coverage", "topic_coverage", "topic_bigram_share", "bigram_share", "slot_held", "slot_missing",
            "typed_missing", "passage_rank", "dense", "needs", "law", "terms")


def features(q: Any, s: Any, passage: Any) -> dict[str, float]:
    """The general features of one candidate sentence ``s`` (assistant/sentences.Sentence) of ``passage``."""
    kinds = [n.kind for n in s.unmet]
    slot = q.slot
    held = holds_slot(slot, _folded(s.text))
    return {
        "score": s.score,
        "base_score": s.base_score,
        "unmet_named": sum(k in NAMED for k in kinds),
        "unmet_ref": sum(k in REFERENCES for k in kinds),
        "unmet_other": sum(k not in NAMED + REFERENCES for k in kinds),
        "typed": float(bool(s.typed)),
        "asks_typed": float(q.answer_type in TYPED_ANSWERS),
        "coverage": s.coverage,
        "topic_coverage": s.topic_coverage,
        "topic_bigram_share": s.topic_bigram_share,
        "bigram_share": s.bigram_share,
        "slot_held": float(held is True),
        "slot_missing": float(held is False),
        # a person in a named position, a date or a period asked, and the sentence holds none
        "typed_missing": float(not s.typed and (q.answer_type in ("date", "period")
                                                or (q.answer_type == "person" and bool(q.role)))),
        "passage_rank": 1.0 / (1 + s.passage_index),
        "dense": 1.0 / passage.dense_rank if passage.dense_rank else 0.0,
        "needs": float(len(q.needs)),
        "law": float((passage.meta or {}).get("kind") == "law"),
        "terms": math.log(1 + len(q.terms)),
    }


@lru_cache(maxsize=8192)
def _folded(text: str) -> str:
    return folded_form(text)


@dataclass
class Model:
    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, feats: dict[str, float]) -> float:
        z = self.intercept + sum(c * (feats[n] - m) / s
                                 for n, m, s, c in zip(self.names, self.mean, self.scale, self.coef))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@lru_cache(maxsize=4)
def load_model(path: str = str(WEIGHTS_FILE)) -> Model:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Model(names=tuple(data["features"]), mean=tuple(data["mean"]), scale=tuple(data["scale"]),
                 coef=tuple(data["coef"]), intercept=float(data["intercept"]), threshold=float(data["threshold"]))


@dataclass
class Decision:
    lead: Any | None  # the sentence that answers, None when not found
    best: Any | None  # the best-scored candidate, found or not
    probability: float


def candidates(ranked: list[Any]) -> list[Any]:
    return ranked[:CANDIDATES]


QUESTION_FEATURES = FEATURES + ("second_gap", "second_same_doc", "candidates", "top_dense", "lexical",
                                 "fused", "rare_terms", "fits")
RARE_TERMS = 3  # the question's rarest content words (fewest retrieved sentences hold them)


def question_features(q: Any, cands: list[Any], passages: list[Any], ranked: list[Any] | None = None,
                      lead_index: int = 0) -> dict[str, float]:
    """The features of ``cands[lead_index]`` as the answer's lead, and how it stands against the best other
    candidate (a clear lead, or two documents disagreeing); ``ranked``: every scored sentence, to find the
    question's rarest words."""
    lead = cands[lead_index]
    p = passages[lead.passage_index]
    f = features(q, lead, p)
    others = [c for i, c in enumerate(cands) if i != lead_index]
    second = others[0] if others else None
    f["second_gap"] = lead.score - second.score if second else 1.0
    f["second_same_doc"] = float(second is not None and passages[second.passage_index].doc_id == p.doc_id)
    f["candidates"] = math.log(1 + len(cands))
    f["top_dense"] = float(p.dense_rank == 1)
    f["lexical"] = 1.0 / p.lexical_rank if p.lexical_rank else 0.0
    f["fused"] = p.score
    f["rare_terms"] = _rare_share(q, lead, ranked or cands, passages)
    f["fits"] = float(fits(q, lead))
    return f


def _rare_share(q: Any, lead: Any, ranked: list[Any], passages: list[Any]) -> float:
    """Share of the question's rarest content words (fewest retrieved sentences write them) that the lead's
    passage writes: a near miss often shares the common words and lacks the one that singles out the matter."""
    terms = [t for t in q.terms if len(t) > 1]
    if not terms:
        return 1.0
    df = {t: sum(1 for s in ranked if t in s.folded_tokens) for t in terms}
    rare = sorted(terms, key=lambda t: (df[t], terms.index(t)))[:RARE_TERMS]
    passage = set(_tokens(passages[lead.passage_index].text))
    return sum(t in passage for t in rare) / len(rare)


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(tokens(folded_form(text)))


LEADS = CANDIDATES  # any candidate may lead: the first (best-scored) that holds the asked slot and kind


def decide(q: Any, ranked: list[Any], passages: list[Any], model: Model | None = None,
           force: bool = False) -> Decision:
    """The lead is the best-scored of the first candidates that holds the asked slot; the answer is
    found when the model's probability that it is right reaches the threshold (``force``: the best-scored
    candidate leads, found whatever the probability — for fitting)."""
    cands = candidates(ranked)
    if not cands:
        return Decision(None, None, 0.0)
    if force:
        return Decision(cands[0], cands[0], 1.0)
    model = model or load_model()
    rows = [question_features(q, cands, passages, ranked, i) for i in range(min(LEADS, len(cands)))]
    # found means the asked slot is answered: a count is no percentage (assistant/understand/slots.py), a sentence without
    # a person does not say who holds a post; of the rest, one that holds the asked kind of value leads
    holding = [i for i, f in enumerate(rows) if not (f["slot_missing"] or f["typed_missing"])]
    if not holding:
        return Decision(None, cands[0], 0.0)
    i = next((i for i in holding if rows[i]["typed"]), holding[0])
    p = model.probability(rows[i])
    return Decision(cands[i] if p >= model.threshold else None, cands[i], p)
