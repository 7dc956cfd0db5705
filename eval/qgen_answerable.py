"""Answerable questions, each built from one document's facts or sentences and checked against it.

Every builder returns plain questions (style is applied later) with what an answer must contain,
taken verbatim from the document, so a correct extractive answer can always pass.
"""
from __future__ import annotations

import random
import re
from collections import defaultdict

from qgen_store import Doc, Store, fold
from qgen_style import QWORDS, capitalise
from qgen_text import (DEPENDENT_OPENERS, ORG_LEVEL, clean_brackets, is_cap, main_place, places_in, sentence_at, sentences,
                       strip_lead, trim_clause)

# Approximating qualifiers dropped from a blanked figure ("hơn 112 mô hình" → "bao nhiêu mô hình").
_APPROX = {"hơn", "trên", "gần", "khoảng", "hàng", "chừng", "ước", "gần như", "tới", "đến", "có"}
MIN_QUESTION_WORDS = 6      # shorter blanked clauses carry too little to identify the fact
MIN_CLAUSE_WORDS = 7        # the document's own words kept around a blanked figure
MIN_LEFT_WORDS = 2          # a subject or verb before the blanked figure
MAX_LEFT_WORDS = 16         # longer, the clause could not be cut at a comma: left out, never cut mid-phrase
MAX_QUESTION_WORDS = 32
SUBJECT_KEY_WORDS = 6       # words of a document's subject an answer must quote
SMALL_FIGURE = 10           # below this, "mấy" is a natural question word
ORG_WORDS = ("ban ", "ủy", "uỷ", "hội", "đoàn", "mặt trận", "hđnd", "ubnd", "mttq", "ubmttq", "đảng", "sở ", "phòng ",
             "xã", "huyện", "tỉnh", "thị", "liên đoàn", "công an", "quân sự", "chi bộ", "thành phố", "tòa", "viện")


# Lower-case words a unit's name may hold ("Đảng ủy Khối các cơ quan tỉnh"): the issuer rule's own set.
from ingest.facts.common import ORG_LOWER as ORG_LOWER_WORDS  # noqa: E402


def base(qtype: str, kind: str, question: str, doc: Doc, must: list[str], any_of: list[str] | None = None,
         **slots) -> dict:
    return {"qtype": qtype, "kind": kind, "question": " ".join(question.split()), "doc": doc.source,
            "sources": [doc.source], "must_include": must, "any_of": any_of or [],
            "slots": {k: v for k, v in slots.items() if v}}


# ------------------------------------------------------------------ figures
def _must_figure(fact: dict) -> str | None:
    f, text = fact["fields"], fact["text"]
    value, unit = f.get("value") or "", f.get("unit") or ""
    i = text.find(value)
    if i < 0:
        return None
    m = re.match(re.escape(value) + r"\s*" + re.escape(unit), text[i:]) if unit else None
    return m.group(0) if m else value


