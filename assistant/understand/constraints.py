"""Hard constraints of a question, and whether a piece of evidence meets them (pure functions).

A question that names a year, a term, a place, a person, a document number, a body, a field of work
or a legal article asks about *that* one: a passage about another year or another town does not
answer it, however many words it shares. The rules read constraints from the shape of Vietnamese
text — a capitalised run after an administrative word is a place, a number with a type code and an
issuer suffix is a document reference, an organisation head noun followed by capitalised words is a
body — never from a list of the names a collection happens to hold.

Evidence is met at a *scope*: the answering sentence, its passage, the document's header (title,
outlet, date, legal heading, first lines) or the whole document. Which scope each kind needs is a
constant fitted on the generated training questions (see ``SCOPE``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.understand.legal_refs import read_legal_needs
from assistant.types import Constraint
from vntext.doctypes import CODE_TITLE, CONSTITUTION, DOC_TYPE_TABLE, DOC_TYPES, type_names
from vntext.vocab import (ADDRESS_FORMS, ADMIN_UNITS, CALENDAR_UNITS, CITY_ABBR, CONJUNCTIONS, COPULAS, DASHES,
                          DEGREES_AND_CALLINGS, DEMONSTRATIVES, DOCNUM, FORMER, GATHERINGS, LEGAL_DIVISIONS,
                          MILITARY_COMMITTEE_UNIT, MILITARY_RANKS, NUMBER_POINTERS, ORG_HEADS, PARTY_COMMITTEES,
                          LOCATIVES, NOT_A_NAME_START, PARTY_COMMITTEE_UNITS, PERIOD_WORDS, PLACE_UNITS, PLURALS,
                          PREPOSITIONS, QUESTION_WORDS, UNACCENTED_NOT_NAME,
                          TENSE_MARKERS, TERM_WORDS, TIME_UNITS, TITLES, TITLE_PREFIXES, VILLAGE_TITLES, YEAR,
                          alternation, folded, pick, syllables, without)
from vntext import fold_accents, folded_form, nfc, normalize_artefacts, normalize_tone_placement, search_form, tokens

# --- vocabulary (Vietnamese grammar, not collection content: the classes are in vntext/vocab.py) -----------
# Words that open a position or a person's description, not a name: titles, their prefixes (not "nguyên"), forms
# of address, ranks, degrees, village titles, "nhà" ("nhà báo") and "người" ("người có uy tín").
TITLE_HEADS = (TITLES + without(TITLE_PREFIXES, FORMER) + ADDRESS_FORMS + MILITARY_RANKS + DEGREES_AND_CALLINGS
               + VILLAGE_TITLES + ("nhà", "người"))
# Document types (all but Chiến lược), the code, the constitution and the parts of a legal text: a capitalised run
# that starts with one is a reference, handled by REF rules.
DOC_TYPE_HEADS = tuple(n.lower() for n in without(tuple(DOC_TYPES), "Chiến lược") + (CODE_TITLE, CONSTITUTION)) \
    + LEGAL_DIVISIONS
# Words that are capitalised at the start of time expressions, institutions or the sentence only.
NON_NAME_STARTS = (CALENDAR_UNITS + pick(TIME_UNITS, "quý") + pick(PERIOD_WORDS, "nhiệm kỳ", "giai đoạn")
                   + ("đảng", "nhà nước", "quốc hội", "chính phủ", "nhân dân", "tổ quốc", "trung ương", "thủ đô",
                      "dân vận", "dân vận khéo") + pick(GATHERINGS, "hội nghị", "đại hội", "lễ")
                   + ("phong trào", "cuộc vận động", "ngày hội", "tết"))
# A unit's name after "X ủy" has two or three words ("Sóc Trăng", "Thừa Thiên Huế"); a longer capitalised run
# goes on into a person's name ("Tỉnh ủy Sóc Trăng Lâm Văn Mẫn") and is read by the other rules.
UNIT_NAME_MAX_WORDS = 3
ORG_NAME_MAX_WORDS = 7  # "Ủy ban Mặt trận Tổ quốc Việt Nam"
# Field-of-work markers ("lĩnh vực giáo dục").
CATEGORY_WORDS = ("lĩnh vực", "ngành", "khối")
# Words that end a noun phrase read after a marker: function words (less those below), "này", "đó", a date's units,
# "quý"; the first syllables of question words, "nhiệm kỳ", "giai đoạn"; "bao_nhiêu" as a segmenter joins it; "đăng".
PHRASE_STOPS = (syllables(without(PREPOSITIONS + CONJUNCTIONS + COPULAS, "tới", "bởi", "để", "nếu", "vì", "rằng",
                                  "nhưng", "còn", "bị", "làm") + TENSE_MARKERS + PLURALS
                          + pick(DEMONSTRATIVES, "này", "đó") + CALENDAR_UNITS + pick(TIME_UNITS, "quý"))
                | {w.split()[0] for w in QUESTION_WORDS + pick(PERIOD_WORDS, "nhiệm kỳ", "giai đoạn")}
                | {w.replace(" ", "_") for w in QUESTION_WORDS if " " in w} | {"đăng"})
# Code of each document type in numbers such as "20-CT/ThU" (folded name → folded code).
_CODED = tuple(t for t in DOC_TYPE_TABLE if t.number_code)
TYPE_CODES = {fold_accents(t.name).lower(): fold_accents(t.number_code).lower() for t in _CODED}
# The types a question writes with a number and its year ("Nghị định 25/2014"), accented and folded.
_YEAR_NUMBERED = type_names("chi-thi", "nghi-quyet", "quyet-dinh", "ket-luan", "ke-hoach", "nghi-dinh", "thong-tu",
                            "luat")

# A year or a span of years, not inside a number, a date or a document number ("12/2020", "1.945").
YEAR_RE = re.compile(rf"(?<![\d/.,-]){YEAR}(?![\d/])")
PERIOD_RE = re.compile(rf"(?<![\d/]){YEAR}\s*[{DASHES}]\s*{YEAR}(?![\d/])")
QUARTER_RE = re.compile(r"\bquý\s+(I{1,3}|IV|[1-4]|một|hai|ba|bốn|tư)\b", re.IGNORECASE)
DOCNUM_RE = re.compile(rf"(?<![\w/]){DOCNUM}(?![\w])")
# A type with a code and a bare number ("Chỉ thị 20", "thông báo số 5"): the number and the code are the key.
TYPED_NUMBER_RE = re.compile(rf"\b({alternation(t.name.lower() for t in _CODED)})\s+"
                             r"(?:số\s+)?(\d{1,4})(?![\d/-])", re.IGNORECASE)
TYPED_YEAR_NUMBER_RE = re.compile(rf"\b({alternation(n.lower() for n in _YEAR_NUMBERED)})\s+"
                                  r"(?:số\s+)?(\d{1,4}/\d{4})(?![\d/-])", re.IGNORECASE)
ARTICLE_RE = re.compile(r"\bĐiều\s+(\d{1,3})(?![\d.])")
_WORD = r"[\w'’]+"


ADMIN_RE = re.compile(rf"(?<!\w)((?i:{alternation(PLACE_UNITS)}))\.?\s+([\w'’]+(?:\s+[\w'’]+){{0,5}})")
LOWER_ORG_RE = re.compile(rf"(?<![\w])(?i:{alternation(TITLE_HEADS)})\s+((?i:{alternation(ORG_HEADS)}))\s+(?=\w)")
# A party committee or the military commission ("Tỉnh ủy", "Quân ủy"), any case.
UY_RE = re.compile(rf"(?<!\w)((?:{'|'.join(PARTY_COMMITTEE_UNITS + (MILITARY_COMMITTEE_UNIT,))})\s+[uủ]y)(?!\w)",
                   re.IGNORECASE)


@dataclass(frozen=True)
class Need:
    """One constraint with the folded keys that meet it (any one of them)."""
    kind: str
    value: str
    keys: tuple[str, ...]
    unit: str = ""  # a name's unit word as the question writes it ("tinh", "thanh uy"), folded
    scope: int | None = None  # how wide the evidence that meets it may be (understand/evidence.py); None: its kind's


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    return " ".join(tokens(folded_form(text)))


@lru_cache(maxsize=65536)
def _acc(text: str) -> str:
    return " ".join(tokens(search_form(text)))


def _starts_with(words: str, heads: tuple[str, ...]) -> bool:
    """Whether the words start with one of the heads — compared with their accents ("Điểu" is no "Điều")."""
    words = _acc(words)
    return any(words == _acc(h) or words.startswith(_acc(h) + " ") for h in heads)


def _is_cap(word: str) -> bool:
    return bool(word) and word[:1].isupper() and not word.isupper()


def _cap_runs(text: str) -> list[tuple[int, int, list[str]]]:
    """Runs of capitalised words (with their character span). Acronyms break a run; a function word that
    opens the sentence ("Theo Pháp lệnh …", "Tại Lễ …") is capitalised for its position only."""
    runs = _raw_cap_runs(text)
    if runs and runs[0][0] == _first_word_start(text) and is_stop(runs[0][2][0]):
        start, end, words = runs[0]
        rest = words[1:]
        runs = ([(text.index(rest[0], start + len(words[0])), end, rest)] if rest else []) + runs[1:]
    return runs


def _raw_cap_runs(text: str) -> list[tuple[int, int, list[str]]]:
    runs, cur, start, end = [], [], 0, 0
    for m in re.finditer(_WORD, text):
        w = m.group(0)
        gap = text[end:m.start()] if cur else ""
        if _is_cap(w) and (not cur or re.fullmatch(r"\s+", gap)):
            if not cur:
                start = m.start()
            cur.append(w)
            end = m.end()
            continue
        if cur:
            runs.append((start, end, cur))
        cur = [w] if _is_cap(w) else []
        start, end = m.start(), m.end()
    if cur:
        runs.append((start, end, cur))
    return runs


def _words_from(text: str, pos: int):
    """Words from ``pos`` on, stopping at the first punctuation between two words."""
    end = pos
    for m in re.finditer(_WORD, text[pos:]):
        if text[end:pos + m.start()].strip():
            return
        yield m.group(0)
        end = pos + m.end()


def _words_while(text: str, pos: int, keep, max_words: int) -> str:
    """The words from ``pos`` on while ``keep(word)`` holds, up to punctuation or ``max_words``."""
    out = []
    for w in _words_from(text, pos):
        if not keep(w) or len(out) >= max_words:
            break
        out.append(w)
    return " ".join(out)


def _cap_words_after(text: str, pos: int, max_words: int = 4) -> str:
    """The capitalised words written right after ``pos`` ("Sóc Trăng" after "Tỉnh ủy"), up to punctuation."""
    return _words_while(text, pos, lambda w: _is_cap(w) or (w.isupper() and len(w) > 1), max_words)


def _phrase_after(text: str, pos: int, max_words: int = 4) -> str:
    """The noun phrase that starts at ``pos``: words up to a function word, punctuation or max_words."""
    return _words_while(text, pos, lambda w: not is_stop(w), max_words)


def read_constraints(question: str, typed_unaccented: bool | None = None) -> list[Need]:
    """The hard constraints a question states (question text as written or with abbreviations expanded).

    ``typed_unaccented``: the user typed it without accents (the text may since have been restored from
    the collection, assistant/understand/restore.py): the unaccented rules read it too. Default: as the text shows."""
    text = normalize_tone_placement(normalize_artefacts(nfc(question)))  # "uỷ" = "ủy"
    needs: list[Need] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: str, keys: list[str], span: tuple[int, int], unit: str | None = None,
            take: bool = True) -> None:
        keys = [k for k in dict.fromkeys(keys) if k]
        if unit is None:
            unit = _unit_before(text, span[0]) if kind in ("name", "place") else ""
        same_kind = {kind, "place", "name"} if kind in ("place", "name") else {kind}  # a place is a name
        if keys and not any(n.kind in same_kind and n.keys == tuple(keys) for n in needs):
            needs.append(Need(kind, value, tuple(keys), unit))
        if take:
            taken.append(span)

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    for m in DOCNUM_RE.finditer(text):
        add("document", m.group(0), [ref_key(m.group(0))], m.span())
    for m in TYPED_YEAR_NUMBER_RE.finditer(text):  # "Nghị định 25/2014": number and year, any issuer
        if free(*m.span()):
            add("document", m.group(0), [m.group(2)], m.span())
    for m in TYPED_NUMBER_RE.finditer(text):
        if free(*m.span()):
            code = TYPE_CODES.get(_fold(m.group(1)), "")
            add("document", m.group(0), [f"{m.group(2)}-{code}", f"{_fold(m.group(1))} so {m.group(2)}",
                                         f"{_fold(m.group(1))} {m.group(2)}"], m.span())
    for m in ARTICLE_RE.finditer(text):
        add("article", m.group(0), [f"dieu {m.group(1)}"], m.span())
    for kind, value, keys, span in read_legal_needs(text):  # "khoản 4", "điểm d khoản 3", "Luật Phòng, chống …"
        add(kind, value, keys, span)
    for m in PERIOD_RE.finditer(text):
        if free(*m.span()):
            a, b = re.findall(r"\d{4}", m.group(0))
            add("period", _with_marker(text, m.start(), m.group(0)), [f"{a} {b}"], m.span())
    for m in YEAR_RE.finditer(text):
        if free(*m.span()):
            add("year", _with_marker(text, m.start(), m.group(0)), [m.group(0)], m.span())
    for m in QUARTER_RE.finditer(text):
        add("quarter", m.group(0), [_fold(m.group(0))], m.span())
    for m in ADMIN_RE.finditer(text):
        names = []
        for w in m.group(2).split():
            if not (_is_cap(w) or w.isdigit() or (w.isupper() and len(w) > 1)):
                break
            names.append(w)
        name = " ".join(names)
        if name and free(m.start(2), m.end(2)) and not _starts_with(name, ORG_HEADS + DOC_TYPE_HEADS):
            end = m.start(2) + len(name)
            add("place", text[m.start():end], [_fold(name)], (m.start(), end), _fold(m.group(1)))
    for m in UY_RE.finditer(text):
        add("body", m.group(1), [_fold(m.group(1))], m.span())
        _read_unit_name(text, m, add)
    for m in LOWER_ORG_RE.finditer(text):  # "Trưởng ban Nội chính": a title, then the body it heads
        if _acc(text[m.start():m.start(1)]).strip() in {_acc(h) for h in ADDRESS_FORMS}:
            continue  # "đồng chí Đoàn …": a form of address, then a name
        if free(m.start(1), m.end(1)) and text[m.end()].isupper():
            body = _org_phrase(text, m.start(1), len(m.group(1).split()))
            if len(body.split()) > len(m.group(1).split()):
                add("body", body, [_fold(body)], (m.start(1), m.start(1) + len(body)))
    _read_capitalised(text, add, free)
    folded = fold_accents(text)
    if typed_unaccented is None:
        typed_unaccented = folded == text
    if typed_unaccented and len(folded) == len(text):  # typed without accents: read what the shapes still show
        _read_unaccented(folded, add, free)
    for m in re.finditer(rf"(?<!\w)({alternation(CATEGORY_WORDS + tuple(fold_accents(w) for w in CATEGORY_WORDS))})\s+",
                         text, re.IGNORECASE):
        phrase = _phrase_after(text, m.end())
        if phrase and free(m.start(), m.end() + len(phrase)) and len(phrase.split()) >= 2:
            add("category", f"{m.group(1)} {phrase}", [_fold(phrase)], (m.start(), m.end() + len(phrase)))
    _read_quantities(text, add, free)
    return needs


# A quantity the question states as given ("số người có uy tín là 2.168 người, trong đó nam có bao nhiêu?"): a
# number followed by a word, outside the dates, years, numbers and articles read above, and not a reference
# ("khoản 2", "lần thứ 20"). The answering passage must write it.
QUANTITY_RE = re.compile(r"(?<![\w/.,-])(\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?=\s*[^\W\d])")


_TIME_UNITS = {_acc(w) for w in TIME_UNITS}
REFERENCE_WORDS = {_acc(w) for w in without(LEGAL_DIVISIONS, "điều") + NUMBER_POINTERS + TERM_WORDS
                   + ("lần", "kỳ") + pick(ADMIN_UNITS, "quận") + ("tổ",)}  # "Điều 5" is read as an article


def _read_quantities(text: str, add, free) -> None:
    for m in QUANTITY_RE.finditer(text):
        before = text[max(0, m.start() - 8):m.start()].split()
        after = text[m.end():m.end() + 8].split()
        if before and _acc(before[-1]) in REFERENCE_WORDS:
            continue
        if after and _acc(after[0]) in _TIME_UNITS:
            continue  # "6 tháng cuối năm": a span of time that frames the question, not a count it states
        if free(*m.span()):
            add("quantity", m.group(0), [quantity_key(m.group(0))], m.span())


def quantity_key(number: str) -> str:
    """A number's digits as a key: "2.168" and "2168" are the same count, and so are "05" and "5"."""
    return re.sub(r"^0+(?=\d)", "", re.sub(r"[.\s]", "", number).replace(",", "."))


