"""A speech outline that follows a legal instrument (a law, a decree, a directive) named by the request.

"Soạn dàn ý phát biểu … tại hội nghị triển khai Luật Thực hiện dân chủ ở cơ sở": the instrument is
found among the retrieved legal passages (by its number, or by its type word and the retrieval's
ranking), all its articles are read, and the outline follows it — its scope and effective date, its
principles, the rights and duties it gives, the responsibilities of the bodies the speaker and the
audience belong to, the measures to carry it out — each point one clause of an article, said with the
article's own heading so it stands alone, cited to that article. Sections are chosen by the articles'
headings (general legal drafting vocabulary), never by a list of particular articles.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from assistant.speech.speech_frame import read_request
from assistant.speech.speech_text import (MAX_BULLET_WORDS, MIN_CLAUSE_WORDS, claim_before_lead_in, is_enumeration, split_long,
                                          stands_alone, word_count)
from assistant.types import Passage
from vntext import folded_form, tokens
from vntext.doctypes import INSTRUMENTS
from vntext.vocab import DOC_NO, DOCREF_RE, alternation

# Type words that name an instrument in a request ("Luật …", "Nghị định 59/2023/NĐ-CP", "Chỉ thị 20-CT/ThU").
INSTRUMENT_RE = re.compile(rf"\b({alternation(INSTRUMENTS)})\b"
                           rf"(?:\s+(?:số\s+)?(?P<number>{DOC_NO}(?:[-/][\wĐđ-]+)*))?", re.IGNORECASE)
# Sections of a law outline, each by the folded opening words of its articles' headings, in outline order.
LAW_SECTIONS = (
    ("scope", "Phạm vi, hiệu lực của văn bản", ("pham vi dieu chinh", "hieu luc thi hanh", "doi tuong ap dung",
                                                "quy dinh chuyen tiep", "dieu khoan chuyen tiep")),
    ("principle", "Nguyên tắc", ("nguyen tac", "tinh chat, muc dich va nguyen tac", "cac hanh vi bi nghiem cam")),
    ("main", "Những nội dung chủ yếu", ()),  # the articles on the speech's matter that no heading below names
    ("rights", "Quyền và nghĩa vụ", ("quyen cua", "nghia vu cua", "quyen thu huong", "nhung noi dung", "noi dung")),
    ("duty", "Trách nhiệm của các cơ quan, tổ chức", ("trach nhiem cua", "quyen va trach nhiem cua",
                                                      "trach nhiem thi hanh")),
    ("task", "Nhiệm vụ, giải pháp triển khai", ("cac bien phap", "bien phap", "to chuc thuc hien",
                                                 "phoi hop to chuc, thuc hien")),
)
# The bodies a Dân vận speech's audience belongs to, used to rank responsibility articles when the request
# names none of its own (issue 29: Ban Dân vận, Mặt trận, đoàn thể, chính quyền xã).
AUDIENCE_BODIES = tuple(folded_form(b) for b in ("Mặt trận", "tổ chức chính trị - xã hội", "đoàn thể", "công đoàn",
                                                  "Ủy ban nhân dân cấp xã", "hội đồng nhân dân", "cấp xã", "dân vận"))
# The rights of grassroots democracy a rights section covers, one article each, first met first: what the
# people are told (công khai), discuss and decide, give their views on, and supervise.
RIGHT_KINDS = tuple(folded_form(k) for k in ("công khai", "bàn và quyết định", "tham gia ý kiến", "kiểm tra, giám sát"))
# Headings of a citizen's rights in general ("Quyền của công dân …"): they open a rights section.
GENERAL_RIGHTS = tuple(folded_form(k) for k in ("quyền của công dân", "quyền của nhân dân"))
# Points a section takes beyond the outline's per-section count: rights and duties run longer.
EXTRA_POINTS = {"rights": 2, "duty": 1}
LIST_ITEM_RE = re.compile(r"^\s*(?:\d{1,2}\.|[a-zđ]\))\s+")
# The code's note on related articles ("(Điều này có nội dung liên quan đến Điều 38.1.LQ.4. …)"): no clause.
RELATED_NOTE_RE = re.compile(r"\(Điều này có nội dung liên quan[^)]*\)")
HEADER_RE = re.compile(r"^\(Điều .*hiệu lực.*\)$|^Đề mục:|^Điều [\d.A-ZĐa-z]+\. ")


def named_instrument(topic: str) -> tuple[str, str] | None:
    """("luật", "10/2022/QH15") or ("luật", "") for "Luật Thực hiện dân chủ ở cơ sở"; None when the topic
    names no instrument."""
    m = INSTRUMENT_RE.search(topic or "")
    if not m:
        return None
    return m.group(1).lower(), (m.group("number") or "")


def choose_instrument(topic: str, passages: list[Passage]) -> str:
    """The instrument the topic names, among the retrieved legal passages: by number when given, else the one
    of the named type that ranks highest (its passages' ranks summed, 1/rank). A topic naming several ("bám theo
    Luật Mặt trận … và Nghị quyết liên tịch 403/2017") gets the first the retrieved passages hold."""
    for m in INSTRUMENT_RE.finditer(topic or ""):
        chosen = _held_instrument(m.group(1).lower(), m.group("number") or "", passages)
        if chosen:
            return chosen
    return ""


def _held_instrument(kind: str, number: str, passages: list[Passage]) -> str:
    weights: dict[str, float] = {}
    for rank, p in enumerate(passages, 1):
        inst = str((p.meta or {}).get("instrument") or "")
        if not inst:
            continue
        if number and folded_form(number) not in folded_form(inst):  # "QD" typed for "QĐ": one form
            continue
        if not number and not inst.lower().startswith(kind):
            continue
        weights[inst] = weights.get(inst, 0.0) + 1.0 / rank
    return max(weights, key=weights.get) if weights else ""


def instrument_passages(catalogue: Any, q: Any, passages: list[Passage],
                        scope: Iterable[str] | None = None) -> list[Passage]:
    """Every passage of the instrument the request names (in article order), or [] when it names none."""
    frame = read_request(getattr(q, "request", "") or getattr(q, "original", "") or "")
    topic = ", ".join(x for x in (frame.topic, *frame.aspects) if x)  # "…: thông tin chế độ … theo Quyết định 04"
    inst = choose_instrument(topic, passages)
    if not inst:
        return []
    from vectorstore.scope import in_scope
    docs = [d for d in catalogue.documents(scope) if d.instrument == inst and in_scope(d.collection, scope)]
    docs.sort(key=lambda d: _article_number(d.article))
    out: list[Passage] = []
    for d in docs:
        for c in catalogue.chunks_of(d.doc_id):
            out.append(Passage(chunk_id=c.chunk_id, doc_id=d.doc_id, source=d.source, title=d.title, text=c.text,
                               position=c.position, heading=c.heading, outlet=d.outlet, date=d.date,
                               meta={"kind": d.kind, "instrument": d.instrument, "article": d.article,
                                     "effective_date": d.effective_date, "date_iso": d.date_iso,
                                     "places": d.places, "facts": []}))
    return out


def _article_number(article: str | None) -> int:
    m = re.search(r"\d+", article or "")
    return int(m.group()) if m else 10 ** 6


def article_heading(p: Passage) -> str:
    """"Trách nhiệm của Ủy ban Mặt trận Tổ quốc Việt Nam các cấp": the title after the article's number."""
    title = p.title or ""
    return title.split(" — ", 1)[1].strip() if " — " in title else ""


def section_of(heading: str) -> str:
    f = " ".join(folded_form(heading).split())
    for key, _, heads in LAW_SECTIONS:
        if any(f.startswith(h) for h in heads):
            if key == "duty" and "trong viec" in f.split("trach nhiem", 1)[-1][:12]:
                return ""  # "Trách nhiệm trong việc tổ chức …": a procedure, not a body's duty
            return key
    return ""


def article_lines(text: str) -> list[str]:
    """The article's lines, its source line in brackets joined when the code's file wraps it ("(Điều 1 Nghị quyết
    liên tịch số 403/2017/… Quy định chi tiết …" / "của Mặt trận … có hiệu lực thi hành kể từ ngày …)")."""
    out: list[str] = []
    open_header = False
    for line in text.splitlines():
        if open_header:
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line)
        stripped = out[-1].strip()
        open_header = stripped.startswith("(Điều ") and not stripped.endswith(")") and len(out[-1]) < MAX_HEADER_CHARS
    return out


