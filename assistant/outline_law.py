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

from assistant.speech_frame import read_request
from assistant.speech_text import MAX_BULLET_WORDS, MIN_CLAUSE_WORDS, split_long, word_count
from assistant.types import Passage
from vntext import folded_form, tokens

# Type words that name an instrument in a request ("Luật …", "Nghị định 59/2023/NĐ-CP", "Chỉ thị 20-CT/ThU").
INSTRUMENT_RE = re.compile(r"\b(Bộ luật|Luật|Pháp lệnh|Nghị định|Nghị quyết|Thông tư|Chỉ thị|Quyết định)\b"
                           r"(?:\s+(?:số\s+)?(?P<number>\d{1,4}(?:/\d{4})?(?:[-/][\wĐđ-]+)*))?", re.IGNORECASE)
# Sections of a law outline, each by the folded opening words of its articles' headings, in outline order.
LAW_SECTIONS = (
    ("scope", "Phạm vi, hiệu lực của văn bản", ("pham vi dieu chinh", "hieu luc thi hanh", "doi tuong ap dung")),
    ("principle", "Nguyên tắc", ("nguyen tac", "tinh chat, muc dich va nguyen tac")),
    ("rights", "Quyền và nghĩa vụ", ("quyen cua", "nghia vu cua", "quyen thu huong", "nhung noi dung", "noi dung")),
    ("duty", "Trách nhiệm của các cơ quan, tổ chức", ("trach nhiem cua", "quyen va trach nhiem cua")),
    ("task", "Nhiệm vụ, giải pháp triển khai", ("cac bien phap", "bien phap", "to chuc thuc hien")),
)
# The bodies a Dân vận speech's audience belongs to, used to rank responsibility articles when the request
# names none of its own (issue 29: Ban Dân vận, Mặt trận, đoàn thể, chính quyền xã).
AUDIENCE_BODIES = ("mat tran", "to chuc chinh tri - xa hoi", "doan the", "cong doan", "uy ban nhan dan cap xa",
                   "hoi dong nhan dan", "cap xa", "dan van")
# Points a section takes beyond the outline's per-section count: rights and duties run longer.
EXTRA_POINTS = {"rights": 2, "duty": 1}
LIST_ITEM_RE = re.compile(r"^\s*(?:\d{1,2}\.|[a-zđ]\))\s+")
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
    of the named type that ranks highest (its passages' ranks summed, 1/rank)."""
    named = named_instrument(topic)
    if not named:
        return ""
    kind, number = named
    weights: dict[str, float] = {}
    for rank, p in enumerate(passages, 1):
        inst = str((p.meta or {}).get("instrument") or "")
        if not inst:
            continue
        if number and number.lower() not in inst.lower():
            continue
        if not number and not inst.lower().startswith(kind):
            continue
        weights[inst] = weights.get(inst, 0.0) + 1.0 / rank
    return max(weights, key=weights.get) if weights else ""


def instrument_passages(catalogue: Any, q: Any, passages: list[Passage],
                        scope: Iterable[str] | None = None) -> list[Passage]:
    """Every passage of the instrument the request names (in article order), or [] when it names none."""
    topic = read_request(getattr(q, "original", "") or "").topic
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


def article_clauses(p: Passage) -> list[str]:
    """The article's clauses ("1. …", "a) …") as sentences, its header lines left out; a clause over the
    bullet length is cut at its strongest clause boundary (its first piece kept)."""
    out: list[str] = []
    for line in p.text.splitlines():
        line = line.strip()
        if not line or HEADER_RE.match(line) or line.endswith(":"):
            continue
        text = LIST_ITEM_RE.sub("", line)
        pieces = split_long(text, MAX_BULLET_WORDS) or []
        if pieces and word_count(pieces[0]) >= MIN_CLAUSE_WORDS // 2:
            out.append(re.sub(r"[;,]\s*$", ".", pieces[0]))  # a list item's ";" ends the point
    return out


ISSUED_RE = re.compile(r"^\(Điều \d+\s+(?P<what>.+ngày \d{1,2}/\d{1,2}/\d{4}.+hiệu lực[^)]*)\)$")


def issued_line(p: Passage) -> str:
    """"Luật số 10/2022/QH15 … ngày 10/11/2022 của Quốc hội, có hiệu lực thi hành kể từ ngày 01/07/2023": the
    article's source line when it gives the date of issue (the instrument's number, date and effective date)."""
    for line in p.text.splitlines():
        m = ISSUED_RE.match(line.strip())
        if m:
            return m.group("what").strip() + "."
    return ""


def as_point(heading: str, clause: str) -> str:
    """"Trách nhiệm của Ủy ban Mặt trận …: tổ chức vận động Nhân dân …" — a clause with the heading it belongs
    to, so it says whose duty or which right it is. A clause that is itself a whole sentence with a subject
    ("Luật này có hiệu lực …") stands alone."""
    if re.match(r"^(?:Luật|Nghị định|Thông tư|Chỉ thị|Nghị quyết|Quyết định) này\b", clause) or not heading:
        return clause
    first = clause[:1].lower() + clause[1:] if clause[1:2].islower() else clause
    point = f"{heading}: {first}"
    if word_count(point) <= MAX_BULLET_WORDS:
        return point
    room = MAX_BULLET_WORDS - word_count(heading)  # the clause's first part, so the heading still leads it
    pieces = split_long(clause, room) if room >= MIN_CLAUSE_WORDS else []
    if pieces and word_count(pieces[0]) <= room:
        return as_point(heading, re.sub(r"[;,]\s*$", ".", pieces[0]))
    return clause


def body_words(frame_text: str) -> set[str]:
    """Folded word pairs of the bodies a frame names (speaker, audience), to rank responsibility articles."""
    toks = tokens(folded_form(frame_text))
    return {f"{a} {b}" for a, b in zip(toks, toks[1:])}


def law_points(passages: list[Passage], frame_text: str, per_section: int) -> dict[str, list[tuple[int, str, str]]]:
    """Section key → [(passage index, point, source clause)], articles in order, per_section (+ extra) each."""
    by_article: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        by_article.setdefault(p.doc_id, []).append(i)
    wanted = body_words(frame_text)
    out: dict[str, list[tuple[int, str, str]]] = {}
    ranked: dict[str, list[tuple[float, int, str]]] = {}
    for order, (doc_id, idxs) in enumerate(by_article.items()):
        heading = article_heading(passages[idxs[0]])
        key = section_of(heading)
        if not key:
            continue
        score = float(order)
        if key == "duty":
            f = folded_form(heading)
            named = sum(1 for w in wanted if w in f)
            default = any(b in f for b in AUDIENCE_BODIES)
            score = order - 1000 * named - (500 if default else 0)
        ranked.setdefault(key, []).append((score, idxs[0], heading))
    for key, _, _ in LAW_SECTIONS:
        limit = per_section + EXTRA_POINTS.get(key, 0)
        points: list[tuple[int, str, str]] = []
        for _, idx, heading in sorted(ranked.get(key, [])):
            clauses = [(i, c) for i in by_article[passages[idx].doc_id] for c in article_clauses(passages[i])]
            issued = issued_line(passages[idx]) if key == "scope" else ""
            if issued and len(points) < limit:
                points.append((idx, issued, issued))
            if clauses and len(points) < limit:  # an article's first clause; the next article says the next thing
                i, clause = clauses[0]
                points.append((i, as_point(heading, clause), clause))
        if points:
            out[key] = points
    return out
