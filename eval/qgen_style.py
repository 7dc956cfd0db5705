"""Question styles: the ways staff actually phrase a question (see ../shared/eval/realistic-sample.jsonl).

Each style is a pure function of a plain question (and a seeded random generator), so a generated set
is reproducible from its seed.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

from qgen_store import fold_accents

OFFICE_PREFIXES = ["Đề nghị cho biết", "Xin cho biết", "Cho tôi hỏi", "Đề nghị đồng chí cung cấp thông tin:",
                   "Nhờ đồng chí cho biết", "Đề nghị cung cấp thông tin"]
# Question words per answer type: every generated question draws one (seeded) from its list.
QWORDS = {
    "figure": ["bao nhiêu"],
    "small_figure": ["bao nhiêu", "mấy"],
    "person": ["ai", "đồng chí nào"],
    "date": ["vào ngày nào", "khi nào", "hôm nào", "ngày nào"],
    "subject": ["có nội dung gì", "về vấn đề gì", "quy định về nội dung gì", "đề cập nội dung gì"],
    "issuer": ["do cơ quan nào ban hành", "là của cơ quan nào", "do đâu ban hành"],
    "position": ["giữ chức vụ gì", "đảm nhiệm chức vụ gì", "là ai, giữ cương vị gì"],
}
STYLES = ("plain", "office", "no_year", "role", "expand_abbr", "abbreviate", "unaccented")


def load_glossary(path: Path) -> list[tuple[str, str]]:
    """(abbreviation, full form) pairs from assistant/understand/glossary.tsv, longest abbreviation first."""
    pairs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        abbr, full = (x.strip() for x in line.split("\t", 1))
        if abbr and full:
            pairs.append((abbr, full))
    return sorted(pairs, key=lambda p: -len(p[0]))


# Abbreviations that are also ordinary syllables or document-number parts: never expanded or introduced.
_AMBIGUOUS_ABBR = {"TT", "CT", "HD", "KH", "KL", "NQ", "QĐ", "NĐ", "TU", "HU", "ThU", "ĐU", "TW", "CB", "DV", "HCM"}


def expand_abbr(question: str, glossary: list[tuple[str, str]]) -> str | None:
    """First glossary abbreviation written as a whole word → its full form; None when there is none."""
    for abbr, full in glossary:
        if abbr in _AMBIGUOUS_ABBR:
            continue
        m = re.search(rf"(?<![\w/-]){re.escape(abbr)}(?![\w/-])", question)
        if m:
            return question[:m.start()] + full + question[m.end():]
    return None


def abbreviate(question: str, glossary: list[tuple[str, str]]) -> str | None:
    """First glossary full form (any case) → its abbreviation; None when there is none."""
    for abbr, full in sorted(glossary, key=lambda p: -len(p[1])):
        if abbr in _AMBIGUOUS_ABBR or len(full.split()) < 2:
            continue
        m = re.search(rf"(?<!\w){re.escape(full)}(?!\w)", question, re.IGNORECASE)
        if m:
            return question[:m.start()] + abbr + question[m.end():]
    return None


def office(question: str, rng: random.Random) -> str:
    """"Năm 2018 … bao nhiêu …?" → "Đề nghị cho biết năm 2018 … bao nhiêu …." """
    prefix = rng.choice(OFFICE_PREFIXES)
    body = question.rstrip(" ?.")
    if not _starts_with_name(body):
        body = body[:1].lower() + body[1:]
    end = "?" if prefix.startswith("Cho tôi hỏi") else "."
    return f"{prefix} {body}{end}"


_ORG_FIRST = {"Ban", "Ủy", "Uỷ", "Hội", "Đoàn", "Bộ", "Sở", "Chi", "Đảng", "Mặt", "Tỉnh", "Thị", "Huyện", "Thành",
              "Chỉ", "Nghị", "Quyết", "Luật", "Thông", "Kết", "Kế", "Điều", "Liên", "Trung", "Quốc"}


def _starts_with_name(body: str) -> bool:
    """Keep the capital of a proper name or an acronym at the start ("Hồng Lĩnh …", "HĐND …")."""
    words = body.split()
    if not words:
        return False
    first = words[0]
    if len(first) > 1 and first[1:2].isupper() or first in _ORG_FIRST:
        return True
    return len(words) > 1 and words[1][:1].isupper() and first.lower() not in {"năm", "theo", "ai", "ở", "tại"}


def unaccented(question: str) -> str:
    """What a user types without a Vietnamese keyboard: no diacritics, đ→d, mostly lower case."""
    return fold_accents(question).lower().rstrip(" ?.") + "?"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
