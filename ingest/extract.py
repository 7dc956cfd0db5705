"""Rule-based index of document references, figures, periods and roles.

Why rules and not a model: the index must be exact (a directive number is either
right or useless) and every ``Fact.text`` must be a verbatim span of the passage
so the UI can highlight it. A phrase the rules cannot parse is left out, never
guessed. Text is expected in NFC (the cleaner normalises it).
"""
from __future__ import annotations

import re

from ingest.facts.common import Sentences, parse_vn_number
from ingest.facts.figures import DATE_RE, find_figures
from ingest.facts.periods import find_periods
from ingest.facts.refs import DOC_NUM, DOC_TYPES, TYPE_ALT, find_document_refs
from ingest.facts.roles import find_roles
from ingest.types import Fact

__all__ = ["extract_facts", "parse_vn_number", "DOC_TYPES"]


def extract_facts(text: str) -> list[Fact]:
    """All facts of one passage, ordered by offset; ``chunk_id`` is left for the caller."""
    if not text or not text.strip():
        return []
    docs = find_document_refs(text)
    periods = find_periods(text)
    blocked = [(f.start, f.start + len(f.text)) for f in docs + periods]
    blocked += [m.span() for m in DATE_RE.finditer(text)]
    blocked += [m.span() for m in re.finditer(rf"(?:{TYPE_ALT})\s+(?:số\s+)?{DOC_NUM}", text, re.I)]
    figures = find_figures(text, blocked, Sentences(text))
    roles = find_roles(text)
    facts = docs + periods + figures + roles
    facts.sort(key=lambda f: (f.start, f.kind))
    return facts

