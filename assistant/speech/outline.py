"""Speech talking points (dàn ý phát biểu) in the shape Vietnamese officials use, extractively.

I. Mở đầu · II. Kết quả nổi bật · III. Cách làm hay, mô hình tiêu biểu · IV. Hạn chế, tồn tại ·
V. Ý kiến chỉ đạo (a leader's directions at the occasion) · VI. Nhiệm vụ, giải pháp thời gian tới · Kết luận.
A section appears only when cited sentences support it; each point is one cleaned sentence (or clause) of a
cited passage, so every figure, name and date in the outline is in the passage its [n] names. Section membership
is read from general cue classes (result, practice, limitation, task, conclusion) and sentence shape.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.answer.compose import CitationBook, legal_label, not_found
from assistant.answer.sentences import EVENT_OPENING_RE, score_sentences
from assistant.understand.query import QueryInfo, understand
from assistant.speech.outline_aspects import aspect_points
from assistant.speech.outline_kinds import (asked_kinds, stated_levels, is_direction, CONCLUSION_RE, PAST_RE, PRACTICE_RE, RESULT_RE, TASK_ANYWHERE_RE,  # noqa: F401
                                     classify)
from assistant.speech.outline_law import LAW_SECTIONS, article_heading, as_point, law_sections, same_clause
from assistant.speech.outline_scope import (_YEAR_RE, _figure_here, _figure_of, _in_filters, _legal,  # noqa: F401
                                     _place_year_label, document_place)
from assistant.speech.speech_frame import matter_query, SPAN_DASH, SPEECH_RE, occasion_object, read_request, request_text, scope_only, speech_query  # noqa: F401
from assistant.speech.speech_text import (capitalise, is_enumeration, MAX_BULLET_WORDS, MIN_CLAUSE_WORDS, clean_point, stands_alone, starts_with_report, is_headline, near_duplicate, split_long,
                                   word_count)
from assistant.types import Answer, Passage, Section, Statement
from vntext import folded_form, split_sentences, tokens
from vntext.vocab import CENTURY_YEAR, GATHERINGS

# Who chaired or attended: a meeting report's line, not a point (short sentences only).
ATTENDANCE_RE = re.compile(r"\b(chu tri|cung du|tham du|du hoi nghi|chu toa|dai bieu du)\b")
ATTENDANCE_MAX_WORDS = 25
# A speech request (as opposed to a list question such as "Nêu các nhiệm vụ …"), accent-folded.
# A list question keeps points scoring at least this share of the best, up to LIST_POINTS of them.
LIST_SHARE = 0.45
LIST_POINTS = 6
# Passages retrieved for an outline: a speech draws on more documents than one answer does.
OUTLINE_PASSAGES = 16
# What a request's frame fills in when the speaker has not set it (assistant/speech/speech_frame.py).
FRAME_OPTIONS = ("occasion", "audience", "place", "period")
LENGTHS = {"ngắn": 2, "vừa": 3, "dài": 5}  # points per section
DEFAULT_LENGTH = "vừa"
OCCASIONS = ("hội nghị sơ kết", "hội nghị tổng kết", "tiếp xúc cử tri", "hội nghị chuyên đề", "lễ kỷ niệm",
             "đối thoại với nhân dân", "sinh hoạt chi bộ")
# A sentence scoring below this share of the best sentence is off the topic of the speech.
RELEVANCE_SHARE = 0.35
# A point needs this share of the topic's words, unless its document is about the topic (named in its title).
POINT_TOPIC_MIN = 0.34
# A figure sentence needs at least this share of the topic's words (figures are taken more widely).
FIGURE_TOPIC_MIN = 0.25
# An outline is found when one of its points holds this share of the topic's marking word pairs, or at least
# FOUND_PAIRS of them: a long request names many pairs (its occasion, unit, period and topic) and no single
# sentence writes a third of them, while one shared pair ("năng lượng sạch" for nuclear power) is no speech on
# the topic. FOUND_PAIRS: the written outline requests of eval/outlines (train side) were refused at 20/24 with the
# share alone; 2 is the least count that still refuses the one-shared-pair case of tests/test_speech_occasions.py.
FOUND_PAIR_MIN = 0.34
FOUND_PAIRS = 2
OPENING_MAX_WORDS = 35
OPENING_MIN_WORDS = 10
# The opening's cited sentence must be mostly about the topic.
OPENING_TOPIC_MIN = 0.5
# Administrative word pairs (accent-folded) too common in this field to mark a topic.
GENERIC_PAIRS = frozenset({
    "cong tac", "dan van", "xay dung", "thuc hien", "nang cao", "day manh", "trien khai", "to chuc", "van dong",
    "mo hinh", "phat huy", "tang cuong", "nhan dan", "cac cap", "chinh quyen", "he thong", "chinh tri",
    "phat trien", "kinh te", "xa hoi", "dia phuong", "co quan", "don vi", "can bo", "dang vien",
})
# "Ảnh: …" photo captions glued to a sentence by the page layout.
CAPTION_RE = re.compile(r"\b(?:Ảnh|Nguồn ảnh|Clip|Video)\s*:", re.IGNORECASE)

SECTION_TITLES = {
    "opening": "Mở đầu", "basis": "Quy định liên quan", "result": "Kết quả nổi bật", "practice": "Cách làm hay, mô hình tiêu biểu",
    "limitation": "Hạn chế, tồn tại", "direction": "Ý kiến chỉ đạo", "task": "Nhiệm vụ, giải pháp thời gian tới",
    "conclusion": "Kết luận",
}
SECTION_ORDER = ("opening", "basis", "result", "practice", "limitation", "direction", "task", "conclusion")
# One speaks at a gathering ("tại hội nghị …"), and when doing an act ("khi thăm, động viên chiến sĩ …").
GATHERING_RE = re.compile(rf"(?:{'|'.join(GATHERINGS)})\b")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")



@dataclass
class SpeechOptions:
    """What the speaker sets: the occasion and audience, the length, and place/period filters."""
    occasion: str = ""
    audience: str = ""
    length: str = DEFAULT_LENGTH  # ngắn | vừa | dài
    place: str = ""
    period: str = ""  # "2023" or "2020-2025"

    def per_section(self) -> int:
        return LENGTHS.get((self.length or DEFAULT_LENGTH).strip().lower(), LENGTHS[DEFAULT_LENGTH])

    def years(self) -> tuple[int, int] | None:
        found = [int(y) for y in re.findall(rf"(?<!\d){CENTURY_YEAR}(?!\d)", self.period or "")]
        return (min(found), max(found)) if found else None


@dataclass
class _Point:
    text: str
    passage_index: int
    source_sentence: str
    score: float
    kind: str
    figure: str | None = None
    label: str = ""
    order: float = 0.0
    extra: dict = field(default_factory=dict)


def _sayable(s, passages: list[Passage], doc_texts: dict[str, str], options: SpeechOptions) -> bool:
    """Not a headline, not a meeting's who-and-when, within the place and period asked for. A provision's
    clause is neither (a chunk of an article may open with its clause "c) …"; a quorum is no attendance)."""
    p = passages[s.passage_index]
    doc_text = doc_texts.get(p.doc_id, p.text)
    if _legal(p):
        return not is_headline(s.text, [p.title, p.heading], doc_text)
    first_line = next((ln for ln in p.text.splitlines() if ln.strip()), "")
    if is_headline(s.text, [p.title, p.heading, first_line], doc_text):
        return False
    folded = folded_form(s.text)
    if EVENT_OPENING_RE.match(folded):
        return False  # "Sáng 12-10, Ban … tổ chức …": who met when, not a point of substance
    if ATTENDANCE_RE.search(folded) and word_count(s.text) < ATTENDANCE_MAX_WORDS:
        return False  # "Đồng chí X chủ trì hội nghị", "các đại biểu dự hội nghị": who was there
    return _in_filters(p, s.text, doc_text, options)


def _candidates(qt: QueryInfo, passages: list[Passage], doc_texts: dict[str, str], options: SpeechOptions,
                on_topic: bool = True, scored: list | None = None, share: float = LIST_SHARE) -> list[_Point]:
    """Cleaned one-claim points of the retrieved sentences, each with its section class.

    ``on_topic``: a speech keeps sentences naming the topic (or from a document about it); a list
    question keeps those scoring near the best, as any answer does. ``scored``: the sentences of ``passages``
    already scored for ``qt`` (scored here when not given)."""
    scored = scored if scored is not None else score_sentences(qt, passages, doc_texts)
    sents = [s for s in scored
             if not getattr(s, "unmet", None) and _sayable(s, passages, doc_texts, options)]
    if not sents:
        return []
    best = max(s.score for s in sents)  # among sayable sentences: a headline would set the bar too high
    pairs = _topic_pairs(qt)
    top = max(sents, key=lambda s: s.score)  # its document is the occasion's report: on the topic, all is material
    core = {passages[top.passage_index].doc_id} if not _legal(passages[top.passage_index]) else set()
    levels = stated_levels(qt.text)  # the level the topic names ("ở cấp huyện"): its figures are that level's
    out: list[_Point] = []
    for s in sents:
        p = passages[s.passage_index]
        doc_text = doc_texts.get(p.doc_id, p.text)
        cleaned = clean_point(s.text)
        pieces = [clean_point(x) for x in split_long(cleaned, MAX_BULLET_WORDS)]
        whole = pieces == [cleaned]
        if CAPTION_RE.search(cleaned):  # a credit glued to its head is cut by clean_point
            continue
        if s.text.rstrip().endswith("?"):
            continue  # a question asks; a speech point states
        named = _names_topic(s.folded_tokens, pairs)
        central = _names_topic(tokens(folded_form(p.title or "")), pairs)
        legal = bool(p.meta.get("instrument") or p.meta.get("article"))
        lead_kind = ""
        for k, piece in enumerate(pieces):
            if word_count(piece) < MIN_CLAUSE_WORDS or starts_with_report(piece) or is_enumeration(piece) \
                    or not stands_alone(piece):
                continue  # too short for a claim, or a reported act without its subject ("Nêu lên …")
            if ATTENDANCE_RE.search(folded_form(piece)) and word_count(piece) < ATTENDANCE_MAX_WORDS:
                continue  # what is left of "… phát biểu kết luận hội nghị; các đại biểu dự hội nghị"
            fig = None if legal else _figure_of(piece)
            if fig and options.place and not _figure_here(piece, fig[1], doc_text, options.place):
                continue  # another place's or the nation's figure in a place's speech (issue 29, item 3)
            if fig and levels and (said := stated_levels(piece)) and not said & levels:
                continue  # "ở cấp tỉnh, tổng số cán bộ nữ là 5.814 người" in a speech on the district's ("ở cấp huyện")
            # a clause cut from a longer sentence must name the topic itself (the sentence may name it
            # in another clause: "…; công tác dân tộc, tôn giáo; xây dựng các mô hình …")
            piece_named = named if whole else _names_topic(tokens(folded_form(piece)), pairs)
            relevant = s.score >= RELEVANCE_SHARE * best and (
                piece_named or (central and s.topic_coverage >= POINT_TOPIC_MIN))
            if p.doc_id in core and (piece_named or central):
                relevant = True
            if not on_topic:
                relevant = s.score >= share * best
            if not relevant and not (fig and (named or central) and s.topic_coverage >= FIGURE_TOPIC_MIN):
                continue
            kind = classify(piece)
            if k > 0 and lead_kind == "task" and kind in ("practice", "context"):
                kind = "task"  # the clauses of a list of directives are directives
            if k == 0:
                lead_kind = kind
            if legal and kind != "task":
                kind = "basis"  # a provision is the basis of the speech, not a result or a limitation
            point = _Point(text=piece, passage_index=s.passage_index, source_sentence=s.text, score=s.score - 0.01 * k,
                           kind=kind, order=p.text.find(s.text), extra={"topic": s.topic_coverage, "whole": whole,
                                                                        "pairs": _pair_share(piece, pairs),
                                                                        "pair_count": _pair_count(piece, pairs),
                                                                        "core": p.doc_id in core and bool(options.occasion)})
            f = folded_form(piece)
            if fig:
                point.figure = fig[0]
                point.label = _place_year_label(piece, fig[1], p, doc_text)
                if point.kind == "task" and PAST_RE.search(f) and not TASK_ANYWHERE_RE.search(f):
                    point.kind = "result"  # a count already reached ("đã", "được") is a result, not a task ahead
                if kind == "context" or (kind in ("practice", "conclusion") and (RESULT_RE.search(f) or PRACTICE_RE.search(f))):
                    point.kind = "result"  # a count the place gives ("số người có uy tín … là 2.168 người") is a fact to cite
            if legal:
                point.label = legal_label(p)  # a clause said with its article's heading says whose duty it is
                point.text = as_point(article_heading(p), piece) or piece
            out.append(point)
    return out


def _topic_pairs(qt: QueryInfo) -> set[str]:
    """The topic's word pairs that mark it ("tôn giáo", "nông thôn", "vận khéo"), leaving out the
    administrative pairs every document of this field uses ("công tác", "dân vận", "xây dựng")."""
    return {b for b in qt.bigrams if b not in GENERIC_PAIRS and b.split()[0] != b.split()[1]} or set(qt.bigrams)


def _pair_count(text: str, pairs: set[str]) -> int:
    joined = f" {' '.join(tokens(folded_form(text)))} "
    return sum(1 for b in pairs if f" {b} " in joined)


def _pair_share(text: str, pairs: set[str]) -> float:
    return _pair_count(text, pairs) / len(pairs) if pairs else 1.0


def _speaks_of(share: float, count: int) -> bool:
    """A point speaks of the topic: a third of its marking word pairs, or FOUND_PAIRS of them."""
    return share >= FOUND_PAIR_MIN or count >= FOUND_PAIRS


def _names_topic(folded_tokens, pairs: set[str]) -> bool:
    joined = f" {' '.join(folded_tokens)} "
    return any(f" {b} " in joined for b in pairs)


def _pick(points: list[_Point], kind: str, limit: int, chosen: list[_Point]) -> list[_Point]:
    picked: list[_Point] = []
    for pt in sorted((x for x in points if x.kind == kind),
                     key=lambda x: (not x.extra.get("core"), x.figure is None, -x.score)):
        if len(picked) >= limit:
            break
        if any(near_duplicate(pt.text, o.text) and not _other_figures(pt, o) for o in chosen + picked):
            continue  # a rewording of a point already made (two different counts are two points)
        picked.append(pt)
    return picked


def _other_figures(a: _Point, b: _Point) -> bool:
    return bool(a.figure and b.figure and a.figure != b.figure)


def _opening(topic: str, options: SpeechOptions, speaker: str = "") -> str:
    """The occasion and the subject in the request's own phrases — no figure, name or date of our own:
    "Phát biểu của lãnh đạo Ban Dân vận tại hội nghị triển khai Luật …" (the topic is said once)."""
    said = folded_form(options.occasion or "")
    who = f" của {speaker}" if speaker else ""
    at = "tại" if GATHERING_RE.match((options.occasion or "").lower()) else "khi"
    where = f" {at} {options.occasion}" if options.occasion else ""
    to = f" trước {options.audience}" if options.audience and folded_form(options.audience) not in said else ""
    heard = set(tokens(f"{said} {folded_form(options.audience or '')}"))
    obj = occasion_object(options.occasion or "")[1]
    if obj and folded_form(topic).startswith(folded_form(obj)):  # "sơ kết … Chỉ thị 20 | về nâng cao …": the rest
        topic = re.sub(r"^về\s+", "", topic[len(obj):].strip(" ,"))
    about = f" về {topic}" if topic and not set(tokens(folded_form(topic))) <= heard else ""  # said once
    return f"Phát biểu{who}{where}{to}{about}."


def build_outline(q: QueryInfo, passages: list[Passage], doc_texts: dict[str, str],
                  options: SpeechOptions | None = None, fact_passages: list[Passage] | None = None,
                  law_passages: list[Passage] | None = None, sentences: list | None = None) -> Answer:
    """The outline as an Answer (mode "talking_points"): sections of statements with [n] citations.

    ``fact_passages``: passages of the retrieved documents that hold figures (from the facts index),
    so a result the top passages missed can still be cited. ``law_passages``: every article of the
    instrument the request names (assistant/speech/outline_law.py): the outline then follows the instrument.
    ``sentences``: the sentences of ``passages`` as reranking scored them for ``q`` (for the nearest on
    not-found; scored here when not given)."""
    options = options or SpeechOptions()
    if not SPEECH_RE.search(folded_form(q.original)):
        return list_points(q, passages, doc_texts, options, sentences)
    frame = read_request(request_text(q))
    options = SpeechOptions(**{**options.__dict__, **{k: getattr(frame, k) for k in FRAME_OPTIONS
                                                       if getattr(frame, k) and not getattr(options, k)}})
    topic = frame.topic or q.text
    qt = matter_query(frame, topic)  # the situation's and the listed matters' words too
    qt.original, qt.request = q.original, request_text(q)
    allp = _merged(passages, fact_passages, law_passages)
    scored = score_sentences(qt, allp, doc_texts)  # once: the widened pass below filters the same sentences
    points = _candidates(qt, allp, doc_texts, options, scored=scored)
    widened = ""
    if (options.place or options.period) and not any(not _legal(allp[p.passage_index]) for p in points):
        widened = ", ".join(x for x in (options.place, options.period) if x)  # nothing of the place: say so
        points = _candidates(qt, allp, doc_texts, SpeechOptions(**{**options.__dict__, "place": "", "period": ""}),
                             scored=scored)
    limit = options.per_section()
    law = law_sections(allp, law_passages, frame, limit, scored)
    lead = _occasion_fact(allp, doc_texts, options if not widened else SpeechOptions(occasion=options.occasion))
    chosen: list[_Point] = [lead] if lead else []
    asked = _asked(frame, qt, allp, doc_texts, options, scored, points, law_passages, limit, chosen)
    chosen += [p for _, pts in asked for p in pts]
    by_kind: dict[str, list[_Point]] = {}
    focus = asked_kinds(request_text(q))  # the part of the report the request asks for gets twice the room
    for kind in ("basis", "direction") * (not law_passages) + ("result", "practice", "limitation", "task", "conclusion"):
        n = 1 if kind == "conclusion" else limit + (1 if kind == "result" and limit > 2 else 0) + limit * (kind in focus)
        pool = [p for p in points if not (kind == "conclusion" and CONCLUSION_RE.match(folded_form(p.text)))]
        if kind == "direction":  # a leader's direction, whatever section its cue would put it in
            pool = [replace(p, kind=kind) for p in pool if p.kind != "basis" and is_direction(p.text)]
        by_kind[kind] = _pick(pool, kind, n, chosen)  # a conclusion is a whole sentence, not "Góp phần …"
        chosen += by_kind[kind]
    context = _pick([p for p in points if OPENING_MIN_WORDS <= word_count(p.text) <= OPENING_MAX_WORDS
                     and not p.figure and not _has_number(p.text) and p.extra.get("topic", 0) >= OPENING_TOPIC_MIN
                     and p.extra.get("whole") and not (law_passages and _legal(allp[p.passage_index]))],
                    "context", 0 if lead else 1, chosen)
    context += _pick([p for p in points if p.extra.get("core") and not _legal(allp[p.passage_index])], "context",
                     min(OCCASION_CONTEXT, limit - 1), chosen + context)  # what the report says of it, not a result
    body = [p for k in SECTION_ORDER[1:-1] for p in by_kind.get(k, [])] + \
        [p for _, pts in asked for p in pts]
    topic_pairs = _topic_pairs(qt)
    titles = {allp[p.passage_index].title or "" for p in body}
    if not law and not any(_speaks_of(p.extra.get("pairs", 0), p.extra.get("pair_count", 0)) for p in body) \
            and not (lead and _speaks_of(_pair_share(lead.text, topic_pairs), _pair_count(lead.text, topic_pairs))) \
            and not any(_speaks_of(_pair_share(t, topic_pairs), _pair_count(t, topic_pairs)) for t in titles):
        # nothing on the topic itself, neither a point nor the title of a point's document (a point that shares one
        # word pair is not a speech on it): say so, nearest
        return not_found(q, passages, "talking_points", _ranked(q, passages, doc_texts, sentences))
    book = CitationBook(qt, allp)
    opening = [Statement(text=_opening(topic, options, frame.speaker))]
    if widened:
        opening.append(Statement(text=WIDENED.format(scope=widened)))
    opening += [_statement(p, book) for p in ([lead] if lead else []) + context]
    sections = [Section(title=SECTION_TITLES["opening"], statements=opening, layout="list")]
    sections += [Section(title=capitalise(a), statements=[_statement(p, book) for p in pts], layout="list")
                 for a, pts in asked]
    sections += _law_body(law, allp, by_kind, book, [p for _, pts in asked for p in pts]) if law else _report_body(by_kind, book)
    closing = [_statement(p, book) for p in by_kind["conclusion"]] or [Statement(text=_closing(law))]
    sections.append(Section(title=SECTION_TITLES["conclusion"], statements=closing, layout="list"))
    _number_sections(sections)
    from assistant.answer.render import outline_text, statement_line
    bullets = [statement_line(st) for sec in sections for st in sec.statements if st.cites]
    ans = Answer(question=q.original, mode="talking_points", found=True, answer="", citations=book.citations(),
                 bullets=bullets, sections=sections)
    ans.answer = outline_text(ans)
    return ans


def _asked(frame, qt, allp, doc_texts, options, scored, points, law_passages, limit, chosen) -> list:
    """[(matter, points)] for each matter the request lists, sought among the points of the documents the speech
    draws on (its topic points' documents and the named instrument's articles), in the request's order."""
    if not frame.aspects:
        return []
    docs = {allp[p.passage_index].doc_id for p in points} | {p.doc_id for p in law_passages or []}
    pool = [p for p in _candidates(qt, allp, doc_texts, options, on_topic=False, scored=scored, share=0.0)
            if allp[p.passage_index].doc_id in docs]
    return aspect_points(frame.aspects, pool, limit, lambda pt, ch: any(  # a clause, not its article's heading
        near_duplicate(pt.source_sentence, o.source_sentence) for o in ch + chosen), topic=frame.topic,
        titles=[allp[p.passage_index].title or "" for p in pool])


