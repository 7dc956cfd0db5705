"""A speech request read as phrases: who speaks, at which occasion, to whom, about what, where, when.

"Soạn dàn ý bài phát biểu của lãnh đạo Ban Dân vận tại hội nghị triển khai Luật Thực hiện dân chủ ở
cơ sở" → speaker "lãnh đạo Ban Dân vận", occasion "hội nghị triển khai Luật Thực hiện dân chủ ở cơ sở",
topic "Luật Thực hiện dân chủ ở cơ sở". The frame (speaker, occasion, audience) shapes the outline; only
the topic and the explicit scope (place, period) select material. Pure functions on the text, by
general Vietnamese phrase shape: a preposition opens each part ("của", "tại", "với", "về"), an
occasion is a gathering word and what is done there ("hội nghị sơ kết …"), its object is the topic.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from assistant.speech.speech_text import request_head_end
from vntext import folded_form, split_sentences
from vntext.vocab import (ADMIN_UNITS, CALENDAR_UNITS, CENTURY_YEAR, CITY_ABBR, DASHES, GATHERINGS, PERIOD_WORDS,
                          LOCATIVES, ORG_HEADS, VILLAGE_UNITS,
                          SPEECH_KINDS, alternation, folded, pick)

if TYPE_CHECKING:
    from assistant.understand.query import QueryInfo

# What is done at a gathering; the words after it are what the gathering is about (its topic).
OCCASION_ACTS = ("sơ kết", "tổng kết", "triển khai", "quán triệt", "ký kết", "phát động", "tuyên dương", "biểu dương",
                 "gặp mặt", "gặp gỡ", "nói chuyện", "tiếp xúc", "đối thoại", "kỷ niệm", "khai mạc", "bế mạc",
                 "giao ban", "chuyên đề", "ra mắt", "học tập", "tập huấn", "giám sát", "trao đổi", "làm việc",
                 "tọa đàm", "ký", "công bố", "phổ biến", "thông qua", "xây dựng", "kết nạp", "tôn vinh", "thăm")
# Hyphen or en dash between a span's years: the speech rules leave the em dash out (read by constraints.PERIOD_RE).
SPAN_DASH = f"[{DASHES[:2]}]"
# The words that introduce a year or a span ("năm 2021", "giai đoạn 2018 - 2020"); an occasion's time words take
# the first three (not "thời kỳ").
_PERIOD_MARKERS = pick(CALENDAR_UNITS, "năm") + pick(PERIOD_WORDS, "giai đoạn", "nhiệm kỳ", "thời kỳ")
# Time words an occasion states before its object ("sơ kết 6 tháng đầu năm 2021", "tổng kết 5 năm").
_TIME_RE = re.compile(r"^(?:(?:\d+|một|hai|ba|năm|mười)\s+(?:năm|tháng)(?:\s+đầu năm|\s+cuối năm)?"
                      rf"|(?:{alternation(_PERIOD_MARKERS[:3])})\s+\d{{4}}(?:\s*{SPAN_DASH}\s*\d{{4}})?|quý\s+[IV\d]+)"
                      rf"(?:\s+\d{{4}}(?:\s*{SPAN_DASH}\s*\d{{4}})?)?\s*", re.IGNORECASE)
# Prepositions that open a part of the frame.
_FRAME_PREPS = "của|tại|trong|trước|với|về|cho|nhân dịp|khi|theo chủ đề|với chủ đề|chủ đề"
_PARTS_RE = re.compile(rf"\s(?=(?:{_FRAME_PREPS})\s)", re.IGNORECASE)
_PART_RE = re.compile(rf"({_FRAME_PREPS})\s+(.*)$", re.IGNORECASE | re.DOTALL)
# The administrative units and the nationwide village words (not "xóm", "buôn", "tổ dân phố" …); "TP." with its dot.
_ADMIN = "(?:" + "|".join(re.escape(u) + (r"\.?" if u == CITY_ABBR else "") for u in ADMIN_UNITS + VILLAGE_UNITS) + ")"
# A named place: an administrative word before a capitalised name, or a capitalised name after "ở"/"tại".
_PLACE_LINK = "|".join(pick(LOCATIVES, "ở", "tại", "trên địa bàn"))  # "thuộc" links a unit to its parent
PLACE_RE = re.compile(rf"(?<!\w)(?:(?P<admin>{_ADMIN})|(?P<link>{_PLACE_LINK}))\s+(?P<name>\w+(?:\s+\w+){{0,3}})",
                      re.IGNORECASE)
# A capitalised word this close before a place word makes it part of a name ("Thông tấn xã", "Ban … Tỉnh").
ORG_NAME_REACH = 2
PLACE_NAME_MAX_WORDS = 4  # "Bà Rịa - Vũng Tàu" aside, Vietnamese place names are two to four syllables
# A year or a span; a year inside a document number ("59/2023/NĐ-CP") is no period.
PERIOD_RE = re.compile(rf"(?<![\d/])({CENTURY_YEAR})(?:\s*{SPAN_DASH}\s*({CENTURY_YEAR}))?(?![\d/])")
# A period said in the topic ("năm 2021", "giai đoạn 2018 - 2020", "nhiệm kỳ 2020-2025"): a filter, not words to match.
PERIOD_PHRASE_RE = re.compile(rf"(?:\b(?:trong\s+)?(?:{alternation(_PERIOD_MARKERS)})\s+)?(?<![\d/]){CENTURY_YEAR}"
                              rf"(?:\s*{SPAN_DASH}\s*{CENTURY_YEAR})?(?![\d/])", re.IGNORECASE)
# Words that tie a scope to what comes before it ("… của thị xã Hồng Lĩnh", "… ở Nghệ An").
_SCOPE_LINK_RE = re.compile(rf"\s*(?:,\s*)?(?:của|{'|'.join(LOCATIVES)})?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class RequestFrame:
    topic: str = ""
    occasion: str = ""
    speaker: str = ""
    audience: str = ""
    place: str = ""
    period: str = ""
    context: str = ""  # the matter told in the request's other sentences: searched for and matched, never said
    aspects: tuple[str, ...] = ()  # what the requester lists for the speech to cover ("…: tiêu chuẩn, số lượng …")


def _split_parts(rest: str) -> list[tuple[str, str]]:
    """("tại", "hội nghị …"), ("của", "lãnh đạo …"): the request's parts by their opening preposition.
    A preposition inside an occasion's object stays with it ("hội nghị triển khai Luật … ở cơ sở")."""
    pieces = _PARTS_RE.split(" " + rest)
    out: list[tuple[str, str]] = []
    for piece in pieces:
        piece = piece.strip(" ,")
        if not piece:
            continue
        m = _PART_RE.match(piece)
        prep, body = (m.group(1).lower(), m.group(2)) if m else ("", piece)
        out.append((prep, body.strip(" ,:")))
    return out


