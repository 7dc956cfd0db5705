"""Sentences of retrieved passages, scored against the question (pure; no LLM).

The same judgement orders passages (rerank) and picks an answer's sentences (compose), so the passage an
answer quotes is also the first one retrieval returns. A sentence gains for covering the question's rare
words and word pairs, for holding what the question asks for, and for the dense retriever's confidence; it
loses for every hard constraint of the question (a year, a place, a document number …) that its evidence
does not meet — see assistant/understand/evidence.py.

Every weight is named below with the split that fitted it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.understand.constraints import Need
from assistant.understand.levels import levels_of, other_level
from assistant.understand.evidence import evidence_for, has_count, has_position_of, holds_answer_type, unmet_needs
from assistant.understand.query import FRAME_TERMS, QueryInfo
from assistant.understand.roles import Position, read_position, writes_position
from assistant.understand.slots import holds_slot
from assistant.types import Passage
from vntext import split_sentences
from vntext import defined_abbreviations, folded_form, strip_cross_references, tokens
from vntext.vocab import DOCREF_RE

RESULT_RE = re.compile(r"\b(chuyen bien|tich cuc|hieu qua|dat chuan|nang cao|gop phan|duoc cong nhan|hoan thanh|"
                       r"vuot|tang|giam|dat|thanh cong|ro net|nang len)\b")
# "Chiều 6/1, …", "Sáng 9/7, …": a sentence that opens the report of a meeting (who held it, when).
EVENT_OPENING_RE = re.compile(r"^(sang|chieu|toi|trua|ngay|hom nay|vua qua)\b[^,]{0,25}\d{1,2}/\d{1,2}")
# "Điều 35.4.LQ.35. Quyền và …" (pháp điển article heading), "(Điều 34 Luật số …, có hiệu lực …)"
LEGAL_META_RE = re.compile(r"^(?:Điều \d+(?:\.[\wĐ]+)+\.\s[^.;:]*$|\(Điều \d+ [^)]*(?:hiệu lực|ban hành)[^)]*\)$|Đề mục:)")
NAME_RE = re.compile(r"(?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][\w']+\s+){1,4}[A-ZĐ][\w']+")

# --- weights (fitted on eval/generated-train.jsonl unless said otherwise) ---------------------------------
W_BIGRAM = 0.4  # share of the question's word pairs in the sentence (public questions.jsonl, kept)
W_FUSED_RANK = 0.15  # 1/(1+rank) of the passage in the fused retrieval list (public set, kept)
W_DENSE_RANK = 0.15  # 1/rank of the passage in the dense list: reworded questions need it (fitted, train split)
W_HEADING = 0.4  # coverage of the question by the passage's heading/title (public set, kept)
W_COUNT = 0.25  # a count in the sentence when the question asks "bao nhiêu" (public set, kept)
W_TYPED = 0.25  # a person / date / period in the sentence when the question word asks for one (train split)
W_PERSON_NAME = 0.1
W_REF = 0.4  # a document number the question names appears in the sentence
W_RESULT = 0.25
W_EVENT_OPENING = 0.25
W_DOCREF = 0.3
W_TALKING_LONG = 0.1
W_SLOT = 0.5  # the sentence holds (or lacks) the number slot asked (%, money, duration, a count of the noun): fitted on the written training batches (0, 0.25, 0.5)
W_FACT = 0.3  # the sentence holds an index entry retrieval matched, in full (public set + train split)
FACT_FULL_CHARS = 80  # an index entry this long names type, number, issuer and subject
UNMET_PENALTY = 1.0  # per hard constraint the sentence's evidence does not meet (fitted, train split)
NAMED_KINDS = ("place", "name", "year", "period", "quarter", "document", "article")  # not the topic itself


@dataclass
class Sentence:
    text: str
    passage_index: int
    folded_tokens: list[str]
    score: float = 0.0
    coverage: float = 0.0  # idf-weighted share of the question's terms in the sentence
    topic_coverage: float = 0.0  # the same, leaving out the places, names and years it names
    topic_bigram_share: float = 1.0  # share of the question's word pairs without those names, found here
    bigram_share: float = 0.0
    unmet: list[Need] = field(default_factory=list)  # hard constraints its evidence does not meet
    base_score: float = 0.0  # the score before the unmet-constraint penalty (how close it comes otherwise)
    typed: bool = True  # holds what the question word asks for
    # the parts of the score that do not depend on the passage's place in the list (kept so that reranking
    # re-derives the score for the new order instead of scoring every sentence again)
    heading: float = 0.0
    dense_rank: int | None = None
    bonus: float = 0.0
    typed_bonus: bool = False


@lru_cache(maxsize=4096)
def _passage_sentences(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(sentence, folded tokens) of a passage — cached: reranking and composing read the same passages."""
    out = []
    for s, e in split_sentences(text):
        sentence = text[s:e].strip()
        if len(sentence) < 12 or sum(ch.isalpha() for ch in sentence) < 8:
            continue
        scored = strip_cross_references(sentence)
        if len(scored) < 12:
            continue  # a bare cross-reference note
        if LEGAL_META_RE.match(sentence):
            continue  # the article heading / instrument line: shown as the citation's label instead
        out.append((sentence, tuple(tokens(folded_form(scored)))))
    return tuple(out)