# Unaccented questions ("o tinh yen bai co bao nhieu …"): the same constraints read on folded words. A place
# without capitals is read only after a locative word, two syllables at most (most place names have two).
FOLDED_ARTICLE_RE = re.compile(r"\bdieu\s+(\d{1,3})(?![\d.])", re.IGNORECASE)
# The first six committees only ("xa uy", "phuong uy", "khoi uy" are not read folded); "quan": quận / quân.
FOLDED_UY_RE = re.compile(rf"\b((?:{'|'.join(folded(PARTY_COMMITTEE_UNITS[:6]))})\s+uy)\b", re.IGNORECASE)
# Any unit after a locative word or at the start; elsewhere not "tp", "phuong", "quan", "xa" (phương, quan, xa).
_FOLDED_UNITS = "|".join(u + (r"\.?" if u == CITY_ABBR else "") for u in folded(ADMIN_UNITS))
_FOLDED_UNITS_ALONE = "|".join(folded(without(ADMIN_UNITS, CITY_ABBR, "phường", "quận", "xã")))
FOLDED_PLACE_RE = re.compile(rf"(?:^|\b(?:{'|'.join(folded(pick(LOCATIVES, 'ở', 'tại') + ('của',) + pick(LOCATIVES, 'thuộc', 'trên địa bàn') + ('về', 'đến', 'vào')))})\s+)({_FOLDED_UNITS})\s+([a-z]+"
                             rf"(?:\s+[a-z]+)?)|\b({_FOLDED_UNITS_ALONE})\s+([a-z]+(?:\s+[a-z]+)?)", re.IGNORECASE)