def _gathering(text: str) -> str | None:
    low = text.lower()
    for g in sorted(GATHERINGS, key=len, reverse=True):
        if low.startswith(g + " ") or low == g:
            return g
    return None


def occasion_object(occasion: str) -> tuple[str, str]:
    """("sơ kết", "mô hình Dân vận khéo") of "hội nghị sơ kết mô hình Dân vận khéo": the act, and what the
    occasion is about (empty when it names none: "tiếp xúc cử tri" is an act with its own object)."""
    g = _gathering(occasion)
    rest = occasion[len(g):].strip() if g else occasion.strip()
    act = ""
    for _ in range(2):  # "buổi gặp mặt, nói chuyện với …"
        low = rest.lower()
        for a in sorted(OCCASION_ACTS, key=len, reverse=True):
            if low.startswith(a + " ") or low == a:
                act = act or a
                rest = rest[len(a):].lstrip(" ,")
                break
    rest = _TIME_RE.sub("", rest, count=1).strip()
    return act, rest


def _cut_at(text: str, preps: tuple[str, ...]) -> tuple[str, str]:
    m = re.search(r"(?:^|\s)(" + "|".join(preps) + r")\s", text, re.IGNORECASE)
    if not m:
        return text.strip(), ""
    return text[:m.start(1)].strip(" ,"), text[m.start(1):].strip(" ,")


def _capitalised_run(text: str) -> str:
    run = []
    for w in text.split()[:PLACE_NAME_MAX_WORDS]:
        if not w[:1].isupper():
            break
        run.append(w)
    return " ".join(run)


def org_preceded(text: str, start: int) -> bool:
    """A capitalised word within ORG_NAME_REACH words before ``start`` (same clause): the place word there
    ends an organisation's name ("Thông tấn xã Việt Nam"), it names no place."""
    before = re.split(r"[,;:.()\n]", text[:start])[-1].split()[-ORG_NAME_REACH:]
    return any(w[:1].isupper() for w in before)