def _sentences(passage: Passage, index: int) -> list[Sentence]:
    return [Sentence(text=t, passage_index=index, folded_tokens=list(toks))
            for t, toks in _passage_sentences(passage.text)]


def score_sentences(q: QueryInfo, passages: list[Passage], doc_texts: dict[str, str]) -> list[Sentence]:
    sents: list[Sentence] = []
    for i, p in enumerate(passages):
        sents.extend(_sentences(p, i))
    if not sents or not q.terms:
        return sents
    if q.abbreviations:  # a sentence that writes "VHXH" covers "văn hóa xã hội" (spelled out in place)
        for s in sents:
            if any(a in q.abbreviations for a in s.folded_tokens):
                s.folded_tokens = spell_out(s.folded_tokens, q.abbreviations)
    defined = {i: defined_abbreviations(doc_texts.get(p.doc_id, p.text)) for i, p in enumerate(passages)}
    for s in sents:  # "GPMB" in a report that wrote "giải phóng mặt bằng (GPMB)" once: it says those words too
        own = defined[s.passage_index]
        if own and any(t in own for t in s.folded_tokens):
            s.folded_tokens = [w for t in s.folded_tokens for w in ((t, *own[t]) if t in own else (t,))]
    n = len(sents)
    df = {t: sum(1 for s in sents if t in s.folded_tokens) for t in q.terms}
    idf = {t: math.log((n + 1) / (df[t] + 0.5)) + 0.1 for t in q.terms}
    total = sum(idf.values())
    named = {t for need in q.needs if need.kind in NAMED_KINDS for key in need.keys for t in key.split()}
    frame = FRAME_TERMS.get(q.answer_type or "", set())
    topic = [t for t in q.terms if t not in named and t not in frame]
    topic_total = sum(idf[t] for t in topic) or 1.0
    topic_bigrams = [b for b in q.bigrams if not set(b.split()) & (named | frame)]
    heading_cov = {i: _heading_coverage(q, p, idf, total) for i, p in enumerate(passages)}
    position = asked_position(q)
    asked_levels = levels_of(q.text) if q.mode != "talking_points" else frozenset()  # a speech draws on every level
    level_need = Need("level", ", ".join(f"cấp {x}" for x in sorted(asked_levels)), tuple(sorted(asked_levels)))
    for s in sents:
        toks = set(s.folded_tokens)
        joined = f" {' '.join(s.folded_tokens)} "
        p = passages[s.passage_index]
        s.coverage = sum(idf[t] for t in q.terms if t in toks) / total
        s.bigram_share = sum(1 for b in q.bigrams if f" {b} " in joined) / max(1, len(q.bigrams))
        if (p.meta or {}).get("kind") == "law":
            # a clause of a legal article is about its article's heading ("1. Tổ chức hội nghị …" under
            # "Hình thức phản biện xã hội"): the topic may be met by the two together
            head = _heading_tokens(p.heading or "", p.title or "")
            toks, joined = toks | set(head), f"{joined} {' '.join(head)} "
        s.topic_coverage = sum(idf[t] for t in topic if t in toks) / topic_total if topic else 1.0
        if topic_bigrams:
            s.topic_bigram_share = sum(1 for b in topic_bigrams if f" {b} " in joined) / len(topic_bigrams)
        s.heading, s.dense_rank, s.bonus = heading_cov[s.passage_index], p.dense_rank, _asked_for_bonus(q, s, p)
        if q.needs:
            s.unmet = unmet_needs(q.needs, evidence_for(s.text, p, doc_texts.get(p.doc_id, p.text)))
        if other_level(asked_levels, s.text):  # the province's line for a question about the commune
            s.unmet = s.unmet + [level_need]
        s.typed = holds_answer_type(q.answer_type, s.text) and holds_role(q, s, position) and counts_asked(q, s)
        s.typed_bonus = s.typed and q.answer_type in ("person", "date", "period")
        _set_score(s)
    return sents


