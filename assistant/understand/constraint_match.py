"""Whether a text meets a question's constraint, or contradicts it (the evidence side of constraints.py).

A constraint is met where a scope's text writes it (a name capitalised, a document number with its issuer);
it is contradicted where a sentence writes another value of the same kind and not the asked one.
"""
from __future__ import annotations

import re
from functools import lru_cache

from assistant.understand.constraints import (DOC_TYPE_HEADS, DOCNUM_RE, NON_NAME_STARTS, PERIOD_RE, TITLE_HEADS, YEAR_RE, Need,
                                   _fold, quantity_key, ref_key)
from assistant.understand.legal_refs import LAW_TITLE_WORDS, clause_written
from vntext import fold_accents, nfc, normalize_artefacts, normalize_tone_placement, tokens
from vntext.vocab import PARTY_COMMITTEES, could_be_syllable


@lru_cache(maxsize=8192)
def haystack(text: str) -> str:
    """Folded tokens of a text, space-delimited, for key look-ups."""
    return f" {_fold(text)} "


@lru_cache(maxsize=8192)
def ref_haystack(text: str) -> str:
    return ref_key(normalize_artefacts(nfc(text)))


def meets(need: Need, text: str) -> bool:
    """Whether ``text`` (any scope's text, abbreviations already expanded) meets the need."""
    if need.kind == "document":
        refs = ref_haystack(text)
        hay = haystack(text)
        for key in need.keys:
            if "-" in key or "/" in key:
                if re.search(rf"(?<![\w/]){re.escape(key)}(?![\w])", refs):
                    return True
            elif f" {key} " in hay:
                return True
        return False
    if need.kind in ("name", "place"):
        return named_in(need, text)
    if need.kind == "clause":
        return any(clause_written(key, text) for key in need.keys)
    if need.kind == "quantity":
        return need.keys[0] in written_quantities(text)
    hay = haystack(text)
    return any(f" {key} " in hay for key in need.keys)


@lru_cache(maxsize=8192)
def written_quantities(text: str) -> frozenset[str]:
    """The numbers a text writes, as quantity keys ("2.168 người" → "2168")."""
    return frozenset(quantity_key(m.group(0).rstrip(".,")) for m in re.finditer(r"(?<![\w/-])\d[\d.,]*", text))


@lru_cache(maxsize=8192)
def cased_haystack(text: str) -> str:
    """Accent-folded tokens with their capitals kept: a name matches only where it is written as one."""
    return f" {' '.join(tokens(fold_accents(normalize_artefacts(nfc(text)))))} "


def named_in(need: Need, text: str) -> bool:
    """A name or place is met where the text writes it capitalised ("Pháp", "Hồng Lĩnh", "HCM"), not by a
    common word of the same letters ("pháp luật")."""
    hay = cased_haystack(text)
    for key in need.keys:
        words = key.split()
        if f" {' '.join(w.capitalize() for w in words)} " in hay or f" {key.upper()} " in hay:
            return True
        if len(words) > 1 and f" {' '.join(words[:1] + [w.capitalize() for w in words[1:]])} " in hay:
            continue
    return False


def conflicts(need: Need, sentence: str) -> bool:
    """The sentence itself states another value of the same kind, and not the asked one: another
    year, another term, another number of the same document type and code."""
    if need.kind == "year":
        years = set(YEAR_RE.findall(sentence))
        return bool(years) and need.keys[0] not in years and not _period_covers(sentence, need.keys[0])
    if need.kind == "period":
        periods = {" ".join(re.findall(r"\d{4}", m.group(0))) for m in PERIOD_RE.finditer(sentence)}
        return bool(periods) and need.keys[0] not in periods
    if need.kind == "document" and ("-" in need.keys[0] or "/" in need.keys[0]):
        key = need.keys[0]
        m = re.match(r"(\d{1,4})(?:/\d{4})?[-/]([a-z]+)", key)
        if not m:
            return False
        refs = {ref_key(x.group(0)) for x in DOCNUM_RE.finditer(normalize_artefacts(nfc(sentence)))}
        same_type = {r for r in refs if re.match(rf"\d{{1,4}}(?:/\d{{4}})?[-/]{m.group(2)}(?![a-z])", r)}
        # a number asked without its issuer ("1092/QĐ") is the one written with it ("1092/QĐ-TTg")
        return bool(same_type) and not any(r == key or r.startswith((key + "/", key + "-")) for r in same_type)
    if need.kind in ("name", "place") and need.unit and len(need.keys[0].split()) <= OTHER_UNIT_MAX_WORDS:
        # "Thành uỷ Hội An" for "Thành ủy Phan Thiết" (a unit's name; "Tỉnh ủy Lê Văn Bình" names a person)
        written = _names_after_unit(need.unit, sentence)
        return bool(written) and not named_in(need, sentence) and \
            not any(w.startswith(k) or k.startswith(w) for w in written for k in need.keys)
    if need.kind == "body":
        return _other_body(need.keys[0], sentence)
    return False