# No commune, district or province bears the country's name: "xã Việt Nam" ends "Thông tấn xã Việt Nam".
COUNTRY_NAMES = ("Việt Nam",)


def _capitalised_before(text: str, start: int) -> bool:
    before = re.split(r"[,;:.()\n]", text[:start])[-1].split()
    return bool(before) and before[-1][:1].isupper() and len(before[-1]) > 1


def find_place(text: str) -> tuple[str, int, int] | None:
    """The first named place of ``text`` ("thị xã Hồng Lĩnh", "Nghệ An") with its span; a place word inside an
    organisation's name ("Thông tấn xã Việt Nam", "Ban Dân vận Tỉnh ủy") is none."""
    for m in PLACE_RE.finditer(text):
        name = _capitalised_run(m.group("name"))
        if not name:
            continue
        if m.group("admin") and (name in COUNTRY_NAMES or _capitalised_before(text, m.start())):
            continue  # "Thông tấn xã Việt Nam", "Ủy ban Xã …": the place word is part of an organisation's name
        end = m.start("name") + len(name)
        following = text[end:].split()[:1]
        if following and following[0].strip(",.;:") in ORG_HEADS:
            continue  # "ở Nhà Quốc hội": a building or body named on in lower case, no place
        if m.group("link") and len(name.split()) < 2 and following and following[0][:1].islower() \
                and following[0] not in CALENDAR_UNITS:
            continue  # "tại Nghĩa trang liệt sỹ …": one capitalised word running on in lower case is a common noun
        if m.group("admin"):
            admin = m.group("admin")
            admin = admin if admin[:2].isupper() else admin.lower()
            return f"{admin} {name}", m.start(), end
        return name, m.start("name"), end
    return None


# The unit a speaker holds office in ("Bí thư Huyện ủy Vị Xuyên", "Phó Chủ tịch UBMTTQ huyện Bình Sơn"): an
# administrative word, or its Party committee ("Huyện ủy"), then a capitalised name.
_SPEAKER_UNIT_RE = re.compile(rf"(?<!\w)(?P<admin>{'|'.join(map(re.escape, ADMIN_UNITS))})(?:\s+[ủu]ỷ|\s+ủy)?\s+"
                              rf"(?P<name>\w+(?:\s+\w+){{0,3}})", re.IGNORECASE)


def speaker_place(speaker: str) -> str:
    """The place of the unit the speaker holds office in ("huyện Vị Xuyên" of "đồng chí Bí thư Huyện ủy Vị Xuyên");
    "" when the speaker names none (a title alone, an abbreviated committee: "đ/c Bí thư HU")."""
    for m in _SPEAKER_UNIT_RE.finditer(speaker):
        name = _capitalised_run(m.group("name"))
        if name and name not in COUNTRY_NAMES:
            return f"{m.group('admin').lower()} {name}"
    return ""


def _without_scope(text: str, place: tuple[str, int, int] | None) -> str:
    """The topic without its place ("mô hình Dân vận khéo của thị xã Hồng Lĩnh" → "mô hình Dân vận khéo")."""
    if not place:
        return text.strip()
    _, start, end = place
    head = text[:start]
    head = _SCOPE_LINK_RE.sub("", head) if not text[end:].strip() else head
    return re.sub(r"\s+", " ", f"{head} {text[end:]}").strip(" ,")


TOPIC_PREPS = ("về", "theo chủ đề", "với chủ đề", "chủ đề")


def _part_of(prep: str, body: str, current: str) -> str:
    """Which part a preposition opens, given the part it follows ("" = it continues that part): "của" names
    the speaker only before an occasion; a topic, once begun, runs on until an occasion; an occasion runs on
    (its object may hold "của", "ở", "với") until its topic or its audience ("trước …")."""
    # "khi thăm, động viên chiến sĩ …": what the speaker is there for, said by its act
    gathering = (prep in ("tại", "trong", "nhân dịp") and (_gathering(body) or prep == "nhân dịp")) or prep == "khi"
    if prep in TOPIC_PREPS and current != "topic":
        return "topic"
    if gathering and current != "occasion":
        return "occasion"
    if not current:
        return {"của": "speaker", "trước": "audience", "với": "audience", "cho": "audience"}.get(prep, "topic")
    if current == "speaker" and prep in ("trước", "với", "cho"):
        return "audience"
    if current == "occasion" and prep == "trước":
        return "audience"
    return ""