MAX_HEADER_CHARS = 600  # a source line is a few hundred characters; an unclosed bracket past this is not one


def article_clauses(p: Passage) -> list[str]:
    """The article's clauses ("1. …", "a) …") as sentences, its header lines left out; a clause over the
    bullet length is cut at its strongest clause boundary (its first piece kept)."""
    out: list[str] = []
    for line in article_lines(p.text):
        line = line.strip()
        if line.startswith("#"):
            break  # "## Danh sách điều khoản": the code's list of articles after the article's own text
        if not line or HEADER_RE.match(line) or (line.endswith(":") and not claim_before_lead_in(line)):
            continue  # a lead-in alone; one with a claim before "như sau" is said as that claim (split_long)
        text = RELATED_NOTE_RE.sub("", LIST_ITEM_RE.sub("", line)).strip()
        pieces = split_long(text, MAX_BULLET_WORDS) or []
        if pieces and word_count(pieces[0]) >= MIN_CLAUSE_WORDS // 2:
            out.append(re.sub(r"[;,]\s*$", ".", pieces[0]))  # a list item's ";" ends the point
    return out


# An article's source line: the instrument, its date of issue when given, and its effective date.
ISSUED_RE = re.compile(r"^\(Điều \d+\s+(?P<what>.+?hiệu lực thi hành kể từ ngày \d{1,2}/\d{1,2}/\d{4})")


