"""The one document-type vocabulary (Chỉ thị/CT, Nghị quyết/NQ, …) and the forms derived from it.

The fact index (ingest), the lookup filter and the question parser (assistant) must agree on what
a document type is called, its key and its abbreviation, so all of them read this table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from vntext.normalize import fold_accents


@dataclass(frozen=True)
class DocType:
    name: str  # as written in documents: "Chỉ thị"
    key: str  # ASCII key of the fact index, the lookup filter and `danvan lookup --type`: "chi-thi"
    abbr: str | None = None  # the symbol users type for it: "CT"


DOC_TYPE_TABLE: tuple[DocType, ...] = (
    DocType("Chỉ thị", "chi-thi", "CT"),
    DocType("Nghị quyết", "nghi-quyet", "NQ"),
    DocType("Quyết định", "quyet-dinh", "QĐ"),
    DocType("Kết luận", "ket-luan", "KL"),
    DocType("Kế hoạch", "ke-hoach", "KH"),
    DocType("Hướng dẫn", "huong-dan", "HD"),
    DocType("Quy chế", "quy-che"),
    DocType("Quy định", "quy-dinh"),
    DocType("Thông báo", "thong-bao"),
    DocType("Đề án", "de-an"),
    DocType("Chương trình", "chuong-trinh"),
    DocType("Nghị định", "nghi-dinh", "NĐ"),
    DocType("Thông tư", "thong-tu", "TT"),
    DocType("Luật", "luat"),
    DocType("Công văn", "cong-van"),
    DocType("Chiến lược", "chien-luoc"),
    DocType("Pháp lệnh", "phap-lenh"),
)

# Name as written → key ("Chỉ thị" → "chi-thi").
DOC_TYPES: dict[str, str] = {t.name: t.key for t in DOC_TYPE_TABLE}
# Key → name ("chi-thi" → "Chỉ thị"), in table order (the lookup tab's list).
TYPE_KEYS: dict[str, str] = {t.key: t.name for t in DOC_TYPE_TABLE}


def _folded(word: str) -> str:
    return fold_accents(word).lower()


# Folded name or abbreviation, as it appears in a folded question → name ("ct" → "Chỉ thị").
TYPES_BY_FOLDED: dict[str, str] = {
    **{_folded(t.name): t.name for t in DOC_TYPE_TABLE},
    **{_folded(t.abbr): t.name for t in DOC_TYPE_TABLE if t.abbr},
}
_FOLDED_ALT = "|".join(re.escape(w) for w in sorted(TYPES_BY_FOLDED, key=len, reverse=True))
# A typed reference in a folded question: "chi thi 20", "nq so 01", "nghi dinh 145/2020/nd-cp".
# Group 1: the folded type word (a key of TYPES_BY_FOLDED); group 2: the number.
TYPED_REF_RE = re.compile(rf"\b({_FOLDED_ALT})\s+(?:so\s+)?(\d{{1,4}}(?:/\d{{4}})?(?:[-/][a-z0-9]{{1,8}}){{0,3}})\b")