def read_request(request: str) -> RequestFrame:
    """The request's frame as phrases (see the module doc). A request with no frame is all topic.

    A request of several sentences ("Đ/c Trưởng ban vừa dự hội nghị sơ kết … . Soạn dàn ý để đ/c phát biểu …",
    "Dàn ý phát biểu khai mạc hội nghị giám sát. Tôi muốn mở đầu bằng kết quả …") is read from the sentence that
    asks for the draft; the others tell its matter (``context``): what they say from their first gathering or
    act on ("hội nghị sơ kết …", "sơ kết 3 năm thực hiện …"), as the frame of a question guides its search."""
    text = re.sub(r"\s+", " ", request or "").strip()
    text, aspects = _aspects_of(text)
    if aspects:
        return replace(read_request(text), aspects=aspects)
    sentences = [text[a:b].strip() for a, b in split_sentences(text)]
    asking = [i for i, s in enumerate(sentences) if SPEECH_RE.search(folded_form(s))]
    if asking and ";" in sentences[asking[0]]:  # "… tại hội nghị …; người trình bày là đ/c …": a clause each
        head, *rest = sentences[asking[0]].split(";")
        speaker = next((m.group(1).strip(" .") for r in rest for m in [SPEAKER_IS_RE.search(r)] if m), "")
        sentences[asking[0]:asking[0] + 1] = [head] + [r.strip() for r in rest if not SPEAKER_IS_RE.search(r)]
        frame = read_request(" ".join(x.rstrip(" .") + "." for x in sentences if x.strip()))
        return replace(frame, speaker=frame.speaker or speaker)
    if len(sentences) > 1 and asking:
        frame = _read_sentence(sentences[asking[0]])
        matter = " ".join(_matter(s) for i, s in enumerate(sentences)  # a bare request ("Cho tôi các ý chính.")
                          if i != asking[0] and not _bare_request(s)).strip()  # tells no matter
        if not frame.place and matter:
            found = find_place(matter)
            frame = replace(frame, place=found[0] if found else "")
        if not frame.period and matter:
            frame = replace(frame, period=_period_of(matter))
        return replace(frame, context=matter)
    return _read_sentence(text)


def _bare_request(sentence: str) -> bool:
    """A sentence that only asks ("Cho tôi các ý chính."), its list of matters taken out."""
    bare = sentence.strip().rstrip(" .:!?")
    return bool(bare) and request_head_end(bare) >= len(bare)


def _period_of(text: str) -> str:
    """"2018-2020" or "2021": the first year or span the text names; "" when none."""
    years = PERIOD_RE.search(text)
    return (f"{years.group(1)}-{years.group(2)}" if years.group(2) else years.group(1)) if years else ""


# Words that open what a request lists for the speech to cover ("Cần có phần kết quả … và định hướng …",
# "Nói rõ kết quả và nhiệm vụ …"), at a sentence's start.
ASPECT_CUES = ("cần có phần", "cần có", "nói rõ", "nêu rõ", "tập trung vào", "bao gồm", "gồm")
_CUE_RE = re.compile(rf"(?:^|(?<=[.!?])\s+)(?:{'|'.join(ASPECT_CUES)})\s+(?P<list>[^.!?]+)[.!?]?", re.IGNORECASE)
# A list's items: commas and semicolons part them; "và" parts two matters of some length ("việc đánh giá hằng
# năm và trách nhiệm của Mặt trận"), not a pair of one matter ("điều kiện thông qua và công nhận") nor what goes on
# the item before ("trách nhiệm của Ủy ban … và của Mặt trận …").
_ITEM_SPLIT_RE = re.compile(r"\s*[,;]\s*")
_AND_RE = re.compile(r"\s+và\s+(?!(?:của|với|cho|trong|ở|tại|về)\s)", re.IGNORECASE)
AND_PARTS_MIN_WORDS = 3
ASPECT_MIN_WORDS = 2  # "ai", "gì" alone are no matter to cover