# The level a body is named with ("Ban Tuyên giáo Trung ương", "Ban Dân vận Tỉnh ủy"), folded.
_LEVELS = tuple(_fold(x) for x in PARTY_COMMITTEES + ("Trung ương",))


def _other_body(key: str, sentence: str) -> bool:
    """"Ban Dân vận Trung ương" written where "Ban Tuyên giáo Trung ương" is asked: the same head and level, another
    name between them, and the asked body nowhere in the sentence."""
    words = key.split()
    level = next((lv for lv in _LEVELS if key.endswith(f" {lv}")), "")
    head, n = words[0], len(words) - 1 - len(level.split())  # n: the name's words between head and level
    if not level or n < 1 or f" {key} " in haystack(sentence):
        return False
    return re.search(rf" {head}(?: \w+){{{n}}} {level} ", haystack(sentence)) is not None


_NOT_NAME_HEADS = tuple({_fold(h) for h in TITLE_HEADS + DOC_TYPE_HEADS + NON_NAME_STARTS})  # "Hội An" is a name
# "Tỉnh ủy Hội An"; three words or more after a unit are as often a person ("Tỉnh ủy Phan Cao Thanh": public
# question s01 showed it; the training split has no case either way).
OTHER_UNIT_MAX_WORDS = 2


def _names_after_unit(unit: str, sentence: str) -> list[str]:
    """The names a sentence writes right after the same unit word ("Thành uỷ Hội An" → ["hoi an"]), folded;
    punctuation ends a name ("… tỉnh, Hội Phụ nữ …" writes none)."""
    text = fold_accents(normalize_tone_placement(normalize_artefacts(nfc(sentence))))
    unit_re = r"\s+".join(re.escape(w) for w in unit.split())
    out = []
    for m in re.finditer(rf"(?<!\w)(?i:{unit_re})\s+((?:[A-Z][\w']*)(?:\s+[A-Z][\w']*){{0,3}})(?!\w)", text):
        name = " ".join(m.group(1).split()).lower()
        following = " ".join(re.findall(r"[\w']+", text[m.start(1):m.start(1) + 40].lower())) + " "  # "Bí thư": a title
        if len(name.split()) <= OTHER_UNIT_MAX_WORDS and not any(following.startswith(h + " ") for h in _NOT_NAME_HEADS):
            out.append(name)
    return out


def _period_covers(sentence: str, year: str) -> bool:
    for m in PERIOD_RE.finditer(sentence):
        a, b = (int(y) for y in re.findall(r"\d{4}", m.group(0)))
        if a <= int(year) <= b:
            return True
    return False


def with_abbreviations(needs: list[Need], glossary: dict[str, str]) -> list[Need]:
    """Each need also met by its abbreviated or spelled-out form (VHXH ↔ văn hóa - xã hội, HCM ↔ Hồ Chí Minh)."""
    pairs = [(_fold(a), _fold(f)) for a, f in glossary.items()
             if _fold(a) and _fold(f) and not could_be_syllable(_fold(a).replace(" ", ""))]
    out = []
    for need in needs:
        if need.kind in ("document", "year", "period", "article", "quarter", "clause"):
            out.append(need)
            continue
        keys = list(need.keys)
        for _ in range(2):  # "Luật MTTQ VN": both spelled out ("luat mat tran to quoc viet nam"), not one at a time
            for key in list(keys):
                padded = f" {key} "
                for abbr, full in pairs:
                    if f" {full} " in padded:
                        keys.append(padded.replace(f" {full} ", f" {abbr} ").strip())
                    if f" {abbr} " in padded and len(abbr) > 1:
                        keys.append(padded.replace(f" {abbr} ", f" {full} ").strip())
        if need.kind == "law":  # a title is known by its first words, spelled out too ("luat mat tran to")
            keys += [" ".join(k.split()[:(2 if k.startswith("de muc ") else 1) + LAW_TITLE_WORDS]) for k in keys]
        out.append(Need(need.kind, need.value, tuple(dict.fromkeys(keys)), need.unit))
    return out