def issued_line(p: Passage) -> str:
    """"Luật số 10/2022/QH15 … ngày 10/11/2022 của Quốc hội, có hiệu lực thi hành kể từ ngày 01/07/2023": the
    article's source line (the instrument's number, its date of issue when given, its effective date)."""
    for line in article_lines(p.text):
        m = ISSUED_RE.match(line.strip())
        if m:
            what = m.group("what").strip()
            if word_count(what) > MAX_BULLET_WORDS:  # a long title: the number, dates and issuer say which it is
                what = TITLE_AFTER_NUMBER_RE.sub(r"\g<number> \g<issued>", what, count=1)
            return what + "."
    return ""


# An instrument's number, the title written after it, and from its date of issue on.
TITLE_AFTER_NUMBER_RE = re.compile(r"^(?P<number>.*?\S+/\S+)\s.+?\s(?P<issued>ngày \d{1,2}/\d{1,2}/\d{4}\b.*)$")


def as_point(heading: str, clause: str) -> str:
    """"Trách nhiệm của Ủy ban Mặt trận …: tổ chức vận động Nhân dân …" — a clause with the heading it belongs
    to, so it says whose duty or which right it is. A clause that is itself a whole sentence with a subject
    ("Luật này có hiệu lực …") stands alone."""
    if re.match(r"^(?:Luật|Nghị định|Thông tư|Chỉ thị|Nghị quyết|Quyết định) này\b", clause) or not heading:
        return clause
    if word_count(clause) <= MAX_BULLET_WORDS and any(w[:1].isupper() for w in clause.split()[1:3]):
        if word_count(f"{heading}: {clause}") > MAX_BULLET_WORDS:
            return clause  # "Đề nghị Ban Thường trực Ủy ban Trung ương …": it names whose task it is itself
    words_ = clause.split()
    named = len(words_) > 1 and words_[1][:1].isupper()  # "Luật Mặt trận …": a name keeps its capital
    first = clause[:1].lower() + clause[1:] if clause[1:2].islower() and not named else clause
    point = f"{heading}: {first}"
    if word_count(point) <= MAX_BULLET_WORDS:
        return point
    short = _without_repeated_tail(heading, clause)  # "Nguyên tắc thực hiện dân chủ ở cơ sở: … trong thực hiện dân
    if short != heading:                             # chủ ở cơ sở." → "Nguyên tắc: …"
        opens = " ".join(tokens(folded_form(clause))).startswith(" ".join(tokens(folded_form(short))))
        if opens and word_count(clause) <= MAX_BULLET_WORDS:
            return clause  # "Kinh phí bảo đảm hoạt động …": it says its heading itself
        if not opens and word_count(f"{short}: {first}") <= MAX_BULLET_WORDS:
            return f"{short}: {first}"
    room = MAX_BULLET_WORDS - word_count(heading)  # the clause's first part, so the heading still leads it
    pieces = split_long(clause, room) if room >= MIN_CLAUSE_WORDS else []
    if pieces and word_count(pieces[0]) <= room:
        return as_point(heading, re.sub(r"[;,]\s*$", ".", pieces[0]))
    return ""  # said without its heading, the clause would not say whose duty or which right it is


REPEATED_TAIL_MIN_WORDS = 2  # a heading's last words the clause says again, from a word pair up
HEAD_MIN_WORDS = 2  # what is left of the heading: a word pair at least ("Nguyên tắc", not "Kinh" of "Kinh phí")


