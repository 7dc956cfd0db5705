"""Fit the found/not-found decision (assistant/answer/decide.py) on the TRAINING batches of written questions.

    PYTHONPATH=. .venv/bin/python eval/fit_decision.py --db STORE [--write] [--generated eval/generated-train.jsonl]

Each training question is retrieved once through the service's own pipeline; its best-scored sentences
(decide.CANDIDATES) become rows: the features of assistant/answer/decide.py, labelled 1 when the sentence is from an
expected source and holds every ``must_include`` (and one ``any_of``), else 0 (every candidate of an
unanswerable is 0). A logistic regression is fitted on the rows; leave-one-batch-out predictions give each
question's decision as it would be on a batch the model never saw, and the threshold is the one that maximises
right answers + refusals − WRONG_WEIGHT × wrong-confident on those predictions while keeping wrong-confident
at most WC_TARGET. ``--write`` stores weights, scaling and threshold in assistant/answer/decision.json.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from assistant.answer import decide  # noqa: E402
from assistant.evaluate import load_questions  # noqa: E402
from written.run import twins, with_twins  # noqa: E402

HERE = Path(__file__).resolve().parent
# Both errors count: answering costs WRONG_COST when the answer is wrong, refusing costs 1 when the answer
# would have been right. With calibrated probabilities p (logistic regression), answer iff
# WRONG_COST·(1 − p) < p, i.e. p ≥ WRONG_COST / (1 + WRONG_COST). 1.5 puts a wrong figure half again above a
# withheld right one; an objective that also rewards each refusal of an unanswerable question instead chose
# ≈ 0.8 and refused three answerable questions in four (README, «Found or not found»).
WRONG_COST = 1.5
C = 1.0  # inverse L2 strength of the logistic regression (sklearn's default; the CV below kept it)
GENERATED_WEIGHT = 1.0  # a generated question counts as much as a written one (the OOF check below kept it)


def training_items(generated: list[Path]) -> list[tuple[str, dict, float]]:
    """(group, item, weight): each written training batch is a group (eval/written/SPLIT.json)."""
    split = json.loads((HERE / "written" / "SPLIT.json").read_text(encoding="utf-8"))
    out = []
    for name in split["train"]:
        path = (HERE / "written" / name).resolve() if name.endswith(".jsonl") else HERE / "written" / f"{name}.jsonl"
        out += [(path.stem, item, 1.0) for item in load_questions(path) if item.get("kind") != "talking_points"]
    for path in generated:
        out += [(f"generated:{path.stem}", item, GENERATED_WEIGHT) for item in load_questions(path)
                if item.get("split", "train") == "train"]
    return out


def rows_of(assistant, items):
    """One row per question: the features of its lead (decide.question_features) and whether the answer it
    leads is right (``danvan eval``'s judge with the decision forced to "found"; 0 for an unanswerable)."""
    from assistant.answer.compose import compose
    from assistant.speech.outline import build_outline
    from assistant.evaluate import judge
    from assistant.answer.sentences import score_sentences
    same = twins()
    X, y, w, groups, kinds = [], [], [], [], []
    for group, item, weight in items:
        item = with_twins(item, same)
        r = assistant.pipeline(item["question"])
        ranked = sorted(score_sentences(r.q, r.passages, r.doc_texts), key=lambda s: -s.score)
        cands = decide.candidates(ranked)
        kinds.append(item.get("kind", "qa"))
        groups.append(group)
        w.append(weight)
        if not cands:
            X.append([0.0] * len(decide.QUESTION_FEATURES))
            y.append(0)
            continue
        f = decide.question_features(r.q, cands, r.passages, ranked)
        X.append([f[n] for n in decide.QUESTION_FEATURES])
        answer = (build_outline(r.q, r.passages, r.doc_texts) if r.q.mode == "talking_points"  # as the service does
                  else compose(r.q, r.passages, r.doc_texts, r.q.mode, force=True))
        # right = holds what the question asks (its must_include / any_of); another document that states the same
        # value is as right as the one the writer named, so the label does not ask for the named source
        y.append(int(item.get("kind") != "unanswerable" and judge({**item, "sources": []}, answer, []).passed))
    return np.array(X, float), np.array(y), np.array(w), groups, kinds


def fit(X, y, w):
    from sklearn.linear_model import LogisticRegression
    mean, scale = X.mean(0), X.std(0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit((X - mean) / scale, y, sample_weight=w)
    return mean, scale, model


SLOT_MISSING = decide.QUESTION_FEATURES.index("slot_missing")
TYPED_MISSING = decide.QUESTION_FEATURES.index("typed_missing")


def outcomes(prob, y, kinds, threshold, X=None):
    """Per question: 'right', 'refused_ok', 'false_refusal' or 'wrong' (found and not right); with the feature
    rows ``X``, a lead that lacks the asked number slot is not found, as decide.decide rules."""
    out = []
    for i, (p, right, kind) in enumerate(zip(prob, y, kinds)):
        found = p >= threshold and (X is None or not (X[i, SLOT_MISSING] or X[i, TYPED_MISSING]))
        if not found:
            out.append("refused_ok" if kind == "unanswerable" else "false_refusal")
        else:
            out.append("right" if right else "wrong")
    return out


def figures(res, kinds, pick):
    n_ans = sum(1 for k, wr in zip(kinds, pick) if wr and k != "unanswerable")
    n_una = sum(1 for k, wr in zip(kinds, pick) if wr and k == "unanswerable")
    chosen = [r for r, wr in zip(res, pick) if wr]
    return {"right": round(chosen.count("right") / max(1, n_ans), 3),
            "false_refusal": round(chosen.count("false_refusal") / max(1, n_ans), 3),
            "refused": round(chosen.count("refused_ok") / max(1, n_una), 3),
            "wrong_confident": round(chosen.count("wrong") / max(1, len(chosen)), 3)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--generated", nargs="*", type=Path, default=[])
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--dump", type=Path, help="save the rows (numpy .npz) for analysis")
    args = ap.parse_args(argv)
    from assistant.service import Assistant
    from config import Settings
    items = training_items(args.generated)
    assistant = Assistant(Settings(data_dir=Path(args.db)))
    X, y, w, groups, kinds = rows_of(assistant, items)
    if args.dump:
        np.savez(args.dump, X=X, y=y, w=w, groups=np.array(groups), kinds=np.array(kinds))
    written = [not g.startswith("generated:") for g in groups]
    row_group = np.array(groups)
    oof = np.zeros(len(y))
    for g in sorted(set(groups)):  # leave one batch out
        test = row_group == g
        mean, scale, model = fit(X[~test], y[~test], w[~test])
        oof[test] = model.predict_proba((X[test] - mean) / scale)[:, 1]
    threshold = round(WRONG_COST / (1 + WRONG_COST), 2)
    oof_figures = figures(outcomes(oof, y, kinds, threshold, X), kinds, written)
    mean, scale, model = fit(X, y, w)
    print(json.dumps({"questions": len(kinds), "answered_right_if_forced": int(y.sum()),
                      "threshold": threshold, "out_of_batch": oof_figures,
                      "per_batch": {g: figures(outcomes(oof, y, kinds, threshold, X),
                                               kinds, [gg == g for gg in groups]) for g in sorted(set(groups))},
                      "coef": dict(zip(decide.QUESTION_FEATURES, np.round(model.coef_[0], 3).tolist()))},
                     ensure_ascii=False, indent=1))
    if args.write:
        data = {"_why": "assistant/answer/decide.py's model, written by eval/fit_decision.py on the training batches "
                        "of eval/written/SPLIT.json" + (" and generated-train" if args.generated else ""),
                "features": list(decide.QUESTION_FEATURES), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
                "coef": model.coef_[0].round(6).tolist(), "intercept": round(float(model.intercept_[0]), 6),
                "threshold": threshold, "out_of_batch": oof_figures}
        decide.WEIGHTS_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print("written", decide.WEIGHTS_FILE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