def figure_questions(doc: Doc, rng: random.Random) -> list[dict]:
    out = []
    for fact in doc.facts:
        f = fact["fields"]
        if fact["kind"] != "figure" or not (f.get("counts") or f.get("unit") in ("%", "triệu đồng", "tỷ đồng")):
            continue
        must = _must_figure(fact)
        pos = doc.text.find(fact["text"])
        if not must or pos < 0 or re.fullmatch(r"(19|20)\d\d|0*1", f.get("value") or ""):
            continue
        a, b = sentence_at(doc.text, pos)
        sent = doc.text[a:b]
        s, e = pos - a, pos - a + len(fact["text"])
        before = sent[:s].split()[-2:]
        if before and (before[-1][:1].isupper() or before[-1][:1].isdigit() or
                       (len(before) == 2 and before[0][:1].isupper() and s > len(" ".join(before)) + 1)):
            continue  # "Hội nghị Trung ương 8 diễn ra": a name's number, not a count
        left, right = trim_clause(sent, s, e)
        left = _REPORTING.split(left)[-1]  # "…, xác nhận thông tin và cho biết, vụ sạt lở …": what was reported
        if not MIN_LEFT_WORDS <= len(left.split()) <= MAX_LEFT_WORDS:
            continue
        number = float(f.get("number") or 0)
        qword = rng.choice(QWORDS["small_figure" if number < SMALL_FIGURE and f.get("unit") != "%" else "figure"])
        inner = fact["text"]
        q = (f.get("qualifier") or "")
        if q and inner.lower().startswith(q.lower()):
            inner = inner[len(q):].lstrip()
            if q.lower() not in _APPROX:
                qword = f"{q} {qword}"
        inner = inner.replace(f.get("value"), qword, 1)
        if f.get("unit") == "%":
            inner = re.sub(r"\s*%", " phần trăm", inner, count=1)
        text = clean_brackets(strip_lead(f"{left}{inner} {right}"))
        if text.lower().startswith(tuple(w + " " for w in DEPENDENT_OPENERS)):
            continue
        if len(text.split()) < MIN_CLAUSE_WORDS:
            continue
        year = str(f["year"]) if f.get("year") and re.search(rf"(?i)\bnăm\s+{f['year']}\b", sent[:s]) else None
        year = year or _window_year(doc.text, a, a + s)  # "năm 2018" written before the figure, not "Olympic 1988"
        prefix = []
        if year and year not in text:
            prefix.append(f"năm {year}")
        place = None
        if not places_in(text):
            near = places_in(_window(doc.text, a, b))
            if near:  # the place the passage is about, named in this sentence or just before it
                place = f"{near[-1][0]} {near[-1][1]}"
                prefix.append(f"ở {place}")
        if prefix and not _keeps_capital(text):
            text = text[:1].lower() + text[1:]
        question = finish(capitalise(", ".join(prefix) + (", " if prefix else "") + text))
        if not (year or place or places_in(text) or _names_something(text)):
            continue  # nothing in the question says whose figure it is
        n = len(question.split())
        if n < MIN_QUESTION_WORDS or n > MAX_QUESTION_WORDS or qword.split()[-1] not in question:
            continue
        out.append(base("figure", "lookup", question, doc, [must], year=year, fact_year=year, place=place,
                        counts=f.get("counts"), value=must))
    return _drop_duplicate_questions(out)


_REPORTING = re.compile(r"(?:xác nhận thông tin và |thông tin và )?(?:cho biết|cho hay|khẳng định),?\s+")
PLACE_WINDOW_SENTENCES = 3  # a figure's place may be named this many sentences before it, same paragraph


def _window(text: str, a: int, b: int) -> str:
    """The figure's sentence and the sentences before it in the same paragraph (up to the window)."""
    para_start = text.rfind("\n", 0, a) + 1
    spans = [(x, y) for x, y in sentences(text[para_start:b])][-PLACE_WINDOW_SENTENCES:]
    return text[para_start + spans[0][0]:b] if spans else text[a:b]


def _window_year(text: str, a: int, b: int) -> str | None:
    """"Năm 2018, … Trong đó …": the one year named in the figure's sentence or just before it."""
    years = set(re.findall(r"(?i)\bnăm\s+((?:19|20)\d\d)\b(?!\s*[-–]\s*\d)", _window(text, a, b)))
    return years.pop() if len(years) == 1 else None


def finish(text: str) -> str:
    """One question mark, no stray punctuation before it."""
    return re.sub(r"[\s.,;:/!?]+$", "", " ".join(text.split())) + "?"


def _names_something(text: str) -> bool:
    """A capitalised word past the first (not a bare acronym): a place, a body, a person the figure belongs to."""
    return any(is_cap(w.strip(",.;:()")) for w in text.split()[1:])


def _keeps_capital(text: str) -> bool:
    """A clause opening with a proper name or acronym keeps its capital after a prefix."""
    w = text.split()[:2]
    return bool(w) and ((len(w[0]) > 1 and w[0][1:2].isupper()) or (len(w) > 1 and is_cap(w[0]) and is_cap(w[1])))