def _merged(passages: list[Passage], *extra: list[Passage] | None) -> list[Passage]:
    """The retrieved passages, then those of ``extra`` not among them (each chunk once)."""
    seen = {p.chunk_id for p in passages}
    allp = list(passages)
    for group in extra:
        for p in group or []:
            if p.chunk_id not in seen:
                seen.add(p.chunk_id)
                allp.append(p)
    return allp


def _law_body(law: dict, allp: list[Passage], by_kind: dict, book: CitationBook, said: list[_Point]) -> list[Section]:
    """The sections of an outline that follows an instrument; its roll-out tasks end with the documents' own. A
    clause ``said`` already (under a matter the request listed) is not said again."""
    sections = []
    for key, title, _ in LAW_SECTIONS:
        sts = [Statement(text=text, cites=[book.cite(i, src)], label=legal_label(allp[i]))
               for i, text, src in law.get(key, []) if not any(same_clause(src, p.source_sentence) or same_clause(text, p.text) for p in said)]
        if key == "task":
            sts += [_statement(p, book) for p in by_kind["task"] if not _legal(allp[p.passage_index])]
        if sts:
            sections.append(Section(title=title, statements=sts, layout="list"))
    return sections


def _report_body(by_kind: dict, book: CitationBook) -> list[Section]:
    sections = []
    for kind in SECTION_ORDER[1:-1]:
        pts = sorted(by_kind.get(kind) or [], key=lambda x: (x.figure is None, -x.score))
        if pts:
            sections.append(Section(title=SECTION_TITLES[kind], statements=[_statement(p, book) for p in pts],
                                    layout="list"))
    return sections


