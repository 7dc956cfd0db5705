"""Grounded, extractive answers written for a reader — no LLM needed.

Every statement of an answer is a sentence of a cited passage (verbatim), so no figure, name or
document number can appear that is not in a cited passage. The answer is the best-scored sentence
(assistant/answer/sentences.py) that also *fits* the question: it meets every hard constraint the question
states (year, place, document number …), holds what the question word asks for, and is on topic.
When no sentence fits, the answer says so — naming what the documents lack and what they do hold
nearest — rather than passing another year's or town's figure off as the answer.

The answer is data (sections of statements with citation numbers); assistant/answer/render.py writes its text.
"""
from __future__ import annotations

import re

from assistant.understand.constraints import Need, as_constraint
from assistant.answer import gate
from assistant.answer.decide import decide
from assistant.answer.gate import fits, off_topic
from assistant.understand.slots import SLOT_LABELS, holds_slot
from assistant.understand.query import QueryInfo
from assistant.answer.render import NOT_FOUND, answer_text
from assistant.answer.sentences import Sentence, highlight_terms, score_sentences
from assistant.understand.parts import holds_part, part_terms
from assistant.types import Answer, Citation, Constraint, PartResult, Passage, Section, Statement
from vntext import split_sentences
from vntext.shingles import jaccard
from ingest.extract import extract_facts
from vntext import folded_form, tokens
from vntext.vocab import DOCREF_RE

LIST_ITEM_RE = re.compile(r"^(?:\d{1,2}\.|[a-zđ]\)|-)\s")

# --- thresholds (fitted on eval/generated-train.jsonl unless said otherwise) ------------------------------
SUPPORT_RATIO = 0.7  # a supporting sentence scores at least this share of the lead's score
NEXT_RATIO = 0.5  # the sentence right after the lead joins it at this share
LIST_SIBLING_RATIO = 0.3  # list items of the lead's legal article join it at this share
MAX_SUPPORT = 2
MAX_LIST_ITEMS = 6
MAX_FIGURES = 5  # a figure question without a year lists every matching figure, up to this many
DUPLICATE_JACCARD = 0.5  # word-trigram overlap above which two sentences say the same


def legal_label(p: Passage) -> str:
    article, instrument = p.meta.get("article"), p.meta.get("instrument")
    if article and instrument:
        return f"{article} {instrument}"
    return instrument or article or ""


def _figure_facts(sentence: str):
    return [f for f in extract_facts(sentence) if f.kind == "figure"]


def _lead_figure(q: QueryInfo, sentence: str) -> str | None:
    """The figure in the lead sentence that counts what the question asks about, if any: its unit and what it
    counts, and the words since the previous figure ("lĩnh vực VHXH và chỉnh trang đô thị 67 mô hình")."""
    if not q.asks_number:
        return None
    best, best_score = None, 0.0
    qset = set(q.terms)
    prev_end = 0
    for f in _figure_facts(sentence):
        unit = set(_expanded(q, folded_form(f.fields.get("unit") or "")))
        counts = set(_expanded(q, folded_form(f.fields.get("counts") or "")))
        before = set(_expanded(q, folded_form(sentence[max(prev_end, f.start - FIGURE_CONTEXT_CHARS):f.start])))
        prev_end = f.start + len(f.text)
        score = 2 * len(unit & qset) + len(before & qset) + 0.5 * len(counts & qset)
        if score > best_score:  # ties keep the earliest figure
            # keep a negation in front ("không ít hơn 05 thành viên", not "hơn 05 thành viên")
            neg = re.search(r"(không(?:\s+\w+)?\s+)$", sentence[:f.start])
            best, best_score = (neg.group(1) if neg else "") + f.text, score
    return best


FIGURE_CONTEXT_CHARS = 80  # how far before a figure its own words reach (at most back to the previous figure)


def _expanded(q: QueryInfo, folded: str) -> list[str]:
    """Folded tokens with the question's abbreviations spelled out ("vhxh" → van hoa xa hoi)."""
    toks = tokens(folded)
    return toks + [t for a in toks if a in q.abbreviations for t in q.abbreviations[a]]