# Not "anh", "chi": folded they are as often other words ("chi" = chi, chỉ).
FOLDED_PERSON_RE = re.compile(rf"\b({'|'.join(folded(without(ADDRESS_FORMS, 'anh', 'chị')))})\s+"
                              r"([a-z]+(?:\s+[a-z]+){1,3})", re.IGNORECASE)
FOLDED_TYPED_YEAR_RE = re.compile(rf"\b({alternation(folded(_YEAR_NUMBERED))})\s+"
                                  r"(?:so\s+)?(\d{1,4}/\d{4})(?![\d/-])", re.IGNORECASE)


def _read_unit_name(text: str, m: re.Match, add) -> None:
    """"Tỉnh ủy Sóc Trăng" inside a longer title run: the unit's name (the run may still give a body)."""
    name = _cap_words_after(text, m.end(), UNIT_NAME_MAX_WORDS + 1)
    if name and len(name.split()) <= UNIT_NAME_MAX_WORDS and not any(w.isupper() for w in name.split()) \
            and not _starts_with(name, ORG_HEADS + TITLE_HEADS + DOC_TYPE_HEADS + NON_NAME_STARTS):
        start = text.index(name, m.end())
        add("name", name, [_fold(name)], (start, start + len(name)), _fold(m.group(1)), take=False)