def _set_score(s: Sentence) -> None:
    """The sentence's score at its passage's place in the list (the one formula, in one order of operations,
    so that a score re-derived after reranking is the score a second scoring would give, to the last bit)."""
    score = (s.coverage + W_BIGRAM * s.bigram_share + W_FUSED_RANK / (1 + s.passage_index)
             + W_HEADING * s.heading)
    if s.dense_rank:
        score += W_DENSE_RANK / s.dense_rank
    score += s.bonus
    s.base_score = score
    if s.unmet:
        score -= UNMET_PENALTY * len(s.unmet)
    if s.typed_bonus:
        score += W_TYPED
    s.score = score


def spell_out(toks: list[str], abbreviations: dict[str, list[str]]) -> list[str]:
    """Abbreviations replaced by their words — but not the type code of a document number ("20 ct thu")."""
    out: list[str] = []
    for i, t in enumerate(toks):
        if t in abbreviations and not (i and toks[i - 1].isdigit()):
            out.extend(abbreviations[t])
        else:
            out.append(t)
    return out


def counts_asked(q: QueryInfo, s: Sentence) -> bool:
    """"bao nhiêu mô hình": the sentence counts that noun — a number followed closely by it."""
    if q.answer_type != "figure" or not q.counted:
        return True
    joined = " ".join(s.folded_tokens)
    return re.search(rf"\b\d[\d.,]*(?:\s+\w+){{0,{COUNT_GAP}}}\s+{re.escape(q.counted)}\b", joined) is not None


COUNT_GAP = 3  # words between a number and the noun it counts ("112 mô hình", "05 thành viên Ban …")


def asked_position(q: QueryInfo) -> Position | None:
    """The position a person question names, read once per question."""
    return read_position(q.role, [n.keys[0] for n in q.needs if n.kind in ("place", "name")])


def holds_role(q: QueryInfo, s: Sentence, position: Position | None) -> bool:
    """A person question that names a position ("Phó Bí thư Quân ủy Trung ương là ai?") is answered by a
    sentence that names that position, not by any sentence with a name in it; a position question
    ("đồng chí X giữ chức vụ gì?") by one that gives X a position."""
    if q.answer_type == "position":
        names = [n for n in q.needs if n.kind == "name"]
        return has_position_of(s.text, names)
    return position is None or writes_position(position, s.folded_tokens)


def _heading_coverage(q: QueryInfo, p: Passage, idf: dict[str, float], total: float) -> float:
    """How well a passage's heading (news title, legal article name) covers the question's rare words."""
    hfold = _heading_tokens(p.heading or "", p.title or "")
    htoks, hjoined = set(hfold), f" {' '.join(hfold)} "
    cov = sum(idf[t] for t in q.terms if t in htoks) / total
    return cov + sum(1 for b in q.bigrams if f" {b} " in hjoined) / max(1, len(q.bigrams))