def _unit_of(figure: str | None) -> set[str]:
    if not figure:
        return set()
    facts = _figure_facts(figure)
    unit = facts[0].fields.get("unit") if facts else None
    return set(tokens(folded_form(unit or "")))


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

    def statement(self, s: Sentence, figure: str | None = None, label: str = "") -> Statement:
        return Statement(text=s.text.rstrip(), cites=[self.cite(s.passage_index, s.text)], label=label,
                         figure=figure)

    def citations(self) -> list[Citation]:
        return [citation(self.q, self.passages[idx], n, " … ".join(self.quotes[idx]))
                for idx, n in sorted(self.numbers.items(), key=lambda x: x[1])]


def citation(q: QueryInfo, p: Passage, n: int, quote: str) -> Citation:
    """The one place a Citation is made (extractive answers, not-found, the LLM path)."""
    return Citation(n=n, doc_id=p.doc_id, source=p.source, title=p.title, outlet=p.outlet, date=p.date,
                    quote=quote, score=round(p.score, 4), passage=p.text, chunk_id=p.chunk_id,
                    label=legal_label(p), highlights=highlight_terms(q, quote), page=p.page, ocr=p.ocr,
                    year=(p.meta or {}).get("year"))


def compose(q: QueryInfo, passages: list[Passage], doc_texts: dict[str, str], mode: str | None = None,
            force: bool = False, sentences: list[Sentence] | None = None) -> Answer:
    """``force``: answer with the best candidate whatever the decision says (eval/fit_decision.py).
    ``sentences``: the passages' sentences as reranking scored them (scored here when not given)."""
    mode = mode or q.mode
    sents = sentences if sentences is not None else score_sentences(q, passages, doc_texts)
    ranked = sorted(sents, key=lambda s: -s.score)
    lead = decide(q, ranked, passages, force=force).lead  # one calibrated decision (assistant/answer/decide.py)
    if lead is None:
        return not_found(q, passages, mode, ranked)
    book = CitationBook(q, passages)
    answer = _answer(q, lead, sents, ranked, passages, doc_texts, book, mode)
    answer.parts = _part_results(q, answer)
    answer.found = all(p.found for p in answer.parts)  # a several-part question: every part held
    answer.constraints = [as_constraint(n, True) for n in q.needs]
    answer.answer = answer_text(answer)
    return answer


def _answer(q: QueryInfo, best: Sentence, sents: list[Sentence], ranked: list[Sentence],
            passages: list[Passage], doc_texts: dict[str, str], book: CitationBook, mode: str) -> Answer:
    p = passages[best.passage_index]
    label = legal_label(p)
    figure = _lead_figure(q, best.text)
    if not figure and q.refs:
        # a document asked for by number: the index entry (verbatim in this sentence) answers first
        in_lead = [f for f in p.meta.get("facts", []) if f in best.text]
        figure = max(in_lead, key=len) if in_lead and max(map(len, in_lead)) < len(best.text) else None
    lead = book.statement(best, figure=figure, label=label)
    fitting = [s for s in ranked if s is not best and not s.unmet]
    if _asks_whole_article(q, best, passages):
        return _article_answer(q, best, lead, sents, passages, book, mode)
    if LIST_ITEM_RE.match(best.text):
        return _list_answer(q, best, lead, sents, passages, book, mode, fitting, ranked)
    support = _support(q, best, sents, fitting, passages, doc_texts)
    support += _part_support(q, best, support, fitting, ranked, passages)
    sections = [Section(statements=[lead] + [book.statement(s) for s in support])]
    listed = _other_figures(q, best, figure, fitting, support) if figure else []
    if listed:
        sections.append(Section(title="Các số liệu khác trong tài liệu:", layout="list",
                                statements=[book.statement(s, figure=f) for s, f in listed]))
    return Answer(question=q.original, mode=mode, found=True, answer="", citations=book.citations(),
                  sections=sections, figure=figure)