def _read_capitalised(text: str, add, free) -> None:
    """Runs of capitalised words: a body after an organisation head, a name after a title, or a name."""
    for start, end, words in _cap_runs(text):
        if not free(start, end):
            continue
        if len(words) >= 2 and not _starts_with(" ".join(words), TITLE_HEADS + NON_NAME_STARTS + PLACE_UNITS) \
                and re.search(rf"(?<!\w)(?:{alternation(tuple(_acc(h) for h in ADDRESS_FORMS))})\s*$",
                                         _acc(text[max(0, start - 12):start]) + " "):
            add("name", " ".join(words), [_fold(" ".join(words))], (start, end))  # "đồng chí Đoàn Tấn Bửu"
            continue
        if _starts_with(" ".join(words), TITLE_HEADS):  # "Ông Điểu K'Ré", "Trưởng Ban Dân vận": what follows
            rest = list(words)
            while rest and _starts_with(" ".join(rest), TITLE_HEADS) and \
                    not any(_acc(" ".join(rest)) == _acc(h) for h in TITLE_HEADS):
                rest = rest[1:]
            if rest == words or not rest:
                continue
            addressed = _acc(" ".join(words[:len(words) - len(rest)])) in {_acc(h) for h in ADDRESS_FORMS}
            start = text.index(rest[0], start)
            words = rest
            if addressed and len(words) >= 2:  # "Đồng chí Đoàn Tấn Bửu": a name
                add("name", " ".join(words), [_fold(" ".join(words))], (start, end))
                continue
        if _starts_with(" ".join(words), ORG_HEADS):
            head_len = next(len(_acc(h).split()) for h in sorted(ORG_HEADS, key=len, reverse=True)
                            if _starts_with(" ".join(words), (h,)))
            if len(words) > head_len and not _starts_with(" ".join(words[head_len:]), TITLE_HEADS):
                # "Ban Dân vận", not a lone "Ban"; "Vụ Trưởng Ban …" is a case, then a title
                body = _org_phrase(text, start, head_len)
                add("body", body, [_fold(body)], (start, start + len(body)))
            continue
        if len(words) < 2 and _starts_with(" ".join(words), TITLE_HEADS):
            continue
        if _starts_with(" ".join(words), TITLE_HEADS + DOC_TYPE_HEADS + NON_NAME_STARTS + PLACE_UNITS):
            continue
        first_word = start == _first_word_start(text) or _opens_sentence(text, start)
        if len(words) == 1 and _starts_with(" ".join(list(_words_from(text, start))[:3]),
                                            TITLE_HEADS + ORG_HEADS + DOC_TYPE_HEADS + NON_NAME_STARTS):
            continue  # "Chủ nhiệm", "Ủy ban": a capitalised word that opens a title or a body
        if len(words) >= 2 or (not first_word and len(words[0]) > 1 and not is_stop(words[0])
                               and _ends_phrase(text, end)):
            add("name", " ".join(words), [_fold(" ".join(words))], (start, end))