# A span of years ("giai đoạn 2018 - 2020", "2015-2018") or a year: the period an occasion's fact gives.
_SPAN_RE = re.compile(rf"(?<![\d/]){CENTURY_YEAR}\s*{SPAN_DASH}\s*{CENTURY_YEAR}(?![\d/])")


def _occasion_fact(passages: list[Passage], doc_texts: dict[str, str], options: SpeechOptions) -> _Point | None:
    """The sentence that tells the occasion's own fact — the act the occasion is named by ("ký kết", "sơ kết",
    "triển khai") with what it is about and its period ("… ký kết các nội dung phối hợp giai đoạn 2018-2020"):
    it leads the speech. Read from the retrieved (non-legal) passages within the place and period asked; None
    when the occasion names no act or no sentence tells it."""
    act, obj = occasion_object(options.occasion or "")
    if not act:
        return None
    act_f = f" {folded_form(act)} "
    toks = tokens(folded_form(obj))
    obj_pairs = {f"{a} {b}" for a, b in zip(toks, toks[1:]) if f"{a} {b}" not in GENERIC_PAIRS}
    best, best_key = None, None
    for i, p in enumerate(passages):
        if _legal(p):
            continue
        doc_text = doc_texts.get(p.doc_id, p.text)
        for start, end in split_sentences(p.text):
            sentence = p.text[start:end]
            text = clean_point(sentence)
            f = f" {' '.join(tokens(folded_form(text)))} "
            if act_f not in f or not MIN_CLAUSE_WORDS <= word_count(text) <= MAX_BULLET_WORDS \
                    or not stands_alone(text) or not _in_filters(p, sentence, doc_text, options):
                continue
            share = _pair_share(text, obj_pairs)
            dated = 2 if _SPAN_RE.search(text) else 1 if _YEAR_RE.search(text) else 0
            if share < OCCASION_OBJECT_MIN and not (dated and share > 0):
                continue  # neither what the occasion is about, nor its period with a word of it
            key = (dated > 0, share >= OCCASION_OBJECT_MIN, dated, -start, -i)
            if best_key is None or key > best_key:
                best_key = key
                best = _Point(text=text, passage_index=i, source_sentence=sentence, score=0.0, kind="context",
                              extra={"whole": True})
    return best