def _part_support(q: QueryInfo, best: Sentence, support: list[Sentence], fitting: list[Sentence],
                  ranked: list[Sentence], passages: list[Passage]) -> list[Sentence]:
    """For each part of a several-part question the lead and its support do not hold, the sentence that holds it
    and shares most of the part's own content words: first in the lead's document (its other sentences answer
    the other part: "… 10% số hộ …; ý kiến đồng thuận có giá trị trong 03 tháng", however the whole question
    scores them), else among the fitting candidates scoring near the lead."""
    out: list[Sentence] = []
    doc = passages[best.passage_index].doc_id
    same_doc = [s for s in ranked if passages[s.passage_index].doc_id == doc]
    for part in q.parts:
        if not part.supportable:
            continue
        own = part_terms(part) & set(q.terms)  # the part's content words
        # held by a statement that says the part's own words too: one "45 ngày" answers one of two "mấy ngày"
        distinct = own - {t for other in q.parts if other is not part for t in part_terms(other)}
        if any(holds_part(part, s.text, support=True)
               and len(distinct & set(s.folded_tokens)) >= PART_WORDS_SHARE * len(distinct)
               for s in [best, *support, *out]):
            continue
        need = min(1 if part.asks_document else PART_MIN_SHARED, len(own))  # "thay thế luật nào": its type names it
        near = [s for s in fitting[:PART_CANDIDATES] if s.score >= PART_SUPPORT_RATIO * best.score]
        for pool in (same_doc, near):
            held = [(len(own & set(s.folded_tokens)), s.score, i) for i, s in enumerate(pool)
                    if s is not best and s not in support and s not in out and holds_part(part, s.text, support=True)]
            held = [h for h in held if h[0] >= need]
            if held:
                out.append(pool[max(held)[2]])
                break
    return out


PART_CANDIDATES = 12  # the decision's candidates (assistant/decide.CANDIDATES)
PART_MIN_SHARED = 2  # words a part's answer shares with the part ("tạm giam", "phụ cấp" …)
PART_SUPPORT_RATIO = 0.5  # of the lead's score
# A statement holds a part only when it says this share of the words that part alone has (not the other parts):
# set by hand at one half, not fitted; on the training batches it moved right 0.459 → 0.470, wrong 0.089 → 0.082.
PART_WORDS_SHARE = 0.5


def _part_results(q: QueryInfo, answer: Answer) -> list[PartResult]:
    """Each asked part, held or not by one of the answer's statements (whatever layout composed them)."""
    statements = [st for sec in answer.sections for st in sec.statements]
    out = []
    for part in q.parts:
        holders = [st for st in statements if holds_part(part, st.text)]
        out.append(PartResult(ask=part.text, found=bool(holders) or not part.checkable,
                              cites=sorted({n for st in holders for n in st.cites})))
    return out


def _support(q: QueryInfo, best: Sentence, sents: list[Sentence], fitting: list[Sentence],
             passages: list[Passage], doc_texts: dict[str, str]) -> list[Sentence]:
    support: list[Sentence] = []
    # the sentence right after the lead often completes it ("…triển khai QCDC. Việc thực hiện … có chuyển biến");
    # it may open the next passage: found through the document's text
    nxt = _next_sentence(best, sents, passages, doc_texts)
    if (q.mode == "qa" or q.parts) and nxt is not None and not nxt.unmet and nxt.score >= NEXT_RATIO * best.score:
        support.append(nxt)
    if q.asks_document and not DOCREF_RE.search(best.text):
        same = [s for s in fitting if s.passage_index == best.passage_index and DOCREF_RE.search(s.text)]
        if same and same[0] not in support:
            support.append(same[0])
    for s in fitting:
        if len(support) >= MAX_SUPPORT or s.score < max(gate.MIN_SCORE, SUPPORT_RATIO * best.score):
            break
        if s in support or any(jaccard(s.text, o.text, 3) > DUPLICATE_JACCARD for o in [best, *support]):
            continue
        support.append(s)
    return support


def _other_figures(q: QueryInfo, best: Sentence, figure: str, fitting: list[Sentence],
                   support: list[Sentence]) -> list[tuple[Sentence, str]]:
    """A figure question that names no year or term: every other matching figure the documents give, each
    in its own sentence (with its year and place), so a reader sees them all and not one picked for them."""
    if any(n.kind in ("year", "period", "quarter") for n in q.needs):
        return []
    unit = _unit_of(figure)
    out: list[tuple[Sentence, str]] = []
    seen = [best, *support]
    for s in fitting:
        if len(out) >= MAX_FIGURES or s.score < gate.MIN_SCORE or not s.typed:
            continue
        if any(jaccard(s.text, o.text, 3) > DUPLICATE_JACCARD for o in seen) or off_topic(q, s):
            continue
        fig = _lead_figure(q, s.text)
        if fig and _unit_of(fig) & unit and fig not in figure:
            out.append((s, fig))
            seen.append(s)
    return out


