"""Generate the large evaluation set (issue 14, item 3) from a store's catalogue.

    python eval/generate.py --db STORE_DIR --out eval/ --seed 14

Reads the store read-only; writes generated-train.jsonl and generated-heldout.jsonl (the format of
../shared/eval/questions.jsonl plus `style`, `split`, and for unanswerables `swapped`, `base_id`,
`absent_with`), and prints a summary. Same store and seed → byte-identical files.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from qgen_answerable import (date_questions, doc_ref_questions, figure_questions, legal_questions,  # noqa: E402
                             no_year_questions, role_holders, role_questions)
from qgen_store import Store, fold, phrase_re  # noqa: E402
from qgen_style import abbreviate, expand_abbr, load_glossary, office, unaccented  # noqa: E402
from qgen_swaps import SWAP_KINDS, make_unanswerable  # noqa: E402

TARGET_ANSWERABLE = 240       # ~400 questions in all with the unanswerables
UNANSWERABLE_SHARE = 0.45     # issue 14 asks for at least 40 %
SWAPS_PER_QUESTION = 2       # at most two unanswerables (of different swap kinds) from one answerable
MAX_PER_DOC = 4               # answerables from one document, so a few long articles do not dominate
HELDOUT_SHARE = 0.5
HANDCHECK_N = 30
GLOSSARY = HERE.parent / "assistant" / "understand" / "glossary.tsv"
# Styles drawn (per question, seeded) for answerables; no_year is decided by the figure builder.
STYLE_CYCLE = ["plain", "office", "unaccented", "abbr", "office", "plain", "unaccented"]
# Swap kinds tried first for each question type; the rest follow in seeded order.
PREFERRED_SWAPS = {
    "figure": ["year", "place", "category", "body"], "figure_all_years": ["place", "category", "body"],
    "role": ["place", "body", "period"], "role_named": ["body", "place", "period"], "position": ["body", "place"],
    "doc_subject": ["issuer", "number"], "doc_issuer": ["number", "issuer"], "date": ["year", "place", "body"],
    "legal_content": ["article"], "legal_figure": ["article"],
}


def split_of(source: str, seed: int) -> str:
    """Split by source document: a seeded hash, so a document's questions all fall on one side."""
    h = int(hashlib.sha256(f"{seed}:{source}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "heldout" if h < HELDOUT_SHARE else "train"


def item_rng(seed: int, *keys: str) -> random.Random:
    """A generator of its own for each document or question: adding or removing one document elsewhere in
    the store leaves every other question as it was."""
    return random.Random(hashlib.sha256(":".join([str(seed), *keys]).encode()).hexdigest())


def _order(seed: int, q: dict) -> str:
    return hashlib.sha256(f"{seed}:{q['doc']}:{q['question']}".encode()).hexdigest()


def build_answerables(store: Store, seed: int) -> list[dict]:
    holders = role_holders(store)
    out = []
    for doc in store.docs:
        if doc.near_dup:
            continue
        rng = item_rng(seed, doc.source)
        if doc.kind == "law":
            out += legal_questions(doc, store, rng)
            continue
        figs = figure_questions(doc, rng)
        out += figs + no_year_questions(figs)
        out += role_questions(doc, store, holders, rng)
        out += doc_ref_questions(doc, store, rng)
        out += date_questions(doc, rng)
    out = [q for q in out if verified(store, q) and not ambiguous(store, q)]
    return [q for q in out if len({split_of(s, seed) for s in q["sources"]}) == 1]


def verified(store: Store, q: dict) -> bool:
    """Every must_include / any_of string occurs in the source document (passages and file)."""
    doc = store.by_source[q["doc"]]
    needles = q["must_include"] + q["any_of"]
    return bool(needles) and all(store.occurs_in_source(doc, n) for n in q["must_include"]) and (
        not q["any_of"] or any(store.occurs_in_source(doc, n) for n in q["any_of"]))


def ambiguous(store: Store, q: dict) -> bool:
    """Another document that holds the question's subject but not its answer makes it ambiguous;
    one that holds the answer too becomes a second source."""
    slots = q["slots"]
    if slots.get("position_full"):  # the post and its place, wherever each is written in another document
        keys = [slots["position_full"]] + ([slots["unit_place"]] if slots.get("unit_place") else [])
    else:
        keys = [v for k, v in slots.items() if k in ("place", "position", "person", "instrument", "ref")]
    others = [d for d in store.docs_with_all(keys) if d.source != q["doc"] and not d.near_dup] if keys else []
    if q["qtype"] in ("figure", "figure_all_years", "date", "legal_figure"):
        rare = store.rare_tokens(q["question"])
        others = [d for d in (others if keys else store.docs) if d.source != q["doc"] and not d.near_dup
                  and rare <= d.tokens]
    for d in others:
        if all(phrase_re(m).search(d.folded) for m in q["must_include"]) and q["must_include"]:
            q["sources"].append(d.source)
        elif q["qtype"] not in ("legal_content",):
            return True
    return False


def select(items: list[dict], seed: int) -> list[dict]:
    """At most MAX_PER_DOC per document, question types interleaved, TARGET_ANSWERABLE in all."""
    by_type: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for q in items:
        key = fold(q["question"])
        if key not in seen:
            seen.add(key)
            by_type[q["qtype"]].append(q)
    for v in by_type.values():
        v.sort(key=lambda q: (_constraints(q), _order(seed, q)))  # popped from the end: questions with a year or a place first
    per_doc: Counter = Counter()
    answers: set = set()
    chosen = []
    queues = [by_type[k] for k in sorted(by_type)]
    while len(chosen) < TARGET_ANSWERABLE and any(queues):
        for queue in queues:
            while queue:
                q = queue.pop()
                answer = (q["doc"], tuple(q["must_include"]))
                if per_doc[q["doc"]] < MAX_PER_DOC and answer not in answers:
                    per_doc[q["doc"]] += 1
                    answers.add(answer)
                    chosen.append(q)
                    break
    return chosen


def _constraints(q: dict) -> int:
    """How many swappable constraints (year, place) a question states: those make the best unanswerables."""
    has_year = bool(re.search(r"(?<![\d/-])(?:19|20)\d\d(?![\d/-])", q["question"]))
    return 2 * has_year + bool(q["slots"].get("place"))


def styled(q: dict, style: str, rng: random.Random, glossary) -> tuple[str, str]:
    text = q["question"]
    if style == "office":
        return office(text, rng), "office"
    if style == "unaccented":
        return unaccented(text), "unaccented"
    if style == "abbr":
        t = expand_abbr(text, glossary)
        if t:
            return t, "expand_abbr"
        t = abbreviate(text, glossary)
        if t:
            return t, "abbreviate"
    return text, "plain"


def generate(store: Store, seed: int) -> list[dict]:
    glossary = load_glossary(GLOSSARY)
    answerables = select(build_answerables(store, seed), seed)
    answerables.sort(key=lambda q: (q["doc"], q["qtype"], q["question"]))
    records = []
    for i, q in enumerate(answerables, 1):
        q["id"] = f"g{i:04d}"
        rng = item_rng(seed, q["doc"], q["question"])
        style = q.get("style") or ("role" if q["qtype"] == "role_named" else rng.choice(STYLE_CYCLE))
        text, style = (q["question"], style) if style in ("no_year", "role") else styled(q, style, rng, glossary)
        records.append(_record(q, text, style, seed))
    n_unans = round(len(records) * UNANSWERABLE_SHARE / (1 - UNANSWERABLE_SHARE))
    candidates = []
    for q in answerables:
        rng = item_rng(seed, "swap", q["doc"], q["question"])
        rest = [k for k in SWAP_KINDS if k not in PREFERRED_SWAPS.get(q["qtype"], [])]
        rng.shuffle(rest)
        first = PREFERRED_SWAPS.get(q["qtype"], [])[:]
        rng.shuffle(first)
        kinds = first + rest
        for _ in range(SWAPS_PER_QUESTION):
            u = make_unanswerable(store, q, rng, kinds)
            if not u:
                break
            u["base_id"] = q["id"]
            candidates.append(u)
            kinds = [k for k in kinds if k != u["swapped"]["kind"]]
    candidates = _balance(candidates, n_unans, seed)
    records = _meet_share(records, candidates)
    for j, u in enumerate(candidates, 1):
        u["id"] = f"u{j:04d}"
        rng = item_rng(seed, "style", u["doc"], u["question"])
        text, style = styled(u, rng.choice(STYLE_CYCLE), rng, glossary)
        if fold(u["swapped"]["to"]) not in fold(text):
            text, style = u["question"], "plain"
        records.append(_record(u, text, style, seed))
    return records


def _meet_share(records: list[dict], unans: list[dict]) -> list[dict]:
    """When too few swaps verified, leave out answerables that no unanswerable came from until the
    unanswerable share reaches UNANSWERABLE_SHARE."""
    used = {u["base_id"] for u in unans}
    keep = list(records)
    for r in reversed(records):
        if len(unans) >= UNANSWERABLE_SHARE * (len(keep) + len(unans)):
            break
        if r["id"] not in used:
            keep.remove(r)
    return keep


def _balance(cands: list[dict], n: int, seed: int) -> list[dict]:
    """Take swaps kind by kind in turn, so every swap kind is represented."""
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for u in cands:
        by_kind[u["swapped"]["kind"]].append(u)
    for v in by_kind.values():
        v.sort(key=lambda u: _order(seed, u))
    out = []
    while len(out) < n and any(by_kind.values()):
        for k in sorted(by_kind):
            if by_kind[k] and len(out) < n:
                out.append(by_kind[k].pop())
    return sorted(out, key=lambda u: u["base_id"])


def _record(q: dict, text: str, style: str, seed: int) -> dict:
    rec = {"id": q["id"], "kind": q["kind"], "question": text, "sources": sorted(set(q["sources"])),
           "must_include": q["must_include"]}
    if q["any_of"]:
        rec["any_of"] = q["any_of"]
    rec.update({"style": style, "qtype": q["qtype"], "split": split_of(q["doc"], seed), "doc": q["doc"]})
    if q["kind"] == "unanswerable":
        rec.update({"swapped": q["swapped"], "base_id": q["base_id"], "absent_with": q["absent_with"]})
    return rec


def summary(records: list[dict]) -> list[str]:
    lines = [f"questions: {len(records)}"]
    unans = sum(r["kind"] == "unanswerable" for r in records)
    lines.append(f"unanswerable: {unans} ({unans / max(1, len(records)):.0%})")
    for key in ("split", "kind", "qtype", "style"):
        c = Counter(r[key] for r in records)
        lines.append(f"by {key}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    c = Counter(r["swapped"]["kind"] for r in records if r["kind"] == "unanswerable")
    lines.append("by swap: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    docs = {s: len({r["doc"] for r in records if r["split"] == s}) for s in ("train", "heldout")}
    lines.append(f"documents: train {docs['train']}, heldout {docs['heldout']}")
    return lines


def handcheck(store: Store, records: list[dict], n: int, seed: int) -> str:
    """Markdown listing n random questions with their expected answer and the source passage, to read."""
    rng = random.Random(seed)
    by_id = {r["id"]: r for r in records}
    lines = ["# Hand check of generated questions", "",
             f"{n} questions drawn with seed {seed} from the generated sets; each read against its source.", ""]
    for r in rng.sample(records, min(n, len(records))):
        base_q = by_id.get(r.get("base_id", ""), r)
        doc = store.by_source[r["doc"]]
        needle = (base_q["must_include"] or base_q.get("any_of") or [""])[0]
        i = doc.text.casefold().find(needle.casefold())
        snippet = " ".join(doc.text[max(0, i - 160):i + len(needle) + 80].split()) if i >= 0 else ""
        lines.append(f"- **{r['id']}** ({r['kind']}, {r['qtype']}, {r['style']}, {r['split']}) {r['question']}")
        if r["kind"] == "unanswerable":
            sw = r["swapped"]
            lines.append(f"  - swap {sw['kind']}: {sw['from']} → {sw['to']} (absent with {r['absent_with']}); "
                         f"base {base_q['id']}: {base_q['question']}")
        else:
            lines.append(f"  - expects: {r['must_include'] or r.get('any_of')} in {r['sources']}")
        lines.append(f"  - source {r['doc']}: «…{snippet}…»")
        lines.append("  - check: TODO")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Sinh bộ câu hỏi đánh giá từ kho dữ liệu (issue 14).")
    ap.add_argument("--db", required=True, help="thư mục kho dữ liệu (có catalogue.sqlite3)")
    ap.add_argument("--out", default=str(HERE), help="thư mục ghi generated-train.jsonl, generated-heldout.jsonl")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--handcheck", metavar="FILE.md", help="cũng ghi 30 câu ngẫu nhiên kèm đáp án và đoạn nguồn")
    args = ap.parse_args(argv)
    try:
        store = Store(Path(args.db))
    except (FileNotFoundError, sqlite3.DatabaseError) as exc:
        print(exc if isinstance(exc, FileNotFoundError) else "Không đọc được kho dữ liệu.", file=sys.stderr)
        return 2
    records = generate(store, args.seed)
    if args.handcheck:
        Path(args.handcheck).write_text(handcheck(store, records, HANDCHECK_N, args.seed), encoding="utf-8")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for split in ("train", "heldout"):
        rows = [r for r in records if r["split"] == split]
        (out / f"generated-{split}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    text = "\n".join(summary(records)) + "\n"
    (out / "generated-summary.txt").write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