def _read_unaccented(text: str, add, free) -> None:
    for m in FOLDED_ARTICLE_RE.finditer(text):
        if free(*m.span()):
            add("article", m.group(0), [f"dieu {m.group(1)}"], m.span())
    for m in FOLDED_TYPED_YEAR_RE.finditer(text):
        if free(*m.span()):
            add("document", m.group(0), [m.group(2).lower()], m.span())
    for m in FOLDED_UY_RE.finditer(text):
        if free(*m.span()):
            add("body", m.group(1), [m.group(1).lower()], m.span())
    for m in FOLDED_PERSON_RE.finditer(text):  # "dong chi vu hong nam": a form of address, then the name
        if _starts_with(m.group(2), tuple(fold_accents(h) for h in TITLE_HEADS)):
            continue  # "dong chi pho bi thu …": a title, not a name
        words = []
        for w in m.group(2).split():
            if w.lower() in UNACCENTED_NAME_END or w.lower() in UNACCENTED_NOT_NAME or len(words) >= 3:
                break
            words.append(w)
        if len(words) >= 2 and free(m.start(2), m.end(2)):
            end = m.start(2) + len(" ".join(words))
            add("name", " ".join(words), [" ".join(words).lower()], (m.start(2), end))
    for m in FOLDED_PLACE_RE.finditer(text):
        admin, name_at = (1, 2) if m.group(1) else (3, 4)
        if text[:m.start(admin)].rstrip().endswith(("dia", "co")):  # "địa phương", "cơ quan"
            continue
        words = []
        for w in m.group(name_at).split():
            if is_stop(w) or w.lower() in NOT_A_NAME_START:
                break
            words.append(w)
        if words and words[0].lower() not in UNACCENTED_ADMIN_COMPOUND and free(m.start(name_at), m.end(name_at)):
            end = m.start(name_at) + len(" ".join(words))
            add("place", f"{m.group(admin)} {' '.join(words)}", [" ".join(words).lower()], (m.start(admin), end),
                m.group(admin).lower().rstrip("."))


