"""The one document-type vocabulary (Chỉ thị/CT, Nghị quyết/NQ, …) and the forms derived from it.

The fact index (ingest), the lookup filter and the question parser (assistant) must agree on what
a document type is called, its key and its abbreviation, so all of them read this table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from vntext.normalize import fold_accents
from vntext.vocab import DOC_NO


@dataclass(frozen=True)
class DocType:
    name: str  # as written in documents: "Chỉ thị"
    key: str  # ASCII key of the fact index, the lookup filter and `danvan lookup --type`: "chi-thi"
    abbr: str | None = None  # the symbol users type for it: "CT"
    code: str | None = None  # its code in a document's number ("01-TB/TU") where that is not ``abbr``

    @property
    def number_code(self) -> str | None:
        """The type's code in a document's number ("20-CT/ThU" → "CT"), if it has one."""
        return self.code or self.abbr


DOC_TYPE_TABLE: tuple[DocType, ...] = (
    DocType("Chỉ thị", "chi-thi", "CT"),
    DocType("Nghị quyết", "nghi-quyet", "NQ"),
    DocType("Quyết định", "quyet-dinh", "QĐ"),
    DocType("Kết luận", "ket-luan", "KL"),
    DocType("Kế hoạch", "ke-hoach", "KH"),
    DocType("Hướng dẫn", "huong-dan", "HD"),
    DocType("Quy chế", "quy-che"),
    DocType("Quy định", "quy-dinh", code="QĐ"),  # as the question reader had it (the official code is "QyĐ")
    DocType("Thông báo", "thong-bao", code="TB"),
    DocType("Đề án", "de-an", code="ĐA"),
    DocType("Chương trình", "chuong-trinh", code="CTr"),
    DocType("Nghị định", "nghi-dinh", "NĐ"),
    DocType("Thông tư", "thong-tu", "TT"),
    DocType("Luật", "luat"),
    DocType("Công văn", "cong-van", code="CV"),
    DocType("Chiến lược", "chien-luoc"),
    DocType("Pháp lệnh", "phap-lenh"),
)

# Name as written → key ("Chỉ thị" → "chi-thi").
DOC_TYPES: dict[str, str] = {t.name: t.key for t in DOC_TYPE_TABLE}
# Key → name ("chi-thi" → "Chỉ thị"), in table order (the lookup tab's list).
TYPE_KEYS: dict[str, str] = {t.key: t.name for t in DOC_TYPE_TABLE}


def type_names(*keys: str) -> tuple[str, ...]:
    """The names of the types with these keys, in the order given (a rule that reads only some types)."""
    return tuple(TYPE_KEYS[k] for k in keys)


# Instruments outside the table (the fact index and the lookup filter do not list them), named by title.
CODE_TITLE = "Bộ luật"  # "Bộ luật Lao động"
CONSTITUTION = "Hiến pháp"
# Instruments a question names by their title ("Luật Đất đai", "Pháp lệnh Thực hiện dân chủ").
LAWS = (CODE_TITLE,) + type_names("luat", "phap-lenh")
# Legal instruments a speech outline can follow article by article ("Nghị định 59/2023/NĐ-CP").
INSTRUMENTS = LAWS + type_names("nghi-dinh", "nghi-quyet", "thong-tu", "chi-thi", "quyet-dinh")


def _folded(word: str) -> str:
    return fold_accents(word).lower()


# Folded name or abbreviation, as it appears in a folded question → name ("ct" → "Chỉ thị").
TYPES_BY_FOLDED: dict[str, str] = {
    **{_folded(t.name): t.name for t in DOC_TYPE_TABLE},
    **{_folded(t.abbr): t.name for t in DOC_TYPE_TABLE if t.abbr},
}
_FOLDED_ALT = "|".join(re.escape(w) for w in sorted(TYPES_BY_FOLDED, key=len, reverse=True))
# A typed reference's number in a folded question: "20", "145/2020/nd-cp".
FOLDED_TYPED_NUMBER = DOC_NO + r"(?:[-/][a-z0-9]{1,8}){0,3}"
# A typed reference in a folded question: "chi thi 20", "nq so 01", "nghi dinh 145/2020/nd-cp".
# Group 1: the folded type word (a key of TYPES_BY_FOLDED); group 2: the number.
TYPED_REF_RE = re.compile(rf"\b({_FOLDED_ALT})\s+(?:so\s+)?({FOLDED_TYPED_NUMBER})\b")

