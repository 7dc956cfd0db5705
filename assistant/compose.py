"""Grounded, extractive answers written for a reader — no LLM needed.

Every sentence of an answer is a sentence of a cited passage (verbatim), so no figure, name or
document number can appear that is not in a cited passage. The composer picks, among many
similar passages, the sentence that covers the question's rare words best, favouring sentences
that hold what the question asks for (a number, a name, a document reference).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.query import QueryInfo, names_foreign
from assistant.types import Answer, Citation, Passage
from ingest.chunk import split_sentences
from ingest.dedupe import jaccard
from ingest.extract import extract_facts
from ingest.text import folded_form, strip_cross_references, tokens

NOT_FOUND = "Không tìm thấy thông tin này trong tài liệu đã nạp."
NUMBER_RE = re.compile(r"(?<![\w/.-])\d+(?:[.,]\d+)*(?:\s*%)?(?![\w/-])")
YEAR_OR_DATE_RE = re.compile(r"^(19|20)\d\d$")
RESULT_RE = re.compile(r"\b(chuyen bien|tich cuc|hieu qua|dat chuan|nang cao|gop phan|duoc cong nhan|hoan thanh|"
                       r"vuot|tang|giam|dat|thanh cong|ro net|nang len)\b")
# "Chiều 6/1, …", "Sáng 9/7, …": a sentence that opens the report of a meeting (who held it, when).
EVENT_OPENING_RE = re.compile(r"^(sang|chieu|toi|trua|ngay|hom nay|vua qua)\b[^,]{0,25}\d{1,2}/\d{1,2}")
DOCREF_RE = re.compile(r"\b\d{1,4}(?:/\d{4})?-[A-ZĐ]{1,6}/[A-ZĐa-zđ0-9]{1,8}\b|\b\d{1,4}/\d{4}/[A-ZĐ]")
YEAR_RE = re.compile(r"(?<![\d/.-])(?:19[4-9]\d|20\d\d)(?![\d/])")
# "Điều 35.4.LQ.35. Quyền và …" (pháp điển article heading), "(Điều 34 Luật số …, có hiệu lực …)"
LEGAL_META_RE = re.compile(r"^(?:Điều \d+(?:\.[\wĐ]+)+\.\s[^.;:]*$|\(Điều \d+ [^)]*(?:hiệu lực|ban hành)[^)]*\)$|Đề mục:)")
LIST_ITEM_RE = re.compile(r"^(?:\d{1,2}\.|[a-zđ]\)|-)\s")
NAME_RE = re.compile(r"(?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][\w']+\s+){1,4}[A-ZĐ][\w']+")


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


def _has_count(text: str) -> bool:
    for m in NUMBER_RE.finditer(text):
        val = m.group(0)
        if not YEAR_OR_DATE_RE.match(val):
            return True
    return False


MISSING_PENALTY = 0.35


@lru_cache(maxsize=1024)
def _haystack(text: str) -> str:
    """A document's folded tokens, space-delimited, for phrase look-ups (cached per document text)."""
    return f" {' '.join(tokens(folded_form(text)))} "


def evidence_penalty(q: QueryInfo, passage: Passage, doc_text: str) -> float:
    """Places and years named in the question should be in the passage's document (or its date).

    Each one missing costs MISSING_PENALTY: a document that names neither the place nor the year
    asked about does not answer the question (a town portal's article may leave its own town
    unnamed, so one miss alone does not rule a document out).
    """
    hay = _haystack(f"{passage.title} {passage.date or ''} {passage.outlet or ''} {doc_text}")
    missing = 0
    for alternatives in q.places:
        if not any(f" {' '.join(tokens(a))} " in hay for a in alternatives):
            missing += 1
    for year in q.years:
        if f" {year} " not in hay:
            missing += 1
    return MISSING_PENALTY * missing