def _asked_for_bonus(q: QueryInfo, s: Sentence, p: Passage) -> float:
    """Bonuses for holding what the question asks about: a count, a name, the document it names, a result."""
    score = 0.0
    if q.asks_number and has_count(s.text):
        score += W_COUNT
    held = holds_slot(q.slot, _folded_text(s.text))
    if held is not None:  # "bao nhiêu phần trăm": a percentage, not a count (assistant/understand/slots.py)
        score += W_SLOT if held else -W_SLOT
    if q.asks_person and NAME_RE.search(s.text):
        score += W_PERSON_NAME
    if q.refs:
        flat = _folded_text(s.text).replace(" ", "")
        for ref in q.refs:
            key = ref.split(" ")[-1].replace(" ", "")
            if key and key in flat:
                score += W_REF
    if q.asks_result:
        if RESULT_RE.search(" ".join(s.folded_tokens)):
            score += W_RESULT
        if EVENT_OPENING_RE.match(_folded_text(s.text)):
            score -= W_EVENT_OPENING
    if q.asks_document and DOCREF_RE.search(s.text):
        score += W_DOCREF
    if q.mode == "talking_points" and len(s.text) > 120:
        score += W_TALKING_LONG
    held = [f for f in p.meta.get("facts", []) if f in s.text]
    if held:  # the fuller the index entry it holds (type, number, issuer, subject), the better it answers
        score += W_FACT * min(1.0, max(map(len, held)) / FACT_FULL_CHARS)
    return score


def rerank(q: QueryInfo, passages: list[Passage], doc_texts: dict[str, str]) -> list[Passage]:
    """Order passages by their best sentence's score: the same judgement the answer uses, so the
    passage an answer quotes is also the first one retrieval returns."""
    return rerank_scored(q, passages, doc_texts)[0]


def rerank_scored(q: QueryInfo, passages: list[Passage],
                  doc_texts: dict[str, str]) -> tuple[list[Passage], list[Sentence]]:
    """The reranked passages and their sentences scored for that order: the sentences are scored once per
    question, and composing the answer reads them (a passage's place counts in its sentences' scores)."""
    sents = score_sentences(q, passages, doc_texts)
    best: dict[int, float] = {}
    for s in sents:
        best[s.passage_index] = max(best.get(s.passage_index, -9.0), s.score)
    order = sorted(range(len(passages)), key=lambda i: (-best.get(i, -9.0), i))
    of_passage: dict[int, list[Sentence]] = {}
    for s in sents:
        of_passage.setdefault(s.passage_index, []).append(s)
    scored = bool(q.terms)  # score_sentences leaves sentences unscored when the question has no content terms
    out: list[Sentence] = []
    for new, old in enumerate(order):
        for s in of_passage.get(old, []):
            s.passage_index = new
            if scored:
                _set_score(s)
            out.append(s)
    return [passages[i] for i in order], out



def highlight_terms(q: QueryInfo, text: str) -> list[str]:
    """Words of ``text`` (as written) that match the question's content terms (accent-insensitive)."""
    wanted = set(q.terms)
    out = []
    for w in re.findall(r"\w+", text):
        if _folded_word(w) in wanted and w not in out and len(w) > 1:
            out.append(w)
    return out


@lru_cache(maxsize=50000)
def _folded_word(word: str) -> str:
    return folded_form(word)


@lru_cache(maxsize=4096)
def _folded_text(text: str) -> str:
    """folded_form of a sentence or heading, cached: the same passages come back question after question."""
    return folded_form(text)


@lru_cache(maxsize=4096)
def _heading_tokens(heading: str, title: str) -> tuple[str, ...]:
    return tuple(tokens(folded_form(strip_cross_references(f"{heading} {title}"))))