# The occasion's report's statements that are neither results, practices, limitations nor tasks ("Phó Bí thư … ghi
# nhận, biểu dương hoạt động của các Ban Chỉ đạo …", "… thực hiện Kết luận số 120-KL/TW ngày 7-1-2016 …"): the
# opening says this many of them (one fewer than a section's points: a short outline stays short).
OCCASION_CONTEXT = 2
# A point tells the occasion's fact when it holds this share of the object's word pairs (or one, and a period).
OCCASION_OBJECT_MIN = 0.5


# Said when the place or period the request names has no material of its own (issue 29, item 3).
WIDENED = ("Tài liệu đã nạp không có tư liệu riêng về {scope}; các ý dưới đây lấy từ tài liệu chung "
           "hoặc của nơi khác, cần bổ sung số liệu của địa phương.")
# A closing in our own words, with no figure, name or date, when no document sentence concludes.
CLOSING = "Đề nghị các cấp, các ngành và cán bộ, đảng viên tiếp tục quan tâm, cùng chung sức thực hiện tốt những nội dung trên."
CLOSING_LAW = ("Đề nghị các cấp, các ngành quán triệt sâu rộng và tổ chức thực hiện nghiêm túc {instrument}, "
               "để văn bản sớm đi vào cuộc sống.")