def _aspects_of(text: str) -> tuple[str, tuple[str, ...]]:
    """The request without its list of what to cover, and that list: after a colon of the sentence that asks for
    the draft ("Lập đề cương …: mục đích của hương ước, cách lấy ý kiến dự thảo, …"), or in a sentence opened by
    an ASPECT_CUES word. No list: the text as given and ()."""
    lists: list[str] = []
    for m in list(_CUE_RE.finditer(text))[::-1]:
        if SPEECH_RE.search(folded_form(m.group(0))):
            continue  # "Cần có dàn ý phát biểu tại …": the request itself, not a list of what to cover
        lists.insert(0, m.group("list"))
        text = (text[:m.start()] + text[m.end():]).strip()
    sentences = [text[a:b] for a, b in split_sentences(text)]
    for sentence in sentences:
        head_words = sentence.split(":", 1)[0]
        if ":" in sentence and (SPEECH_RE.search(folded_form(head_words))  # "Lập đề cương …: …", "Cho tôi các ý
                                or request_head_end(head_words + ":") >= len(head_words)):  # chính: …"
            head, tail = sentence.split(":", 1)
            lists.insert(0, tail.strip().rstrip(".?!"))
            text = text.replace(sentence, head.strip() + ("." if sentence.rstrip()[-1:] in ".?!" else ""), 1)
            break
    items = [re.sub(r"\s+", " ", y).strip(" .") for lst in lists for x in _ITEM_SPLIT_RE.split(_unbracketed(lst))
             for y in _and_parts(x)]
    return text.strip(), tuple(x for x in items if len(x.split()) >= ASPECT_MIN_WORDS)


def _and_parts(item: str) -> list[str]:
    parts = _AND_RE.split(item, maxsplit=1)
    if len(parts) == 2 and all(len(x.split()) >= AND_PARTS_MIN_WORDS for x in parts):
        return [parts[0]] + _and_parts(parts[1])
    return [item]


def _unbracketed(text: str) -> str:
    """Commas inside brackets part no items ("Ban giám sát những gì (đền bù, GPMB, tái định cư)")."""
    return re.sub(r"\([^)]*\)", lambda m: m.group().replace(",", " ").replace(";", " "), text)


# "người trình bày là đ/c …", "người phát biểu là …": who speaks, said in a clause of its own.
SPEAKER_IS_RE = re.compile(r"\bngười\s+(?:trình bày|phát biểu|nói|báo cáo)\s+là\s+(.+)$", re.IGNORECASE)


def _matter(sentence: str) -> str:
    """What a sentence of the situation is about: from its first gathering or act ("vừa dự hội nghị sơ kết …" →
    "hội nghị sơ kết …"), else the whole sentence."""
    low = sentence.lower()
    starts = [m.start() for w in GATHERINGS + OCCASION_ACTS
              for m in re.finditer(rf"(?<!\w){re.escape(w)}(?!\w)", low)]
    return sentence[min(starts):].strip(" .") if starts else sentence.strip(" .")


# "… của Chủ tịch Ủy ban Mặt trận huyện khai mạc hội nghị …", "… của đồng chí Bí thư chào mừng Đại hội …": a speaker
# followed by what the speech does at a gathering; the gathering is the occasion.
_SPEAKER_ACT_RE = re.compile(rf"\s(?:{alternation(OCCASION_ACTS + ('chào mừng',))})\s+"
                             rf"(?=(?:{alternation(GATHERINGS)})\b)", re.IGNORECASE)
# "… của đồng chí Bí thư Huyện ủy gặp mặt cựu chiến binh …": a speaker followed by an act with no gathering named;
# the act and what follows are the occasion (read only when nothing else is the topic or the occasion).
_BARE_ACT_RE = re.compile(rf"\s(?:{alternation(OCCASION_ACTS)})\s+", re.IGNORECASE)
# "Hội nghị kiện toàn Ban Thanh tra nhân dân xã, tôi là Chủ tịch … cần dàn ý phát biểu": the occasion first, then
# who asks for the draft.
_OCCASION_FIRST_RE = re.compile(r"^(?P<occasion>[^,]+),\s*(?:tôi là\s+(?P<speaker>.+?)\s+)?"
                                r"(?:cần|muốn|xin|nhờ|đề nghị)\b", re.IGNORECASE)