# Folded words that follow an administrative word without naming a place ("cấp tỉnh", "xã hội", "huyện nào").
# Words that make a common noun with an administrative word typed without accents ("tinh hinh" = tình hình,
# "tinh than" = tinh thần, "huyen thoai" = huyền thoại): no place name follows.
UNACCENTED_ADMIN_COMPOUND = {"hinh", "than", "thuong", "cam", "trang", "nguyen", "chat", "toan", "doan", "ket",
                             "nang", "hieu", "yeu", "nghia", "thoai", "ao", "bi", "uy", "gia", "te", "vi", "thuc",
                             "an", "tien", "huong", "phap", "cham", "xa", "thi", "ly", "khiet"}
# Verbs and function words that end an unaccented name ("dong chi vu hong nam giu chuc vu gi").
UNACCENTED_NAME_END = {"giu", "duoc", "la", "co", "da", "se", "phat", "tham", "noi", "cho", "o", "tai", "cua", "va",
                       "voi", "ve", "trong", "tu", "den", "lam", "chu", "nhan", "ky", "dai", "khi", "nhu", "thi"}


def _ends_phrase(text: str, end: int) -> bool:
    """A single capitalised word is a name ("của Pháp là gì", "ở Huế?") when a function word or
    punctuation follows it; followed by a lower-case syllable it starts a compound ("Bí thư",
    "Tổ quốc", "Dân vận")."""
    rest = text[end:].lstrip(" ")
    if not rest or not re.match(r"[\w'’]", rest):
        return True
    nxt = re.match(_WORD, rest).group(0)
    return is_stop(nxt) or _is_cap(nxt) or nxt.isupper()