def _list_answer(q: QueryInfo, best: Sentence, lead: Statement, sents: list[Sentence], passages: list[Passage],
                 book: CitationBook, mode: str, fitting: list[Sentence], ranked: list[Sentence]) -> Answer:
    """A legal list item ("1.", "a)") answers with its sibling items of the same article, in order, and with the
    item that answers another part of the question however it scores ("… trong mấy ngày?" → "c) … 15 ngày")."""
    siblings = [x for x in sents if x.passage_index == best.passage_index and x is not best and not x.unmet
                and LIST_ITEM_RE.match(x.text) and x.score > LIST_SIBLING_RATIO * best.score][:MAX_LIST_ITEMS - 2]
    parts = _part_support(q, best, siblings, fitting, ranked, passages)
    text = passages[best.passage_index].text
    items = sorted([best] + siblings + [x for x in parts if x.passage_index == best.passage_index],
                   key=lambda x: text.find(x.text))
    items += [x for x in parts if x.passage_index != best.passage_index]
    head = f"Theo {lead.label}:" if lead.label else ""
    statements = [book.statement(x) for x in items]
    answer = Answer(question=q.original, mode=mode, found=True, answer="", citations=book.citations(),
                    sections=[Section(title=head, statements=statements, layout="list")], figure=lead.figure)
    return answer


def _asks_whole_article(q: QueryInfo, best: Sentence, passages: list[Passage]) -> bool:
    """"Nội dung Điều 34 Luật … là gì?", "Điều 12 … quy định thế nào?": a legal article named by number, asked
    for what it says (no figure, person or date): the answer is the article, not one clause of it."""
    return (any(n.kind == "article" for n in q.needs) and q.answer_type is None
            and (passages[best.passage_index].meta or {}).get("kind") == "law")


def _article_answer(q: QueryInfo, best: Sentence, lead: Statement, sents: list[Sentence], passages: list[Passage],
                    book: CitationBook, mode: str) -> Answer:
    doc_id = passages[best.passage_index].doc_id
    own = [x for x in sents if passages[x.passage_index].doc_id == doc_id and not x.unmet]
    order = {p.chunk_id: p.position for p in passages}
    own.sort(key=lambda x: (order.get(passages[x.passage_index].chunk_id, 0),
                            passages[x.passage_index].text.find(x.text)))
    seen: list[Sentence] = []
    for x in own:  # overlapping passages repeat a sentence
        if not any(x.text == o.text for o in seen):
            seen.append(x)
    head = f"Theo {lead.label}:" if lead.label else ""
    statements = [book.statement(x) for x in seen[:MAX_ARTICLE_SENTENCES]]
    return Answer(question=q.original, mode=mode, found=True, answer="", citations=book.citations(),
                  sections=[Section(title=head, statements=statements, layout="list")], figure=lead.figure)


MAX_ARTICLE_SENTENCES = 14  # a legal article's clauses shown in full up to this many


def not_found(q: QueryInfo, passages: list[Passage], mode: str, ranked: list[Sentence]) -> Answer:
    """Say plainly that the documents do not answer; name the constraints they do not meet and the nearest
    thing they do hold — only when it shares the question's subject."""
    book = CitationBook(q, passages)
    # nearest by the penalised score: a sentence that meets the question's constraints but scored under the
    # floor is nearer than one about another person or year, and then no constraint is reported missing
    on_topic = sorted((s for s in ranked if s.base_score > 0 and not off_topic(q, s)), key=lambda s: -s.score)
    nearest_sentence = on_topic[0] if on_topic else None
    unmet: list[Need] = list(nearest_sentence.unmet) if nearest_sentence else []
    if nearest_sentence is not None and holds_slot(q.slot, folded_form(nearest_sentence.text)) is False:
        unmet.append(Need("slot", SLOT_LABELS[q.slot.kind], ()))  # "a count is not a percentage"
    nearest = None
    if nearest_sentence is not None:
        n = book.cite(nearest_sentence.passage_index, nearest_sentence.text)
        nearest = f"{nearest_sentence.text.rstrip()} [{n}]"
        for s in on_topic[1:]:
            if len(book.numbers) >= 3:
                break
            if s.passage_index not in book.numbers:
                book.cite(s.passage_index, s.text)
    answer = Answer(question=q.original, mode=mode, found=False, answer="", citations=book.citations(),
                    constraints=[as_constraint(n, n not in unmet) for n in q.needs]
                    + [as_constraint(n, False) for n in unmet if n.kind == "slot"],
                    unmet=[as_constraint(n, False) for n in unmet], nearest=nearest)
    answer.answer = answer_text(answer)
    return answer


__all__ = ["NOT_FOUND", "compose", "citation", "legal_label", "CitationBook", "not_found", "Constraint"]