def _without_repeated_tail(heading: str, clause: str) -> str:
    """The heading without its longest trailing run of words that the clause says too (the instrument's matter,
    which every clause of it repeats); the heading as it is when no such run leaves a word before it."""
    words_ = heading.split()
    said = f" {' '.join(tokens(folded_form(clause)))} "
    for cut in range(HEAD_MIN_WORDS, len(words_) - REPEATED_TAIL_MIN_WORDS + 1):
        tail = " ".join(tokens(folded_form(" ".join(words_[cut:]))))
        if tail and f" {tail} " in said:
            return " ".join(words_[:cut]).rstrip(" ,")
    return heading


def body_words(frame_text: str) -> set[str]:
    """Folded word pairs of the bodies a frame names (speaker, audience), to rank responsibility articles."""
    toks = tokens(folded_form(frame_text))
    return {f"{a} {b}" for a, b in zip(toks, toks[1:])}


def law_points(passages: list[Passage], frame_text: str, per_section: int,
               matter: dict[str, float] | None = None) -> dict[str, list[tuple[int, str, str]]]:
    """Section key → [(passage index, point, source clause)], articles in order, per_section (+ extra) each.
    ``matter``: doc_id → how well the article speaks of the speech's matter (its best sentence's score); the
    articles no section heading names, best first, above MAIN_SHARE of the best, make the "main" section
    ("Thông qua hương ước, quy ước", "Nội dung chi và mức chi")."""
    by_article: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        by_article.setdefault(p.doc_id, []).append(i)
    wanted = body_words(frame_text)
    out: dict[str, list[tuple[int, str, str]]] = {}
    ranked: dict[str, list[tuple[float, int, str]]] = {}
    seen_rights: set[str] = set()
    issued = next(([(i, line, line)] for i, p in enumerate(passages) for line in [issued_line(p)] if line), [])
    for order, (doc_id, idxs) in enumerate(by_article.items()):
        heading = article_heading(passages[idxs[0]])
        key = section_of(heading) or ("main" if matter else "")
        if key == "main":
            top = max(matter.values(), default=0.0)
            if top > 0 and matter.get(doc_id, 0.0) >= MAIN_SHARE * top:
                ranked.setdefault(key, []).append((-matter[doc_id], idxs[0], heading))
        elif key:
            score = _article_rank(key, folded_form(heading), order, wanted, seen_rights)
            ranked.setdefault(key, []).append((score, idxs[0], heading))
    for key, _, _ in LAW_SECTIONS:
        limit = per_section + EXTRA_POINTS.get(key, 0)
        articles = sorted(ranked.get(key, []))
        points: list[tuple[int, str, str]] = list(issued) + _ended(passages, by_article) if key == "scope" else []
        for depth in range(MAX_CLAUSES_PER_ARTICLE):  # first clause of each article; then, when articles are
            for _, idx, heading in articles:          # fewer than the points asked, each article's next clause
                if len(points) >= limit:
                    break
                said = _nth_point(passages, by_article[passages[idx].doc_id], heading, depth)
                if said and len(points) < limit and all(said[1] != x[1] for x in points):
                    points.append(said)
        if points:
            out[key] = points
    return out


MAX_CLAUSES_PER_ARTICLE = 3
# An article outside the fixed sections speaks of the speech's matter when its best sentence scores this share of
# the best article's (set by hand, as outline.RELEVANCE_SHARE is for reports).
MAIN_SHARE = 0.5


def _ended(passages: list[Passage], by_article: dict[str, list[int]]) -> list[tuple[int, str, str]]:
    """The clauses of the instrument's article on its effect that name the instruments it ends or replaces ("Pháp
    lệnh số 34/2007/PL-UBTVQH11 … hết hiệu lực", "thay thế Quyết định số 22/2018/QĐ-TTg"): from when it applies is
    said by the issued line, what it replaces is what a speech on it says next."""
    out = []
    for idxs in by_article.values():
        heading = article_heading(passages[idxs[0]])
        if not EFFECT_HEADING_RE.search(folded_form(heading)):
            continue  # "Hiệu lực thi hành", "Điều khoản thi hành", "Hiệu lực và trách nhiệm thi hành"
        for i in idxs:
            for line in article_lines(passages[i].text):
                clause = RELATED_NOTE_RE.sub("", LIST_ITEM_RE.sub("", line.strip())).strip()
                clause = GLUED_ARTICLE_RE.split(clause)[0]  # "… có hiệu lực.Điều 35.4.LQ.41. …": the next article
                if HEADER_RE.match(line.strip()) or not ENDS_RE.search(clause) or not DOCREF_RE.search(clause):
                    continue
                if word_count(clause) > MAX_BULLET_WORDS:  # "Pháp lệnh số 34/2007/PL-UBTVQH11 … và Nghị quyết …"
                    clause = NAMED_THEN_TITLE_RE.sub(lambda m: f"{m.group('ref')} …", clause)
                if word_count(clause) <= MAX_BULLET_WORDS:
                    out.append((i, clause, clause))
    return out[:ENDED_POINTS]