def score_sentences(q: QueryInfo, passages: list[Passage], doc_texts: dict[str, str]) -> list[Sentence]:
    sents: list[Sentence] = []
    for i, p in enumerate(passages):
        sents.extend(_sentences(p, i))
    if not sents or not q.terms:
        return sents
    n = len(sents)
    df = {t: sum(1 for s in sents if t in s.folded_tokens) for t in q.terms}
    idf = {t: math.log((n + 1) / (df[t] + 0.5)) + 0.1 for t in q.terms}
    total = sum(idf.values())
    named = {t for alts in q.places for a in alts for t in tokens(a)} | set(q.years)
    topic = [t for t in q.terms if t not in named]
    topic_total = sum(idf[t] for t in topic) or 1.0
    topic_bigrams = [b for b in q.bigrams if not set(b.split()) & named]
    # How well each passage's heading (news title, legal article name) covers the question's rare words.
    heading_cov = {}
    for i, p in enumerate(passages):
        hfold = _heading_tokens(p.heading or "", p.title or "")
        htoks, hjoined = set(hfold), f" {' '.join(hfold)} "
        cov = sum(idf[t] for t in q.terms if t in htoks) / total
        bi = sum(1 for b in q.bigrams if f" {b} " in hjoined) / max(1, len(q.bigrams))
        heading_cov[i] = cov + bi
    penalty = {p.doc_id: evidence_penalty(q, p, doc_texts.get(p.doc_id, p.text)) for p in passages}
    for s in sents:
        toks = set(s.folded_tokens)
        joined = f" {' '.join(s.folded_tokens)} "
        coverage = sum(idf[t] for t in q.terms if t in toks) / total
        bi = sum(1 for b in q.bigrams if f" {b} " in joined) / max(1, len(q.bigrams))
        p = passages[s.passage_index]
        s.coverage, s.bigram_share = coverage, bi
        s.topic_coverage = sum(idf[t] for t in topic if t in toks) / topic_total
        if topic_bigrams:
            s.topic_bigram_share = sum(1 for b in topic_bigrams if f" {b} " in joined) / len(topic_bigrams)
        score = coverage + 0.4 * bi + 0.15 / (1 + s.passage_index) + 0.4 * heading_cov[s.passage_index]
        if q.asks_number and _has_count(s.text):
            score += 0.25
        if q.asks_person and NAME_RE.search(s.text):
            score += 0.1
        if q.refs:
            flat = _folded_text(s.text).replace(" ", "")
            for ref in q.refs:
                key = ref.split(" ")[-1].replace(" ", "")
                if key and key in flat:
                    score += 0.4
        if q.asks_result:
            folded_s = " ".join(s.folded_tokens)
            if RESULT_RE.search(folded_s):
                score += 0.25
            if EVENT_OPENING_RE.match(_folded_text(s.text)):
                score -= 0.25
        if q.asks_document and DOCREF_RE.search(s.text):
            score += 0.3
        if q.mode == "talking_points" and len(s.text) > 120:
            score += 0.1
        if any(f in s.text for f in p.meta.get("facts", [])):
            score += 0.2
        score -= penalty[p.doc_id]
        if q.years:
            years_here = set(YEAR_RE.findall(s.text))
            if years_here and not years_here & set(q.years):
                score -= 0.3  # the sentence reports another year than the one asked about
        s.score = score
    return sents


def rerank(q: QueryInfo, passages: list[Passage], doc_texts: dict[str, str]) -> list[Passage]:
    """Order passages by their best sentence's score: the same judgement the answer uses, so the
    passage an answer quotes is also the first one retrieval returns."""
    best: dict[int, float] = {}
    for s in score_sentences(q, passages, doc_texts):
        best[s.passage_index] = max(best.get(s.passage_index, -9.0), s.score)
    order = sorted(range(len(passages)), key=lambda i: (-best.get(i, -9.0), i))
    return [passages[i] for i in order]


def legal_label(p: Passage) -> str:
    article, instrument = p.meta.get("article"), p.meta.get("instrument")
    if article and instrument:
        return f"{article} {instrument}"
    return instrument or article or ""


def _lead_figure(q: QueryInfo, sentence: str) -> str | None:
    """The figure in the lead sentence that counts what the question asks about, if any."""
    if not q.asks_number:
        return None
    best, best_score = None, 0.0
    qset = set(q.terms)
    for f in extract_facts(sentence):
        if f.kind != "figure":
            continue
        unit = set(tokens(folded_form(f.fields.get("unit") or "")))
        counts = set(tokens(folded_form(f.fields.get("counts") or "")))
        before = set(tokens(folded_form(sentence[:f.start]))[-4:])
        score = 2 * len(unit & qset) + len(before & qset) + 0.5 * len(counts & qset)
        if score > best_score:  # ties keep the earliest figure
            # keep a negation in front ("không ít hơn 05 thành viên", not "hơn 05 thành viên")
            neg = re.search(r"(không(?:\s+\w+)?\s+)$", sentence[:f.start])
            best, best_score = (neg.group(1) if neg else "") + f.text, score
    return best