def no_year_questions(figs: list[dict]) -> list[dict]:
    """A figure question without its year: answered by every figure the document gives for it."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for q in figs:
        year = q["slots"].get("fact_year")
        if not year:
            continue
        text = re.sub(rf"(?i)(,\s*)?\b(trong\s+|vào\s+|đến\s+|cuối\s+|đầu\s+)?năm {year}\b,?", "", q["question"])
        groups[fold(text)].append({**q, "question": capitalise(" ".join(text.split()).strip(" ,"))})
    out = []
    for items in groups.values():
        years = {q["slots"]["fact_year"] for q in items}
        values = [q["must_include"][0] for q in items]
        if len(values) != len(set(values)) or len(years) != len(items):
            continue
        q = dict(items[0])
        q["question"] = finish(q["question"])
        if not (q["slots"].get("place") or places_in(q["question"])):
            continue  # without its year, only a place says whose figures these are
        q["qtype"], q["must_include"] = "figure_all_years", sorted(values)
        q["slots"] = {k: v for k, v in q["slots"].items() if k not in ("year", "fact_year", "value")}
        q["style"] = "no_year"
        out.append(q)
    return out


def _drop_duplicate_questions(items: list[dict]) -> list[dict]:
    seen = defaultdict(list)
    for q in items:
        seen[fold(q["question"])].append(q)
    return [v[0] for v in seen.values() if len({tuple(x["must_include"]) for x in v}) == 1]


# ------------------------------------------------------------------ roles
def _trim_position(seg: str) -> str:
    """Drop trailing words that are no part of a unit's name ("… Trung ương nhiệt liệt hoan nghênh")."""
    ws = seg.split()
    run = 0
    while run < len(ws) and not ws[-1 - run][:1].isupper():
        run += 1
    if run and any(w.lower() not in ORG_LOWER_WORDS for w in ws[len(ws) - run:]):
        ws = ws[:len(ws) - run]  # "… Ban Bí thư điều trị": a trailing run with any non-unit word goes whole
    return " ".join(ws)


def _position_segment(position: str) -> str | None:
    """The most specific part of "Ủy viên BTV, Trưởng Ban Dân vận thị ủy" (the last naming a unit)."""
    segs = [_trim_position(s.strip()) for s in re.split(r"[,;]", re.sub(r"\([^)]*\)", "", position))]
    segs = [s for s in segs if s]
    good = [s for s in segs if any(w in s.lower() for w in ORG_WORDS) and len(s.split()) >= 3
            and not re.search(r"\bTP\.?$", s)
            and not re.match(r"(?i)(ủy|uỷ) viên|thường trực$", s)]
    if good and re.search(r"^\s*(,|và)\s*(HĐND|UBND|Ủy ban|Uỷ ban|Hội đồng)",
                          position[position.find(good[-1]) + len(good[-1]):]):
        return None  # "Văn phòng Đoàn ĐBQH, HĐND và UBND thành phố …": the unit goes on past the comma
    return good[-1] if good else None


def _with_place(seg: str, doc: Doc) -> str:
    """"Trưởng Ban Dân vận Tỉnh ủy" → "… Tỉnh ủy Hà Tĩnh" when the document names the province."""
    if places_in(seg):
        return seg
    low = seg.lower()
    for org, level in ORG_LEVEL.items():
        if low.endswith(org):
            mp = main_place(doc, level)
            if mp and not any(is_cap(w) for w in seg.split()[-1:]):
                return f"{seg} {mp[1]}"
            return seg
    return seg


def role_questions(doc: Doc, store: Store, holders: dict[str, set[str]], rng: random.Random) -> list[dict]:
    out, seen = [], set()
    here: dict[str, set[str]] = defaultdict(set)
    positions: dict[str, list[str]] = defaultdict(list)
    for fact in doc.facts:
        seg = _position_segment(fact["fields"].get("position") or "") if fact["kind"] == "role" else None
        if seg and store.occurs_in_source(doc, seg):
            here[fold(seg)].add(fact["fields"].get("person") or "")
            if seg not in positions[fact["fields"].get("person") or ""]:
                positions[fact["fields"].get("person") or ""].append(seg)
    for fact in doc.facts:
        if fact["kind"] != "role":
            continue
        person, position = fact["fields"].get("person") or "", fact["fields"].get("position") or ""
        seg = _position_segment(position)
        if not seg or len(person.split()) < 2 or not all(is_cap(w) for w in person.split()):
            continue
        if person.split()[-1] in _OPENERS:
            continue  # "Trương Thị Mai Qua …": the next sentence's first word taken into the name
        if (person, seg) in seen or not store.occurs_in_source(doc, seg) or _name_follows(doc.text, fact["text"], person):
            continue
        if _unclear_boundary(fact["text"], person) or _unit_goes_on(doc.text, seg):
            continue
        seen.add((person, seg))
        full = _with_place(seg, doc)
        if not _specific(full):
            continue
        place = full[len(seg):].strip() or None
        term = _term_near(doc.text, fact["text"])
        if term:
            full = f"{full} {term}"
        if len(here[fold(seg)]) == 1 and (len(holders.get(fold(seg), ())) == 1 or place):
            qw = rng.choice(QWORDS["person"])
            q = f"Ai là {full}?" if qw == "ai" else f"Đồng chí nào đang giữ chức {full}?"
            unit, where = _core(full), place
            named = places_in(full)
            if named:  # "Chủ tịch UBND tỉnh Nghệ An": the post and the place, each searched on its own
                unit, where = _core(full[:full.rfind(named[-1][1])].strip()), named[-1][1]
            out.append(base("role", "qa", q, doc, [person], position=seg, place=place, period=term,
                            position_full=unit, unit_place=where))
            out.append(base("role_named", "qa", f"Đồng chí {full} là ai?", doc, [person], position=seg, place=place,
                            period=term, position_full=unit, unit_place=where))
        if positions.get(person) and person not in {x["slots"].get("person") for x in out}:
            out.append(base("position", "qa", f"Đồng chí {person} {rng.choice(QWORDS['position'])}?", doc, [],
                            positions[person], person=person))
    return out


