"""Periods: "giai đoạn 2021-2025", "nhiệm kỳ 2020 - 2025", "thời kỳ từ năm 2016 đến 2020"."""
from __future__ import annotations

import re

from ingest.types import Fact

_PERIOD_RE = re.compile(
    r"(?<!\w)(?P<label>(?i:giai đoạn|nhiệm kỳ|nhiệm kì|thời kỳ))\s+"
    r"(?:(?i:từ)\s+(?:(?i:năm)\s+)?)?(?P<a>(?:19|20)\d\d)"
    r"(?:\s*[-–—]\s*|\s+(?i:đến)\s+(?:(?i:năm)\s+)?)"
    r"(?P<b>(?:19|20)\d\d|\d\d)(?![\d/])"
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