def _next_sentence(best: Sentence, sents: list[Sentence], passages: list[Passage],
                   doc_texts: dict[str, str]) -> Sentence | None:
    """The retrieved sentence that follows ``best`` in its document, if it was retrieved."""
    doc_id = passages[best.passage_index].doc_id
    text = doc_texts.get(doc_id, "")
    at = text.find(best.text)
    if at < 0:
        return None
    rest = text[at + len(best.text):]
    spans = split_sentences(rest)
    if not spans:
        return None
    following = rest[spans[0][0]:spans[0][1]].strip()
    for s in sents:
        if s.text == following and passages[s.passage_index].doc_id == doc_id:
            return s
    return None


def _off_topic(q: QueryInfo, best: Sentence) -> bool:
    """The best sentence is about something else: single words in common but none of the question's
    word pairs ("giá vàng" vs "Sao Vàng"), or the place and year match while what is asked about
    does not (a court case in "tỉnh Quảng Ninh" for a question on its dân vận khéo models)."""
    if len(q.bigrams) >= 2 and best.bigram_share == 0 and best.coverage < 0.6:
        return True
    if (q.places or q.years) and best.topic_bigram_share == 0:
        return True
    return best.topic_coverage < TOPIC_MIN


TOPIC_MIN = 0.3


def _misses_foreign(q: QueryInfo, best: Sentence, passages: list[Passage], doc_texts: dict[str, str]) -> bool:
    """The question names a foreign country or capital that the best sentence's document never names."""
    if not q.foreign:
        return False
    p = passages[best.passage_index]
    text = f"{p.title or ''}\n{doc_texts.get(p.doc_id, p.text)}"
    return not all(names_foreign(text, name) for name in q.foreign)


class CitationBook:
    """Numbers passages in order of first use and records the quoted sentences."""

    def __init__(self, q: QueryInfo, passages: list[Passage]):
        self.q = q
        self.passages = passages
        self.numbers: dict[int, int] = {}
        self.quotes: dict[int, list[str]] = {}

    def cite(self, passage_index: int, sentence: str) -> int:
        if passage_index not in self.numbers:
            self.numbers[passage_index] = len(self.numbers) + 1
            self.quotes[passage_index] = []
        if sentence not in self.quotes[passage_index]:
            self.quotes[passage_index].append(sentence)
        return self.numbers[passage_index]

    def citations(self) -> list[Citation]:
        out = []
        for idx, n in sorted(self.numbers.items(), key=lambda x: x[1]):
            p = self.passages[idx]
            quote = " … ".join(self.quotes[idx])
            out.append(Citation(n=n, doc_id=p.doc_id, source=p.source, title=p.title, outlet=p.outlet, date=p.date,
                                quote=quote, score=round(p.score, 4), passage=p.text, chunk_id=p.chunk_id,
                                label=legal_label(p), highlights=highlight_terms(self.q, quote), page=p.page, ocr=p.ocr))
        return out


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