# "Tôi được giao chuẩn bị ý cho lãnh đạo phát biểu tại …": the asker's own words up to the kind of speech, before
# any word that opens the frame, are the request, not its topic.
_SPEECH_KIND_RE = re.compile(rf"(?<!\w)(?:{'|'.join(SPEECH_KINDS)})(?!\w)", re.IGNORECASE)
_FRAME_OPENER_RE = re.compile(r"(?<!\w)(?:tại|về|trong|nhân dịp|khi)(?!\w)", re.IGNORECASE)


def _asker_head_end(text: str) -> int:
    """Where the asker's own words end: after the speech kind, when no frame word comes before it; else 0."""
    kind = _SPEECH_KIND_RE.search(text)
    opener = _FRAME_OPENER_RE.search(text)
    return kind.end() if kind and (not opener or kind.end() <= opener.start()) else 0


def _read_sentence(text: str) -> RequestFrame:
    text = text.strip().rstrip("?.!")
    first = _OCCASION_FIRST_RE.match(text)
    if first and _gathering(first.group("occasion")) and not request_head_end(text):
        occasion = first.group("occasion").strip()
        frame = _read_sentence(f"Soạn dàn ý phát biểu tại {occasion}")
        return replace(frame, speaker=(first.group("speaker") or "").strip())
    end = request_head_end(text) or _asker_head_end(text)
    rest = text[end:].strip() if end > 0 else text
    parts: dict[str, str] = {}
    current = ""
    for prep, body in _split_parts(rest):
        new = _part_of(prep, body, current)
        if new and new not in parts:
            current = new
            parts[current] = body
        elif current:
            parts[current] = f"{parts[current]} {prep} {body}".strip()
        else:
            current, parts["topic"] = "topic", f"{prep} {body}".strip()
    speaker, occasion = parts.get("speaker", ""), parts.get("occasion", "")
    act = _SPEAKER_ACT_RE.search(speaker) if speaker and not occasion else None
    if act:  # the speaker's act at a gathering: the gathering is the occasion
        speaker, occasion = speaker[:act.start()], speaker[act.end():]
    bare = _BARE_ACT_RE.search(speaker) if speaker and not occasion and not parts.get("topic") else None
    unit_place = ""
    if bare:  # "của đồng chí Bí thư Huyện ủy Vị Xuyên gặp mặt cựu chiến binh …": the act and whom it meets; the
        speaker, occasion = speaker[:bare.start()], speaker[bare.start():].strip()  # speaker's unit is the only place
        unit_place = speaker_place(speaker)
    audience, topic = parts.get("audience", ""), parts.get("topic", "")
    if occasion and not audience:  # "buổi nói chuyện với già làng …": the audience inside the occasion
        _, audience_in = _cut_at(occasion, ("với", "trước"))
        audience = audience_in[len(audience_in.split()[0]):].strip() if audience_in else ""
    obj = occasion_object(occasion)[1] if occasion else ""
    if occasion and re.match(r"^(?:với|trước|giữa)\s", obj, re.IGNORECASE):
        obj = ""  # "làm việc giữa Thường trực Huyện ủy với Hội LHPN huyện": the parties met, not a matter
    if obj and topic and folded_form(topic) not in folded_form(obj):
        topic = f"{obj} về {topic}"  # "sơ kết … thực hiện Chỉ thị 20 | về nâng cao …": "về" tells the object's matter
    topic = topic or obj or audience
    place = find_place(topic) or find_place(obj) or find_place(audience) or ((unit_place, -1, -1) if unit_place else None)
    scope_text = " ".join(x for x in (topic, occasion, audience) if x)
    period = _period_of(scope_text)
    topic = _without_scope(topic, find_place(topic))
    bare = PERIOD_PHRASE_RE.sub(" ", topic).strip(" ,")
    topic = re.sub(r"\s+", " ", bare) if len(bare.split()) >= 2 else topic  # the period is scope, not topic
    return RequestFrame(topic=topic.strip(" ,:"), occasion=occasion.strip(" ,"), speaker=speaker.strip(" ,"),
                        audience=audience.strip(" ,"), place=place[0] if place else "", period=period)


