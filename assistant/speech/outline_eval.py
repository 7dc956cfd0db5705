"""Scoring a speech outline against what any good outline of its request must hold (issue 29, item 5).

An outline item of an eval set: ``{"kind": "outline", "question": …, "must_cover": [facts, each a string or a
list of alternatives], "forbidden": [figures of other places or periods]}``. Scores: found; every body point
sourced; cover rate (share of ``must_cover`` in the outline); forbidden figures used; fragments (points that do
not stand alone, lists, bullets over the word limit, place tags the request did not ask for and the document
does not give are checked by the outline itself).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from assistant.speech.speech_text import MAX_BULLET_WORDS, is_enumeration, stands_alone, word_count


def _norm(s: str) -> str:
    """NFC, case-folded, no spaces around a dash or slash: "2018 - 2020" and "2018-2020", "120 - KL / TW" and
    "120-KL/TW" are one fact however a page spaced it."""
    return re.sub(r"\s*([-–/])\s*", r"\1", unicodedata.normalize("NFC", s).casefold())


def _holds(text: str, fact: str | list[str]) -> bool:
    options = fact if isinstance(fact, list) else [fact]
    return any(_norm(o) in text for o in options)


def score_outline(item: dict[str, Any], answer: Any) -> dict[str, Any]:
    """The outline's scores and the reasons it fails (empty when it passes)."""
    text = _norm(answer.answer or "")
    body = [st for sec in (answer.sections or [])[1:-1] for st in sec.statements]
    points = [st for sec in (answer.sections or []) for st in sec.statements if st.cites]
    must = item.get("must_cover", [])
    covered = [f for f in must if _holds(text, f)]
    forbidden = [f for f in item.get("forbidden", []) if _norm(f) in text]
    fragments = [st.text for st in points if not stands_alone(st.text) or is_enumeration(st.text)
                 or word_count(st.text) > MAX_BULLET_WORDS]
    out = {"found": bool(answer.found), "sourced": all(st.cites for st in body) and bool(points),
           "cover": round(len(covered) / len(must), 3) if must else 1.0, "forbidden": forbidden,
           "fragments": fragments, "missing": [f for f in must if f not in covered]}
    reasons = []
    if not out["found"]:
        reasons.append("dàn ý: không tìm thấy")
    if not out["sourced"]:
        reasons.append("dàn ý: có ý không trích nguồn")
    if forbidden:
        reasons.append(f"dàn ý: dùng số liệu không được dùng {forbidden}")
    if fragments:
        reasons.append(f"dàn ý: {len(fragments)} ý không trọn câu")
    out["reasons"] = reasons
    return out


def summarise_outlines(scores: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals over the outline items of a run: found rate, sourced rate, mean cover, forbidden and fragments."""
    n = len(scores)
    if not n:
        return {}
    return {"outlines": n,
            "outline_found": round(sum(s["found"] for s in scores) / n, 3),
            "outline_sourced": round(sum(s["sourced"] for s in scores) / n, 3),
            "outline_cover": round(sum(s["cover"] for s in scores) / n, 3),
            "outline_forbidden": sum(len(s["forbidden"]) for s in scores),
            "outline_fragments": sum(len(s["fragments"]) for s in scores)}