def compose(q: QueryInfo, passages: list[Passage], doc_texts: dict[str, str], mode: str | None = None,
            min_score: float = 0.7) -> Answer:
    mode = mode or q.mode
    sents = score_sentences(q, passages, doc_texts)
    ranked = sorted(sents, key=lambda s: -s.score)
    if not ranked or ranked[0].score < min_score or _off_topic(q, ranked[0]) or _misses_foreign(q, ranked[0], passages, doc_texts):
        return not_found(q, passages, mode, sents)
    book = CitationBook(q, passages)
    if mode == "talking_points":
        return _talking_points(q, passages, ranked, book)
    best = ranked[0]
    p = passages[best.passage_index]
    n = book.cite(best.passage_index, best.text)
    label = legal_label(p)
    figure = _lead_figure(q, best.text)
    if not figure and q.refs:
        # a document asked for by number: the index entry (verbatim in this sentence) answers first
        in_lead = [f for f in p.meta.get("facts", []) if f in best.text]
        figure = max(in_lead, key=len) if in_lead and max(map(len, in_lead)) < len(best.text) else None
    lead = best.text.rstrip()
    if label:
        lead = f"Theo {label}: {lead}"
    if figure:
        lead = f"{figure[:1].upper()}{figure[1:]} — {lead}"
    parts = [f"{lead} [{n}]"]
    support: list[Sentence] = []
    # the sentence right after the lead often completes it ("…triển khai QCDC. Việc thực hiện … có chuyển biến")
    # a list item (legal "1.", "a)") answers with its sibling items of the same passage, in order
    if LIST_ITEM_RE.match(best.text):
        siblings = [x for x in sents if x.passage_index == best.passage_index and x is not best
                    and LIST_ITEM_RE.match(x.text) and x.score > 0.3 * best.score]
        support.extend(siblings[:4])
    # (it may open the next passage: found through the document's text)
    nxt = _next_sentence(best, sents, passages, doc_texts)
    if mode == "qa" and nxt is not None and nxt.score >= 0.5 * best.score and nxt not in support:
        support.append(nxt)
    if q.asks_document and not DOCREF_RE.search(best.text):
        same = [s for s in ranked if s.passage_index == best.passage_index and DOCREF_RE.search(s.text)]
        if same:
            support.append(same[0])
    for s in ranked[1:]:
        if len(support) >= 2 + (4 if LIST_ITEM_RE.match(best.text) else 0) or s.score < max(min_score, 0.7 * best.score):
            break
        if s in support:
            continue
        if any(jaccard(s.text, o.text, 3) > 0.5 for o in [best, *support]):
            continue
        support.append(s)
    if LIST_ITEM_RE.match(best.text):
        items = sorted([best] + [x for x in support if LIST_ITEM_RE.match(x.text) and x.passage_index == best.passage_index],
                       key=lambda x: passages[x.passage_index].text.find(x.text))
        rest: list[Sentence] = []  # other passages' sentences would break the article's list
        head = f"Theo {label}:" if label else ""
        if figure:
            head = f"{figure[:1].upper()}{figure[1:]}. {head}".strip()
        lines = [f"{x.text.rstrip()} [{book.cite(x.passage_index, x.text)}]" for x in items]
        lines += [f"{x.text.rstrip()} [{book.cite(x.passage_index, x.text)}]" for x in rest]
        text = (head + "\n" if head else "") + "\n".join(lines)
        return Answer(question=q.original, mode=mode, found=True, answer=text, citations=book.citations())
    for s in support:
        parts.append(f"{s.text.rstrip()} [{book.cite(s.passage_index, s.text)}]")
    text = parts[0] if not support else parts[0] + "\n\n" + " ".join(parts[1:])
    return Answer(question=q.original, mode=mode, found=True, answer=text, citations=book.citations())


def _talking_points(q: QueryInfo, passages: list[Passage], ranked: list[Sentence], book: CitationBook) -> Answer:
    best = ranked[0].score
    chosen: list[Sentence] = []
    per_doc: dict[str, int] = {}
    for s in ranked:
        if len(chosen) >= 6:
            break
        if s.score < 0.45 * best and len(chosen) >= 3:
            break
        if s.score < 0.2:
            break
        doc = passages[s.passage_index].doc_id
        if per_doc.get(doc, 0) >= 3:
            continue
        if any(jaccard(s.text, o.text, 3) > 0.4 for o in chosen):
            continue
        chosen.append(s)
        per_doc[doc] = per_doc.get(doc, 0) + 1
    if len(chosen) < 4:  # one document holds the points: take more of it
        for s in ranked:
            if len(chosen) >= 5 or s.score < 0.45 * best:
                break
            if s not in chosen and not any(jaccard(s.text, o.text, 3) > 0.4 for o in chosen):
                chosen.append(s)
    # group by document, documents in order of their best point
    order = list(dict.fromkeys(passages[s.passage_index].doc_id for s in chosen))
    chosen.sort(key=lambda s: (order.index(passages[s.passage_index].doc_id), -s.score))
    bullets = [f"{s.text.rstrip()} [{book.cite(s.passage_index, s.text)}]" for s in chosen]
    # no counts in our own words: every figure of an answer comes from a cited passage
    intro = "Dàn ý phát biểu (mỗi ý kèm nguồn):"
    text = intro + "\n" + "\n".join(f"- {b}" for b in bullets)
    return Answer(question=q.original, mode="talking_points", found=True, answer=text,
                  citations=book.citations(), bullets=bullets)


def not_found(q: QueryInfo, passages: list[Passage], mode: str, sents: list[Sentence]) -> Answer:
    """Say plainly that the documents do not answer, and show the closest passages."""
    book = CitationBook(q, passages)
    best_per_passage: dict[int, Sentence] = {}
    for s in sents:
        cur = best_per_passage.get(s.passage_index)
        if cur is None or s.score > cur.score:
            best_per_passage[s.passage_index] = s
    for idx in sorted(best_per_passage, key=lambda i: -best_per_passage[i].score)[:3]:
        book.cite(idx, best_per_passage[idx].text)
    text = NOT_FOUND
    if book.numbers:
        text += " Các đoạn gần nhất được liệt kê bên dưới để tham khảo."
    return Answer(question=q.original, mode=mode, found=False, answer=text, citations=book.citations())