# Words of a speech request (accent-folded): a request without them is a list question (outline.list_points). A
# dialogue the points are for is spoken too ("các ý chính để lãnh đạo huyện đối thoại với các hộ còn vướng GPMB"),
# not one the question is about ("quy chế tiếp xúc, đối thoại trực tiếp với nhân dân").
SPOKEN_ACTS = ("đối thoại",)
SPOKEN_FOR_WORDS = 10  # words between "để" and the act: who speaks ("lãnh đạo huyện Bình Sơn (Quảng Ngãi)")
SPEECH_RE = re.compile(rf"\b({'|'.join(folded(SPEECH_KINDS))}|de(?!\s+nghi)(?:\s+\S+){{0,{SPOKEN_FOR_WORDS}}}?\s+"
                       rf"(?:{'|'.join(folded(SPOKEN_ACTS))}))\b")


def speech_query(q: QueryInfo, glossary: dict[str, str] | None = None) -> QueryInfo:
    """What to search for a speech request: its topic and its explicit scope ("Soạn dàn ý phát biểu của lãnh
    đạo Ban Dân vận tại hội nghị triển khai Luật X" → "Luật X"), so the request's frame (who speaks, where,
    to whom) neither pulls in reports of who spoke at a meeting nor becomes a constraint."""
    if q.mode != "talking_points" or not SPEECH_RE.search(q.folded):
        return q
    q = replace(q, request=q.request or q.text)  # the request with its accents restored, abbreviations spelled out
    frame = read_request(q.request)
    if not (frame.topic or frame.context or frame.aspects) or frame.topic == q.request:
        return q
    qt = matter_query(frame, frame.topic, glossary, frame.place)
    qt.original, qt.request = q.original, q.request
    return qt


def matter_query(frame: RequestFrame, topic: str, glossary: dict[str, str] | None = None,
                 place: str = "") -> QueryInfo:
    """The speech's matter read as a question: its topic, the situation told and the matters listed are its words
    (searched for and matched); only the topic, the situation and ``place`` constrain (a listed matter's period —
    "điểm lại kết quả nhiệm kỳ 2015 - 2020" at a 2020-2025 congress — is what to say, not a filter)."""
    from assistant.understand.query import understand  # the understanding stage reads the topic as a question
    scoped = ", ".join(x for x in (topic, frame.context, place) if x)
    qt = scope_only(understand(", ".join(x for x in (scoped, *frame.aspects) if x), glossary, mode="talking_points"))
    if frame.aspects:
        kept = {(n.kind, n.value) for n in understand(scoped, glossary, mode="talking_points").needs}
        qt = replace(qt, needs=[n for n in qt.needs if (n.kind, n.value) in kept])
    years = [int(y) for y in re.findall(rf"(?<![\d/]){CENTURY_YEAR}(?![\d/])", frame.occasion)]
    if any(b == a + 1 for a, b in zip(years, years[1:])):  # "tổng kết … năm 2021, triển khai nhiệm vụ năm 2022":
        qt = replace(qt, needs=[n for n in qt.needs if n.kind != "year"])  # the review and the tasks, both years
    return qt


# A request names people and counts to tell who speaks, who chaired, what happened ("đ/c Đinh Văn An chủ trì",
# "quốc lộ 1"): a sentence need not name them to be said in the speech, so they are no constraint on its
# material (issue 29, item 1). Places, periods, documents, bodies and the names of what the speech is about
# ("Dốc Sỏi - Tịnh Phong") stay constraints: they keep the speech on its own matter.
FRAME_KINDS = ("category", "quantity")
# A document the speech is about ("dẫn mục tiêu của Nghị quyết 11 …") is met by a report that names it anywhere:
# the report's other sentences (the district's figures, the tasks) are the speech's material too.
SPEECH_DOCUMENT_KINDS = ("document", "article")


def scope_only(qt: QueryInfo) -> QueryInfo:
    """``qt`` without the constraints that tell of people or counts: FRAME_KINDS, and a name right after a form
    of address ("đ/c Đinh Văn An chủ trì")."""
    from assistant.understand.evidence import DOCUMENT, PERSON_BEFORE_RE
    text = qt.text

    def person(n) -> bool:
        at = text.find(n.value)
        return n.kind == "name" and at >= 0 and bool(PERSON_BEFORE_RE.search(text[:at]))
    return replace(qt, needs=[replace(n, scope=DOCUMENT) if n.kind in SPEECH_DOCUMENT_KINDS else n
                              for n in qt.needs if n.kind not in FRAME_KINDS and not person(n)])


def request_text(q: QueryInfo) -> str:
    """The speech request to read its frame from: as restored when the pipeline read it, else as typed."""
    return q.request or q.original