# The heading of an instrument's article on its effect (accent-folded).
EFFECT_HEADING_RE = re.compile(r"^(?:hieu luc|dieu khoan) thi hanh\b")
# The next article's header glued to a clause's full stop in some files of the code.
GLUED_ARTICLE_RE = re.compile(r"(?<=\.)(?=Điều \d)")
# A clause that ends or replaces another instrument.
ENDS_RE = re.compile(r"hết hiệu lực|thay thế|bãi bỏ", re.IGNORECASE)
# An instrument's number and the words after it that say its date, issuer and title, up to "và" or the verb that
# ends it: left out of a long clause (an ellipsis stands for them; the words kept are the article's own).
NAMED_THEN_TITLE_RE = re.compile(r"(?P<ref>\b\d+/\d{4}/[\wĐđ-]+)\s+(?:ngày|của)\b.*?(?=\s+và\s+(?:\w+\s+){1,3}số\b|\s+(?:hết hiệu lực|"
                                 r"được thay thế|bị bãi bỏ))")


ENDED_POINTS = 1  # the instrument it replaces; transitional clauses are for the article's readers


def _article_rank(key: str, heading: str, order: int, wanted: set[str], seen_rights: set[str]) -> float:
    """Lower first. Duties: the bodies the frame names, then the audience's usual bodies. Rights: the citizen's
    rights in general, then the first article of each grassroots right (told, discuss and decide, give views,
    supervise); a later article of a right already met (the same right in an agency) after all others."""
    if key == "duty":
        named = sum(1 for w in wanted if w in heading)
        return order - 1000 * named - (500 if any(b in heading for b in AUDIENCE_BODIES) else 0)
    if key == "rights":
        if heading.startswith(GENERAL_RIGHTS):
            return order - 2000
        kind = next((k for k in RIGHT_KINDS if k in heading), "")
        if kind and kind not in seen_rights:
            seen_rights.add(kind)
            return order - 1000
        return order + (1000 if kind else 0)
    return float(order)


def _nth_point(passages: list[Passage], idxs: list[int], heading: str, depth: int) -> tuple[int, str, str] | None:
    """The article's ``depth``-th clause that can be said with its heading (a clause too long for the heading to
    lead it is passed over), as (passage index, point, clause); None when the article has no more."""
    n = 0
    for i in idxs:
        for clause in article_clauses(passages[i]):
            point = as_point(heading, clause)
            if not point or is_enumeration(point) or not stands_alone(point):
                continue  # a list of terms ("Sửa đổi, bổ sung, thay thế hương ước, quy ước: hương ước, quy ước …")
            if n == depth:
                return i, point, clause
            n += 1
    return None


def law_sections(allp: list[Passage], law_passages: list[Passage] | None, frame, limit: int, scored: list) -> dict:
    """Section key → [(index in ``allp``, point, source clause)] for a named instrument; {} when none. ``scored``:
    the sentences of ``allp`` scored for the speech's matter (which articles speak of it)."""
    if not law_passages:
        return {}
    index = {p.chunk_id: i for i, p in enumerate(allp)}
    matter: dict[str, float] = {}
    for s in scored:
        if not getattr(s, "unmet", None):
            doc_id = allp[s.passage_index].doc_id
            matter[doc_id] = max(matter.get(doc_id, 0.0), s.score)
    raw = law_points(law_passages, f"{frame.speaker} {frame.audience}", limit, matter)
    out: dict = {k: [(index[law_passages[i].chunk_id], text, src) for i, text, src in pts] for k, pts in raw.items()}
    if out:
        out["instrument"] = str(law_passages[0].meta.get("instrument") or "")
    return out


def same_clause(a: str, b: str) -> bool:
    """One clause of an article, as the law outline and the sentence scorer cut it (list marks and stops aside)."""
    x, y = (" ".join(tokens(folded_form(t))) for t in (a, b))
    return bool(x and y) and (x in y or y in x) and min(len(x), len(y)) >= SAME_CLAUSE_SHARE * max(len(x), len(y))


SAME_CLAUSE_SHARE = 0.8  # a clause cut a little shorter (its list mark, its closing words) is the same clause