def _closing(law: dict) -> str:
    return CLOSING_LAW.format(instrument=law["instrument"]) if law else CLOSING


def list_points(q: QueryInfo, passages: list[Passage], doc_texts: dict[str, str], options: SpeechOptions,
                sentences: list | None = None) -> Answer:
    """"Nêu các nhiệm vụ …": the points themselves, cleaned by the same rules, in one untitled section."""
    points = _candidates(q, passages, doc_texts, options, on_topic=False, scored=sentences)
    chosen: list[_Point] = []
    for pt in sorted(points, key=lambda x: -x.score):
        if len(chosen) >= LIST_POINTS:
            break
        if not any(near_duplicate(pt.text, o.text) for o in chosen):
            chosen.append(pt)
    if not chosen:
        return not_found(q, passages, "talking_points", _ranked(q, passages, doc_texts, sentences))
    book = CitationBook(q, passages)
    sections = [Section(title="", statements=[_statement(p, book) for p in chosen], layout="list")]
    from assistant.answer.render import outline_text, statement_line
    ans = Answer(question=q.original, mode="talking_points", found=True, answer="", citations=book.citations(),
                 bullets=[statement_line(st) for st in sections[0].statements], sections=sections)
    ans.answer = outline_text(ans)
    return ans


def _ranked(q: QueryInfo, passages: list[Passage], doc_texts: dict[str, str], sentences: list | None = None):
    return sorted(sentences if sentences is not None else score_sentences(q, passages, doc_texts), key=lambda s: -s.score)


def _has_number(text: str) -> bool:
    return bool(re.search(r"\d", text))


def _statement(p: _Point, book: CitationBook) -> Statement:
    n = book.cite(p.passage_index, p.source_sentence)
    return Statement(text=p.text, cites=[n], label=p.label, figure=p.figure)


def _number_sections(sections: list[Section]) -> None:
    """"I. Mở đầu", "II. …" in the order shown; "Kết luận" unnumbered."""
    i = 0
    for sec in sections:
        if sec.title == SECTION_TITLES["conclusion"]:
            continue
        sec.title = f"{ROMAN[i] if i < len(ROMAN) else i + 1}. {sec.title}"
        i += 1