_NATIONAL = re.compile(r"Trung ương|T\.Ư|TƯ|Quốc hội|Chính phủ|Nhà nước|Bộ Chính trị|Ban Bí thư|Việt Nam|"
                       r"Bộ [A-ZĐ]|Tổng cục|Cục [A-ZĐ]")


def _specific(position: str) -> bool:
    """A position that names its unit ("… Huyện ủy Cẩm Xuyên", "… Trung ương"), not "Chủ tịch UBND xã"."""
    if re.search(r"(?i)\b(tỉnh|huyện|quận|xã|phường|thị xã|thị trấn|thành phố|TP\.?)$", position.strip()):
        return False  # "Chủ tịch UBMTTQ Việt Nam quận": a local unit left unnamed
    return bool(places_in(position) or _NATIONAL.search(position))


def _term_near(text: str, span: str) -> str | None:
    """ "nhiệm kỳ 2020 - 2025" in the sentence naming the person, as written."""
    pos = text.find(span)
    if pos < 0:
        return None
    a, b = sentence_at(text, pos)
    m = re.search(r"nhiệm kỳ\s+(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d", text[a:b])
    return m.group(0) if m else None


# Capitalised words that open a sentence or clause, never the last syllable of a person's name.
_OPENERS = {"Qua", "Theo", "Tại", "Trong", "Khi", "Sau", "Với", "Về", "Cùng", "Nhằm", "Để", "Trước", "Ngày", "Sáng",
            "Chiều", "Tối", "Nhưng"}


def _core(seg: str) -> str:
    """"Trưởng ban Dân vận Trung ương Đảng Cộng sản Việt Nam" → "Trưởng ban Dân vận Trung ương": the words
    another document would use for the same post."""
    m = re.search(r"Trung ương|T\.Ư|TƯ", seg)
    return seg[:m.end()] if m else seg


_UNIT_CONTINUES = re.compile(r"\s*(,|và)\s*(HĐND|UBND|Ủy ban|Uỷ ban|Hội đồng)")


def _unit_goes_on(text: str, seg: str) -> bool:
    """"Phó chánh Văn phòng Đoàn ĐBQH, HĐND và UBND thành phố Đà Nẵng": the post's unit continues past
    the comma where the extracted position stopped."""
    return any(_UNIT_CONTINUES.match(text, m.end()) for m in re.finditer(re.escape(seg), text))


def _unclear_boundary(fact_text: str, person: str) -> bool:
    """"Phó Trưởng Ban Dân vận Tỉnh ủy Tiền Giang Lê Minh Tùng": a position ending in a name written straight
    before the person's name leaves unclear where the place ends and the person begins."""
    i = fact_text.find(person)
    before = fact_text[:i].rstrip() if i > 0 else ""
    return bool(before) and is_cap(before.split()[-1])


def _name_follows(text: str, span: str, person: str) -> bool:
    """"Tổng bí thư Nguyễn Phú Trọng, Trưởng Ban Dân vận T.Ư Trương Thị Mai": a position written after one name
    and before another belongs to the next one; such a fact is left out."""
    pos = text.find(span)
    if pos < 0 or not span.startswith(person):
        return False
    return bool(re.match(r"\s+[A-ZĐ][^\W\d_]*\s+[A-ZĐ][^\W\d_]*", text[pos + len(span):pos + len(span) + 40]))