_FOLDED_STOPS = {fold_accents(w) for w in PHRASE_STOPS}


def is_stop(word: str) -> bool:
    """A function word, written with or without its accents."""
    w = word.lower()
    return w in PHRASE_STOPS or (w == fold_accents(w) and w in _FOLDED_STOPS)


def _opens_sentence(text: str, start: int) -> bool:
    """The word at ``start`` follows a sentence's end ("…? Còn khi …"): capitalised for its position."""
    return re.search(r"[.?!:;]\s*$", text[:start]) is not None


def _first_word_start(text: str) -> int:
    m = re.search(_WORD, text)
    return m.start() if m else -1


def _org_phrase(text: str, start: int, head_words: int = 1) -> str:
    """An organisation name from its head noun: capitalised words, and the lower-case words of a
    compound name that a capitalised word follows ("Ban Dân vận", "Hội Liên hiệp Phụ nữ"). A
    party committee word ("Tỉnh ủy") or another capitalised head ("Ban Chấp hành | Chi bộ | Ban Dân vận")
    ends it: that is a body of its own."""
    words: list[str] = []
    all_words = list(_words_from(text, start))
    for i, w in enumerate(all_words):
        if len(words) < head_words:  # the head noun itself ("ủy ban", "Ban")
            words.append(w)
            continue
        if words and (w.islower() and is_stop(w) or UY_RE.match(f"{w} ủy") and _is_cap(w)):
            break
        if _is_cap(w) and len(words) >= 2 and _starts_with(" ".join(all_words[i:i + 3]), ORG_HEADS):
            break
        if not words or _is_cap(w) or (w.islower() and _is_cap(words[-1])):
            words.append(w)
            if len(words) >= ORG_NAME_MAX_WORDS:
                break
            continue
        break
    return " ".join(words)


def _with_marker(text: str, start: int, value: str) -> str:
    """"năm 2020", "nhiệm kỳ 2015 - 2020", "khóa XIII": the value with the word that introduces it, for messages."""
    m = re.search(rf"({'|'.join(pick(CALENDAR_UNITS, 'năm') + PERIOD_WORDS + TERM_WORDS)})\s*$", text[:start], re.I)
    return f"{m.group(1)} {value}" if m else value


# "TƯ" after a number's slash is Trung ương, written "TW" as often ("217-QĐ/TƯ", "217-QĐ/TW"); folded, it would
# read as "TU" (Tỉnh ủy), so it is spelled TW before folding.
_CENTRAL_ISSUER_RE = re.compile(r"(?<=/)\s*T[Ưư](?!\w)")


def ref_key(ref: str) -> str:
    """A document number as compared: folded, lower-case, no spaces around - and /, "TƯ" read as "TW"."""
    return re.sub(r"\s*([-/])\s*", r"\1", fold_accents(_CENTRAL_ISSUER_RE.sub("TW", nfc(ref))).lower().replace("đ", "d"))


# The unit words a place or body name follows ("tỉnh Lạng Sơn", "Thành ủy Phan Thiết"), folded, longest first.
UNIT_WORDS = tuple(sorted({_fold(w) for w in PLACE_UNITS + PARTY_COMMITTEES} - {"ban"}, key=lambda w: -len(w)))


def _unit_before(text: str, start: int) -> str:
    """The unit word written right before a name ("tỉnh", "Thành ủy"), folded; "" when none."""
    before = f" {_fold(text[max(0, start - 16):start])}"
    return next((u for u in UNIT_WORDS if before.endswith(f" {u}")), "")


def as_constraint(need: Need, met: bool) -> Constraint:
    return Constraint(kind=need.kind, value=need.value, met=met)
