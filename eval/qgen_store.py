"""Read-only view of a store's catalogue for the eval generator: documents, their text, facts,
and the accent-folded search forms every absence check runs on.

Opened with SQLite's read-only mode so generating never writes into a store another process owns.
"""
from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from vntext.normalize import fold_accents, nfc

_WORD_RE = re.compile(r"\w+")
RARE_SHARE = 0.2


def norm(text: str) -> str:
    """What the evaluator compares: NFC, case-folded (assistant/evaluate.py `_norm`)."""
    return unicodedata.normalize("NFC", text).casefold()


def fold(text: str) -> str:
    """Accent-insensitive, lower-case, single-spaced form used by every absence check."""
    text = fold_accents(nfc(text)).lower()
    text = text.replace("–", "-")
    text = re.sub(r"(?<=\d)\s*-\s*(?=\d)", "-", text)  # "2020 - 2025" = "2020-2025" (not "Hồng - Trưởng")
    text = re.sub(r"\s*/\s*", "/", text)  # "20-CT / ThU" = "20-ct/thu"
    text = re.sub(r"(?<=\d)\s*-\s*(?=[a-zđ]{1,6}/)", "-", text)  # "62 - KL / TW" = "62-kl/tw"
    return " ".join(text.split())


def phrase_re(phrase: str) -> re.Pattern:
    """A folded phrase as a whole-word pattern ("20-ct/tu" must not match inside "20-ct/tuy")."""
    return re.compile(r"(?<![\w/-])" + re.escape(fold(phrase)) + r"(?![\w/])")


@dataclass
class Doc:
    doc_id: str
    source: str
    path: str
    title: str
    kind: str
    instrument: str | None
    article: str | None
    near_dup: bool = False    # a near-duplicate of another document: searched, never a question's source
    text: str = ""            # passages joined (overlaps repeat a little; harmless for containment)
    folded: str = ""
    normed: str = ""
    raw_normed: str | None = None  # the source file itself, when readable
    facts: list[dict] = field(default_factory=list)
    chunks: list[tuple[str, str]] = field(default_factory=list)  # (heading, text)
    tokens: set[str] = field(default_factory=set)  # folded words: a fast first test before a phrase search


class Store:
    """Documents of one catalogue with the helpers the generator verifies against."""

    def __init__(self, db_dir: Path):
        path = Path(db_dir) / "catalogue.sqlite3"
        if not path.exists():
            raise FileNotFoundError("Không thấy kho dữ liệu: thư mục đã cho không có catalogue.sqlite3.")
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            self.docs = self._load(con)
        finally:
            con.close()
        self.by_source = {d.source: d for d in self.docs}
        self._token_df: dict[str, int] = {}
        for d in self.docs:
            d.tokens = set(_WORD_RE.findall(d.folded))
            for t in d.tokens:
                self._token_df[t] = self._token_df.get(t, 0) + 1

    @staticmethod
    def _load(con: sqlite3.Connection) -> list[Doc]:
        docs: dict[str, Doc] = {}
        rows = con.execute("SELECT doc_id, source, path, title, kind, instrument, article, near_dup_of "
                           "FROM documents ORDER BY source")
        for doc_id, source, path, title, kind, instrument, article, dup in rows:
            docs[doc_id] = Doc(doc_id, source, path or "", title or "", kind or "", instrument, article,
                               near_dup=bool(dup))
        for doc_id, heading, text in con.execute("SELECT doc_id, heading, text FROM chunks ORDER BY doc_id, position"):
            if doc_id in docs:
                docs[doc_id].chunks.append((heading or "", text or ""))
        for doc_id, chunk_id, kind, text, fields in con.execute(
                "SELECT doc_id, chunk_id, kind, text, fields FROM facts ORDER BY id"):
            if doc_id in docs:
                docs[doc_id].facts.append({"kind": kind, "text": text, "fields": json.loads(fields or "{}"),
                                           "chunk_id": chunk_id})
        for d in docs.values():
            heading = d.chunks[0][0] if d.chunks else ""
            d.text = "\n".join([heading] + [t for _, t in d.chunks])
            d.folded = fold(d.text)
            d.normed = norm(d.text)
            try:
                raw = Path(d.path).read_text(encoding="utf-8")
                d.raw_normed = norm(raw)
                d.folded += "\n" + fold(raw)  # absence is checked in the passages and in the file
            except (OSError, UnicodeDecodeError):
                d.raw_normed = None
        return sorted(docs.values(), key=lambda d: d.source)

    # ----------------------------------------------------------------- checks
    def occurs_in_source(self, doc: Doc, needle: str) -> bool:
        """The evaluator's containment (NFC, case-folded), in the passages and in the file itself."""
        n = norm(needle)
        return n in doc.normed and (doc.raw_normed is None or n in doc.raw_normed)

    def docs_with_all(self, phrases: list[str]) -> list[Doc]:
        pats = [phrase_re(p) for p in phrases]
        need = set().union(*(_WORD_RE.findall(fold(p)) for p in phrases)) if phrases else set()
        return [d for d in self.docs if need <= d.tokens and all(p.search(d.folded) for p in pats)]

    def absent_with(self, value: str, anchors: list[str]) -> bool:
        """True when no document names `value` together with every anchor phrase (folded, whole words)."""
        return not self.docs_with_all([value] + list(anchors))

    def rare_tokens(self, text: str) -> set[str]:
        """The question's words found in fewer than RARE_SHARE of the documents: what identifies its subject."""
        limit = max(2, RARE_SHARE * len(self.docs))
        return {t for t in _WORD_RE.findall(fold(text)) if self.df(t) < limit}

    def df(self, token: str) -> int:
        return self._token_df.get(token, 0)