def role_holders(store: Store) -> dict[str, set[str]]:
    holders: dict[str, set[str]] = defaultdict(set)
    for d in store.docs:
        for fact in d.facts:
            if fact["kind"] == "role":
                seg = _position_segment(fact["fields"].get("position") or "")
                if seg:
                    holders[fold(seg)].add(fact["fields"].get("person") or "")
    return holders


# ------------------------------------------------------------------ document references
def doc_ref_questions(doc: Doc, store: Store, rng: random.Random) -> list[dict]:
    out, seen = [], set()
    for fact in doc.facts:
        f = fact["fields"]
        number = f.get("number")
        if fact["kind"] != "document_ref" or not number or not (f.get("subject") or f.get("issuer")):
            continue
        # the reference as users type it: "Kết luận số 62-KL/TW" (the text may read "kết luận số 62 - KL / TW")
        so = " số" if _SO.search(fact["text"]) else ""
        label = f"{f.get('doc_type')}{so} {number}"
        symbolic = bool(re.search(r"[A-Za-zĐđ]{2}", number)) or "/" in number
        if label in seen or (not symbolic and not f.get("issuer")):
            continue
        seen.add(label)
        if not symbolic:
            label = f"{label} của {f['issuer']}"
        holders = store.docs_with_all([label])
        if f.get("subject"):
            key = _subject_key(f["subject"])
            if key and all(store.occurs_in_source(d, key) for d in holders if not d.near_dup):
                q = f"{capitalise(label)} {rng.choice(QWORDS['subject'])}?"
                out.append(base("doc_subject", "lookup", q, doc, [key], ref=number, doc_type=f.get("doc_type"),
                                issuer=f.get("issuer") if not symbolic else None))
        if f.get("issuer") and symbolic:
            if all(store.occurs_in_source(d, f["issuer"]) for d in holders if not d.near_dup):
                q = f"{capitalise(label)} {rng.choice(QWORDS['issuer'])}?"
                out.append(base("doc_issuer", "lookup", q, doc, [f["issuer"]], ref=number, doc_type=f.get("doc_type")))
    return out


_SO = re.compile(r"(?i)(?<!\w)số(?!\w)")


def _subject_key(subject: str) -> str | None:
    first = re.split(r"[,;:(]", subject)[0]
    ws = first.split()[:SUBJECT_KEY_WORDS]
    return " ".join(ws) if len(ws) >= 3 else None


# ------------------------------------------------------------------ dates of events
_DATE_LEAD = re.compile(
    r"^(?:(?:Sáng|Chiều|Tối|Trưa|Sáng nay|Chiều nay)\s+)?(?:ngày\s+|hôm\s+)?(?P<date>\d{1,2}/\d{1,2}(?:/\d{4})?)"
    r"(?:\s*\([^)]*\))?\s*,\s*(?P<rest>.+)$", re.IGNORECASE)
_REST_CUT = re.compile(r"[;:]| về việc | nhằm | để | với sự | với chủ đề| với | theo | dưới sự | - |, (?=[a-zđ])")


MAX_EVENT_WORDS = 22
_EVENT = re.compile(r"(?i)tổ chức|khai mạc|bế mạc|diễn ra|họp|hội nghị|đại hội|sơ kết|tổng kết|ký kết|phát động|"
                    r"trao |ra mắt|ban hành|thăm|làm việc|kỷ niệm|gặp mặt|khánh thành|khởi công|đối thoại|tọa đàm|"
                    r"hội thảo|thông cáo|bỏ phiếu|công bố|tiếp xúc|giám sát|kiểm tra|triển khai|hội nghị")
_REPORTED = re.compile(r"(?i)cho biết|thông tin|cho hay|theo |đưa tin|phản ánh")


def date_questions(doc: Doc, rng: random.Random) -> list[dict]:
    out = []
    for a, b in sentences(doc.text):
        if "…" in doc.text[a:b]:
            continue  # a cut title
        m = _DATE_LEAD.match(doc.text[a:b].strip())
        if not m:
            continue
        rest = m.group("rest")
        c = _REST_CUT.search(rest, 20)
        rest = clean_brackets(rest[:c.start()] if c else rest)
        n = len(rest.split())
        if n < 6 or n > MAX_EVENT_WORDS or not re.search(r"[A-ZĐ]", rest[:40]):
            continue
        if not _EVENT.search(rest) or _REPORTED.search(rest):
            continue
        if re.match(r"(?i)(tại|trong|theo)\s", rest) and "," not in rest:
            continue  # "Tại phiên họp … khi nào?": a place phrase with no event
        year = m.group("date").split("/")[2] if m.group("date").count("/") == 2 else None
        q = f"{capitalise(rest)} {rng.choice(QWORDS['date'])}?"
        out.append(base("date", "qa", q, doc, [m.group("date")], date=m.group("date"), year=year))
    return out


