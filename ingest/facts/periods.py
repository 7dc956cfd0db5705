"""Periods: "giai đoạn 2021-2025", "nhiệm kỳ 2020 - 2025", "thời kỳ từ năm 2016 đến 2020"."""
from __future__ import annotations

import re

from ingest.types import Fact
from vntext.vocab import CENTURY_YEAR, DASHES, PERIOD_WORDS, alternation

# The period words, and "nhiệm kì" as older texts spell it.
_PERIOD_RE = re.compile(
    rf"(?<!\w)(?P<label>(?i:{alternation(PERIOD_WORDS + ('nhiệm kì',))}))\s+"
    rf"(?:(?i:từ)\s+(?:(?i:năm)\s+)?)?(?P<a>{CENTURY_YEAR})"
    rf"(?:\s*[{DASHES}]\s*|\s+(?i:đến)\s+(?:(?i:năm)\s+)?)"
    rf"(?P<b>{CENTURY_YEAR}|\d\d)(?![\d/])"
)


def find_periods(text: str) -> list[Fact]:
    facts = []
    for m in _PERIOD_RE.finditer(text):
        a = int(m.group("a"))
        b_raw = m.group("b")
        b = int(b_raw) if len(b_raw) == 4 else (a // 100) * 100 + int(b_raw)
        if b < a or b - a > 30:
            continue
        label = m.group("label").lower().replace("nhiệm kì", "nhiệm kỳ")
        facts.append(Fact(kind="period", text=m.group(0), start=m.start(),
                          fields={"label": label, "start": a, "end": b}))
    return facts

