"""Query understanding (pure): normalisation, abbreviations, document references, mode, follow-ups.

A question goes through the same text functions as the documents (ingest/text.py), so an
unaccented or abbreviated question meets the accented, spelled-out text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.understand.constraint_match import with_abbreviations
from assistant.understand.constraints import Need, read_constraints
from assistant.understand.frame import Framed, split_frame
from assistant.understand.parts import split_parts
from assistant.understand.slots import ANY_UNITS, Slot, asked_slot
from assistant.understand.roles import ROLE_TITLES, TITLE_PREFIXES, WRITTEN_TITLE_RE
from vntext.doctypes import DOC_TYPES as DOC_TYPE_KEYS, FOLDED_TYPED_NUMBER, LAWS, TYPES_BY_FOLDED, type_names
from vntext.vocab import (ADDRESS_FORMS, ADMIN_UNITS, CALENDAR_UNITS, CITY_ABBR, CONJUNCTIONS, COPULAS, DOCNUM,
                          DRAFTING_VERBS, FUNCTION_WORDS, LISTING_VERBS, MAIN_POINTS, PARTY_COMMITTEES, PLURALS,
                          SPEECH_KINDS, YEAR, alternation, capitalised, could_be_syllable, first_letter_either_case,
                          folded, pick, syllables)
from vntext import fold_accents, folded_form, has_diacritics, nfc, normalize_artefacts, search_form, tokens

GLOSSARY_FILE = Path(__file__).with_name("glossary.tsv")

# Function words and question words (accent-folded) that carry no topic.
# Kept short on purpose: folded forms are ambiguous ("dang" = đang/đăng/Đảng, "co" = có/cơ), and BM25's
# IDF already discounts common words.
STOPWORDS = syllables(folded(pick(FUNCTION_WORDS, "là", "của", "và", "các", "những", "được", "trong", "cho", "với",
                                   "nào", "gì", "bao nhiêu", "một", "thì", "sao", "này", "ai", "hay", "hoặc", "cùng",
                                   "vậy", "như"))) | {"gom"}  # "gồm": "… gồm những gì"

# The administrative units (not the villages), first letter in either case; "TP"/"Tp", a dot after it or not.
PLACE_WORDS = "(?:" + "|".join(rf"{CITY_ABBR.upper()}\.?|{capitalised(CITY_ABBR)}\.?" if unit == CITY_ABBR
                               else first_letter_either_case(unit) for unit in ADMIN_UNITS) + ")"
PLACE_RE = re.compile(rf"\b{PLACE_WORDS}\s*((?:\w[\w']*)(?:\s+\w[\w']*){{0,3}})")
# A year (group 1) not inside a number, a date or a document number. Unlike constraints.YEAR_RE, a comma
# written right before it does not hide it ("…,2020").
YEAR_RE = re.compile(rf"(?<![\d/.-])({YEAR})(?![\d/])")
# Document references: "20-CT/ThU", "01-NQ/TU", "145/2020/NĐ-CP", "10/2022/QH15", "Chỉ thị 20", "NQ 01".
DOCNUM_RE = re.compile(rf"\b{DOCNUM}\b")
# Folded type word → name, as the vocabulary has them (vntext/doctypes.py) less Công văn, Chiến lược and Pháp lệnh,
# which this reader never took; its typed references ("chi thi 20", "nq so 01") leave out "hd" too.
DOC_TYPES = {f: name for f, name in TYPES_BY_FOLDED.items()
             if DOC_TYPE_KEYS[name] not in ("cong-van", "chien-luoc", "phap-lenh")}
TYPED_REF_RE = re.compile(rf"\b({alternation(f for f in DOC_TYPES if f != 'hd')})\s+"
                          rf"(?:so\s+)?({FOLDED_TYPED_NUMBER})\b")

# Words of a request for talking points (folded): drafting, a speech (not "diễn văn", "nói chuyện", "đề cương": the
# speech-draft pattern below reads an outline), main points, a list.
_TALKING = (pick(DRAFTING_VERBS, "soạn") + pick(SPEECH_KINDS, "dàn ý", "phát biểu", "bài nói", "tham luận")
            + pick(MAIN_POINTS, "ý chính", "điểm chính") + pick(LISTING_VERBS, "liệt kê")
            + ("gợi ý nội dung", "nêu các", "những nội dung chính", "các nhiệm vụ", "các giải pháp"))
TALKING_RE = re.compile(rf"\b({'|'.join(folded(_TALKING))})\b")
_LOOKUP_TYPES = folded(type_names("chi-thi", "nghi-quyet", "quyet-dinh", "ket-luan", "nghi-dinh", "thong-tu"))
LOOKUP_RE = re.compile(rf"\b(bao nhieu|may|so hieu|so luong|tong so|ty le|{'|'.join(_LOOKUP_TYPES)}|"
                       r"ke hoach so|van ban nao|so tien|it nhat|toi thieu|toi da)\b")
# The types a question asks for by "… nào", "… gì", "… số mấy" ("Nghị quyết nào …?"): it wants a document.
_ASKED_TYPES = folded(type_names("chi-thi", "nghi-quyet", "quyet-dinh", "ket-luan", "ke-hoach", "de-an",
                                 "chuong-trinh", "nghi-dinh", "thong-tu", "luat"))
ASKS_DOCUMENT_RE = re.compile(rf"\b(van ban|{'|'.join(_ASKED_TYPES)}) (nao|gi|so may)\b")


@dataclass
class QueryInfo:
    original: str
    text: str  # NFC, artefacts joined, abbreviations expanded (display form)
    search: str  # accented search form
    folded: str  # accent-folded search form
    accented: bool
    terms: list[str]  # content terms, folded, in order, no stopwords
    bigrams: list[str]  # adjacent content-term pairs, folded
    refs: list[str]  # document numbers, folded ("20-ct/thu", "nghi quyet 01")
    years: list[str]
    places: list[list[str]]  # folded place names, each with its alternatives (["ho chi minh", "hcm"])
    mode: str
    needs: list[Need] = field(default_factory=list)  # hard constraints (assistant/understand/constraints.py)
    role: list[str] = field(default_factory=list)  # the position a person question names, folded words
    counted: str | None = None  # the noun a figure question counts ("bao nhiêu mô hình" → "mo hinh"), folded
    answer_type: str | None = None  # person | figure | date | period | None (a subject)
    abbreviations: dict[str, list[str]] = field(default_factory=dict)  # folded abbr → folded full-form tokens
    lexical_extra: list[str] = field(default_factory=list)  # abbreviated forms of the question's words
    expansions: list[tuple[str, str]] = field(default_factory=list)
    asks_number: bool = False
    asks_person: bool = False
    asks_document: bool = False
    asks_result: bool = False
    context: str = ""  # the situation told before the asking clause (assistant/understand/frame.py): guides search only
    frame: list[str] = field(default_factory=list)  # openings, outlets and closers set aside
    parts: list = field(default_factory=list)  # the asked parts of a several-part question (assistant/understand/parts.py)
    slot: Slot = field(default_factory=Slot)  # the number slot asked (of the first part, when there are several)
    dense_text: str = ""  # what the dense search embeds: the content, with the situation's last sentence when
    #                       the content points back to it ("Cuộc vận động đó tên đầy đủ là gì?")
    request: str = ""  # a speech request as read: restored accents, abbreviations spelled out (outline.py)


@lru_cache(maxsize=8)
def load_glossary(extra: str | None = None) -> dict[str, str]:
    """Abbreviation → expansion, from the packaged glossary plus an optional user file."""
    out: dict[str, str] = {}
    for path in [GLOSSARY_FILE] + ([Path(extra)] if extra else []):
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.lstrip().startswith("#") or "\t" not in line:
                continue
            abbr, full = line.split("\t", 2)[:2]
            out[nfc(abbr.strip())] = nfc(full.strip())
    return out


@lru_cache(maxsize=1)
def unnumbered_readings() -> dict[str, str]:
    """Abbreviations read otherwise when no document number follows: "CT UBND xã" is the Chủ tịch, "CT 20" or
    "CT số 20" the Chỉ thị (the packaged glossary's third column)."""
    out: dict[str, str] = {}
    for line in GLOSSARY_FILE.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 3 and not line.lstrip().startswith("#") and cols[2].strip():
            out[nfc(cols[0].strip())] = nfc(cols[2].strip())
    return out


NUMBER_AFTER_RE = re.compile(r"\s*(?:số\s*)?\d", re.IGNORECASE)


def expand_abbreviations(text: str, glossary: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """Replace standalone abbreviations by their full form — never inside a document number
    ("CT" in "20-CT/ThU"). Users type them upper-case, without the Đ ("HDND"), or lower-case when
    the word cannot be a Vietnamese syllable ("mttq", "qcdc", "ntm")."""
    found: list[tuple[str, str]] = []
    # abbreviations written with separators first: "KT-XH", "TP.HCM"
    for abbr in sorted((a for a in glossary if not a.isalnum()), key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w/-]){re.escape(abbr)}(?![\w/-])")
        if pattern.search(text):
            found.append((abbr, glossary[abbr]))
            text = pattern.sub(glossary[abbr], text)
    by_fold = {fold_accents(k).upper(): v for k, v in glossary.items() if k.isalnum()}

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        before = text[m.start() - 1] if m.start() > 0 else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if before in "-/" or after in "-/" or before.isdigit():
            return word
        if word in glossary:
            full = glossary[word]
            if word in unnumbered_readings() and not NUMBER_AFTER_RE.match(text, m.end()):
                full = unnumbered_readings()[word]
        elif word.isupper() or (word.islower() and not could_be_syllable(fold_accents(word))):
            full = by_fold.get(fold_accents(word).upper())
        else:
            full = None
        if not full or (len(word) <= 2 and not word.isupper()):
            return word
        found.append((word, full))
        return full

    return re.sub(r"\w+", repl, text), found


def find_refs(folded: str) -> list[str]:
    """Document references in a folded question: numbers with symbols, or a type + number."""
    refs: list[str] = []
    for m in DOCNUM_RE.finditer(folded):
        refs.append(m.group(0).lower())
    for m in TYPED_REF_RE.finditer(folded):
        num = m.group(2).lower()
        if not any(r.startswith(num) for r in refs):
            refs.append(f"{DOC_TYPES[m.group(1)].lower()} {num}")
    return list(dict.fromkeys(refs))


def place_phrases(text: str) -> list[tuple[str, str]]:
    """(phrase as written, name) for place word + capitalised syllables ("thị xã Hồng Lĩnh", "Hồng Lĩnh")."""
    out = []
    for m in PLACE_RE.finditer(text):
        name = []
        for word in m.group(1).split():
            if not word[:1].isupper():
                break
            name.append(word)
        if name:
            phrase = text[m.start():m.start(1)] + " ".join(name)
            out.append((phrase, " ".join(name)))
    return out


# Capitalised words that start organisation names, titles and time words, not a named place/person: the first
# syllables (folded) of the administrative units, party committees, plurals and a date's units, and of these.
_NOT_ENTITY_START = {w.split()[0] for w in folded(ADMIN_UNITS + PARTY_COMMITTEES + PLURALS + CALENDAR_UNITS)} | set("""
ban dang chi hoi mat uy bi pho chu truong doan nha so phong cuc vu bo quoc trung nghi quyet luat ke chuong de thong
huong dai cong hoa viet mttq chinh can dan nhan to thuong tong hdnd ubnd""".split())


NAMED_LAW_RE = re.compile(rf"\b(?:{alternation(LAWS)})\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[a-zđà-ỹ][\wà-ỹ]*){{0,3}})")


def find_entities(text: str) -> list[str]:
    """Folded names written with capitals ("Cẩm Xuyên", "Điểu K'Ré") and named laws
    ("Luật Đất đai"), not organisation names or titles: what a document must name to answer."""
    words = re.findall(r"[\w']+", text)
    out, run = [], []
    for i, w in enumerate(words + [""]):
        cap = bool(w) and w[:1].isupper() and not w.isupper() and not (i == 0)
        if cap or (run and w[:1].isupper() and len(w) <= 3 and w != words[0]):
            run.append(w)
            continue
        if len(run) >= 2 and folded_form(run[0]) not in _NOT_ENTITY_START:
            out.append(folded_form(" ".join(run)))
        run = []
    for m in NAMED_LAW_RE.finditer(text):
        if not re.match(r"\s*(số\s+)?\d", text[m.end(1):m.end(1) + 6]):
            out.append(folded_form(m.group(0)))
    return list(dict.fromkeys(out))


def find_places(text: str) -> list[str]:
    """Folded place names after a place word ("thị xã Hồng Lĩnh" → "hong linh")."""
    return list(dict.fromkeys(folded_form(name) for _, name in place_phrases(text)))


# Office framing before the question proper: "Đề nghị cho biết …", "Xin cho biết …", "Cho tôi hỏi …",
# "Đề nghị đồng chí cung cấp thông tin về …" (matched on the accent-folded text).
_POLITE = r"(?:(?:kinh\s+)?(?:de nghi|xin|vui long|lam on|hay|nho|mong|xin phep)\s+)+"
# Who the asker addresses: "anh chị", "anh/chị", the forms of address but "ông", "bà", and the assistant itself.
_ADDRESSEES = folded(("anh chị", "anh/chị") + pick(ADDRESS_FORMS, "anh", "chị", "đồng chí")
                     + ("bạn", "trợ lý", "quý cơ quan", "cơ quan"))
_ADDRESSEE = rf"(?:(?:{'|'.join(_ADDRESSEES)})\s+)?"
_TELL = (r"(?:cho\s+(?:toi|em|minh|chung toi)?\s*)?(?:duoc\s+)?(?:biet|hoi|hoi la|hoi ve|cung cap(?:\s+thong tin)?|"
         r"neu(?:\s+ro)?|tra cuu|tim|giai dap|thong tin)(?:\s+(?:giup|gium|ve|cho biet))*")
FRAMING_RE = re.compile(rf"^\s*(?:{_POLITE}{_ADDRESSEE}{_TELL}|{_ADDRESSEE}cho\s+(?:toi\s+|em\s+|minh\s+)?(?:biet|hoi))"
                        r"\s*[:,]?\s+")
# The question word decides what an answer must hold.
ANSWER_TYPE_RULES = (
    ("date", re.compile(r"\b(khi nao|ngay nao|hom nao|bao gio|luc nao|thoi diem nao|ngay thang nao|"
                        r"vao ngay nao|thoi gian nao)\b|^ngay\b")),
    ("period", re.compile(r"\b(giai doan nao|nhiem ky nao|thoi ky nao|tu nam nao)\b")),
    ("position", re.compile(r"\b(chuc vu|cuong vi|chuc danh)\s+(gi|nao)\b|\b(dam nhiem|dam trach|nam giu)\s+(gi|chuc gi)\b")),
    ("person", re.compile(r"(?:^|\s)(ai|nguoi nao|dong chi nao|ong nao|ba nao|nhung ai|nhung dong chi nao)\b")),
    ("figure", re.compile(r"\b(bao nhieu|may|so luong|tong so|ty le|it nhat|toi thieu|toi da|so tien)\b")),
)


# Words of the question frame for each answer type: what is asked, not what it is about.
FRAME_TERMS = {
    "position": set("chuc vu cuong vi danh dam nhiem trach nam giu gi nao la ai hien nay dang dong chi ong ba".split()),
    "person": set("ai nguoi nao dong chi ong ba la nhung hien nay dang".split()),
    "date": set("khi nao ngay hom bao gio luc thoi diem gian".split()),
    "period": set("giai doan nhiem ky thoi nao".split()),
    "figure": set("bao nhieu may so luong tong".split()),
}
# The position a person question asks about: from its first title word to "là ai" ("Phó Bí thư Quân ủy Trung ương").
ROLE_PHRASE_RE = re.compile(rf"\b((?:{'|'.join(f'{p} ' for p in TITLE_PREFIXES)})?(?:{ROLE_TITLES})\b.*?)"
                            r"(?:\s+(?:la ai|la nguoi nao|la dong chi nao|hien nay|nhiem ky)\b|\s*[?.,]|$)")


def asked_role(folded: str, kind: str | None, written: str = "") -> list[str]:
    """Folded words of the position a person question names ("pho bi thu quan uy trung uong"). ``written``: the
    question as written, letter for letter with ``folded``: when it has accents, a title must be written so."""
    if kind != "person":
        return []
    check = written.lower() if len(written) == len(folded) and has_diacritics(written) else ""
    for m in ROLE_PHRASE_RE.finditer(folded):
        if not check or WRITTEN_TITLE_RE.match(check, m.start(1)):
            return tokens(m.group(1))
    return []


COUNTED_RE = re.compile(r"\b(?:bao nhieu|may)\s+([a-z]+(?:\s+[a-z]+)?)")
# "mấy năm", "bao nhiêu tiền": any unit, no counted noun (folded).
NOT_COUNTED = set(folded(pick(COPULAS, "là") + pick(CONJUNCTIONS, "thì", "và") + pick(CALENDAR_UNITS, "năm")
                         + pick(ANY_UNITS, "phần", "tiền", "đồng", "lần", "người")))


def counted_noun(folded: str) -> str | None:
    """The noun a figure question counts, its first syllable pair ("bao nhiêu mô hình" → "mo hinh")."""
    m = COUNTED_RE.search(folded)
    if not m or m.group(1).split()[0] in NOT_COUNTED:
        return None
    return m.group(1)


def strip_framing(text: str) -> str:
    """The question without its office framing ("Đề nghị cho biết", "Cho tôi hỏi")."""
    folded = fold_accents(text).lower()
    m = FRAMING_RE.match(folded)
    if not m or len(folded) != len(text) or m.end() >= len(text) - 3:
        return text
    return text[m.end():]


def answer_type(folded: str) -> str | None:
    for kind, pattern in ANSWER_TYPE_RULES:
        if pattern.search(folded):
            return kind
    return None


def abbreviation_links(folded: str, glossary: dict[str, str]) -> tuple[dict[str, list[str]], list[str]]:
    """Both directions of the glossary for this question: abbreviations whose full form the question spells
    out (their short form is searched too: "văn hóa xã hội" also finds "VHXH"), mapped to that full form's
    tokens, so a sentence that abbreviates covers the words it stands for."""
    padded = f" {' '.join(tokens(folded))} "
    links: dict[str, list[str]] = {}
    extra: list[str] = []
    for abbr, full in glossary.items():
        a, f = " ".join(tokens(folded_form(abbr))), " ".join(tokens(folded_form(full)))
        if not a or not f or " " in a:
            continue
        if could_be_syllable(a):
            continue  # "tu", "thu", "cb": every "từ"/"thứ" would pass for the abbreviation
        if f" {f} " in padded or f" {a} " in padded:
            links[a] = f.split()
            if f" {f} " in padded and f" {a} " not in padded:
                extra.append(a)
    return links, extra


# A request to draft a speech, wherever it is written in the message ("Soạn giúp tôi dàn ý …", "… cần dàn ý phát
# biểu", "Lập đề cương bài nói chuyện …", "Cho tôi các ý chính để phát biểu …"): "dàn ý"; "đề cương" asked for or
# of a talk (an "đề cương tuyên truyền" is a document one asks about); "ý chính" before a speaking verb. "Tôi sẽ
# phát biểu tại …" alone is a situation, not a request.
_OUTLINE, _DRAFT_OUTLINE = folded(pick(SPEECH_KINDS, "dàn ý", "đề cương"))
_ASK_TO_DRAFT = "|".join(folded(pick(DRAFTING_VERBS, "soạn", "lập", "viết", "chuẩn bị") + ("cần", "giúp", "cho tôi")))
_TALK, _TALK_OR_PAPER = ("|".join(folded(pick(SPEECH_KINDS, *kinds))) for kinds in (
    ("phát biểu", "nói chuyện", "bài nói"), ("phát biểu", "nói chuyện", "bài nói", "tham luận")))
SPEECH_DRAFT_RE = re.compile(
    rf"\b{_OUTLINE}\b"
    rf"|\b({_ASK_TO_DRAFT})\b.{{0,20}}\b{_DRAFT_OUTLINE}\b"
    rf"|\b{_DRAFT_OUTLINE} (bai )?({_TALK})\b"
    rf"|\b({'|'.join(folded(pick(MAIN_POINTS, 'ý chính', 'nội dung chính')))})\b.{{0,40}}\b({_TALK_OR_PAPER})\b")


def detect_mode(folded: str, refs: list[str]) -> str:
    if TALKING_RE.search(folded):
        return "talking_points"
    if LOOKUP_RE.search(folded) or refs:
        return "lookup"
    return "qa"


def understand(question: str, glossary: dict[str, str] | None = None, mode: str = "auto",
               as_typed: str | None = None) -> QueryInfo:
    """``as_typed``: the question as the user typed it, when ``question`` is its restored form."""
    glossary = load_glossary() if glossary is None else glossary
    whole = normalize_artefacts(nfc(question.strip()))
    drafting = mode == "talking_points" or (mode in (None, "", "auto") and SPEECH_DRAFT_RE.search(folded_form(whole)))
    # constraints from the content only; a request to draft a speech is read whole: what it tells before or
    # after the request ("Cần có phần kết quả … của huyện") is its content, not a situation
    framed = Framed(content=whole) if drafting else split_frame(whole)
    text = strip_framing(framed.content)
    expanded, expansions = expand_abbreviations(text, glossary)
    search = search_form(expanded)
    folded = folded_form(expanded)
    toks = tokens(folded)
    terms = [t for t in toks if t not in STOPWORDS]
    bigrams = [f"{a} {b}" for a, b in zip(toks, toks[1:]) if a not in STOPWORDS and b not in STOPWORDS]
    refs = find_refs(folded)
    exp_places, raw_places = find_places(expanded), find_places(text)
    places = [[p] + ([raw_places[i]] if len(raw_places) == len(exp_places) and raw_places[i] != p else [])
              for i, p in enumerate(exp_places)]
    for name in find_entities(text):
        if not any(name in alts or any(name in a or a in name for a in alts) for alts in places):
            places.append([name])
    years = YEAR_RE.findall(expanded)
    typed_unaccented = None if as_typed is None else fold_accents(as_typed) == as_typed
    auto = "talking_points" if drafting else detect_mode(folded, refs)
    links, extra = abbreviation_links(folded, glossary)
    parts = split_parts(expanded, answer_type)
    return QueryInfo(
        original=question, text=expanded, search=search, folded=folded, accented=has_diacritics(question),
        terms=list(dict.fromkeys(terms)), bigrams=list(dict.fromkeys(bigrams)), refs=refs, years=years,
        places=places, mode=auto if mode in (None, "", "auto") else mode, expansions=expansions,
        needs=with_abbreviations(_with_referent(read_constraints(text, typed_unaccented),
                                                referent(text, framed.context), typed_unaccented), glossary),
        answer_type=answer_type(folded),
        role=asked_role(folded, answer_type(folded), expanded),
        counted=counted_noun(folded),
        abbreviations=links, lexical_extra=extra,
        asks_number=bool(re.search(r"\b(bao nhieu|may|so luong|tong so|ty le|it nhat|toi thieu|toi da|so tien)\b", folded)),
        asks_person=bool(re.search(r"\b(ai|nguoi nao|dong chi nao|ong nao|ba nao|chuc vu)\b", folded)),
        asks_document=bool(ASKS_DOCUMENT_RE.search(folded)),
        asks_result=bool(re.search(r"\b(ket qua|dat duoc|hieu qua|chuyen bien|thanh tich)\b", folded)),
        context=framed.context, frame=framed.frame, parts=parts,
        slot=parts[0].slot if parts else asked_slot(folded),
        dense_text=with_context(expanded, framed.context),
    )


# Words that point back to what was told before ("Cuộc vận động đó", "trường hợp này", "như vậy"): the asking
# clause then leans on the situation.
ANAPHORA_RE = re.compile(r"\b(đó|này|ấy|kia|nói trên|như vậy|như thế|vậy thì)\b", re.IGNORECASE)


def referent(content: str, context: str) -> str:
    """The situation's sentence an asking clause points back to ("Người đó là ai?", "ông này", "đợt đó"): its last
    sentence; empty when the clause points back to nothing."""
    if not context or not ANAPHORA_RE.search(content):
        return ""
    last = [p for p in re.split(r"(?<=[.!?…])\s+", context) if p.strip()][-1:]
    return last[0] if last else ""


def _with_referent(needs: list, sentence: str, typed_unaccented: bool | None) -> list:
    """The constraints the pointed-back sentence states join the clause's own ("ông này" is the one of Bắc Bình)."""
    if not sentence:
        return needs
    own = {(n.kind, n.keys) for n in needs}
    return needs + [n for n in read_constraints(strip_framing(sentence), typed_unaccented) if (n.kind, n.keys) not in own]


def with_context(content: str, context: str) -> str:
    """The dense query: the asking clause, preceded by the situation's sentence it points back to."""
    pointed = referent(content, context)
    return f"{pointed} {content}" if pointed else content