# ------------------------------------------------------------------ legal articles
_LEGAL_LIMIT = re.compile(r"(?i)(ít nhất|tối thiểu|tối đa|không quá|không ít hơn|chậm nhất|trong thời hạn|"
                          r"trong vòng|không dưới)\s+(?P<num>\d{1,4})\s+"
                          r"(?P<unit>ngày làm việc|thành viên|chuyên gia|đại biểu|ủy viên|uỷ viên|[^\W\d_]+)(?!\w)")
_LEGAL_FORMS = ["Theo {a} {i}, {t} được quy định như thế nào?", "{a} {i} quy định gì về {t}?",
                "Nội dung {a} {i} về {t} là gì?"]


def legal_questions(doc: Doc, store: Store, rng: random.Random) -> list[dict]:
    """From a legal article's metadata (article, instrument, title) and its provisions."""
    article, instrument = doc.article, doc.instrument
    if not article or not instrument:
        return []
    topic = doc.title.split(" — ", 1)[1].strip().rstrip(".") if " — " in doc.title else None
    body = "\n".join(t for _, t in doc.chunks)
    m = re.search(r"^\(Điều[^\n]*\)\s*$", body, re.M)
    body = body[m.end():] if m else body
    out = []
    keys = [k for k in _legal_keys(body, store) if store.occurs_in_source(doc, k)]
    if topic:
        topic = re.sub(r"(?i)^(quy định về|về)\s+", "", topic)
    if topic and keys:
        q = rng.choice(_LEGAL_FORMS).format(a=article, i=instrument, t=topic[:1].lower() + topic[1:])
        out.append(base("legal_content", "qa", q, doc, [], keys, article=article, instrument=instrument))
    for m in _LEGAL_LIMIT.finditer(body):
        a, b = sentence_at(body, m.start())
        left, right = trim_clause(body[a:b], m.start() - a, m.end() - a, max_left=14, max_right=6)
        blank = f"{m.group(1)} {rng.choice(QWORDS['figure'])} {m.group('unit')}"
        text = clean_brackets(strip_lead(f"{left}{blank} {right}")).rstrip(" ,.")
        text = re.sub(r"^\d+[.)]\s*|^[a-zđ]\)\s*", "", text)
        if len(text.split()) < 7:
            continue
        q = f"Theo {article} {instrument}, {text[:1].lower() + text[1:]}?"
        out.append(base("legal_figure", "lookup", q, doc, [f"{m.group('num')} {m.group('unit')}"],
                        article=article, instrument=instrument))
        break
    return out


LEGAL_KEY_WORDS = (5, 8)     # a provision's opening words an answer quoting it must hold
LEGAL_KEY_MAX_DOCS = 2      # a phrase found in more documents than this does not tell articles apart


LEGAL_KEYS = 3              # provisions an answer about an article may quote first: any one of them will do


def _legal_keys(body: str, store: Store) -> list[str]:
    """Opening words of the article's first provisions that few documents share: an answer quoting any of
    them quotes the article (an article spans several passages; which one an answer opens with is its choice)."""
    lo, hi = LEGAL_KEY_WORDS
    keys: list[str] = []
    for line in body.splitlines():
        if re.match(r"\s*(\(|Đề mục:|Điều\s+\d)", line):
            continue  # the article's heading and source note, not a provision
        line = re.sub(r"^\s*(\d+(\.\d+)*[.)]|[a-zđ]\))\s*", "", line).strip()
        ws = re.split(r"[;:]|\.(?=\s|$)", line)[0].split()
        if len(ws) < lo:
            continue
        key = " ".join(ws[:hi]).rstrip(",")
        if len(store.docs_with_all([key])) <= LEGAL_KEY_MAX_DOCS and key not in keys:
            keys.append(key)
        if len(keys) == LEGAL_KEYS:
            break
    return keys
