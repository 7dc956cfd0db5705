"""Roles: a person and the position held ("đồng chí Nguyễn Văn A, Bí thư Tỉnh ủy",
"Trưởng ban Dân vận Tỉnh ủy Phan Cao Thanh")."""
from __future__ import annotations

import re

from ingest.facts.common import CAP, ORG_LOWER, SURNAMES, inside, is_cap
from ingest.types import Fact
from vntext.vocab import (ADDRESS_FORMS, ADMIN_UNITS, BODY_HEAD_TITLES, PARTY_COMMITTEES, TITLES, capitalised,
                          first_letter_either_case, pick, without)

# Positions: the titles that stand alone (not a bare "Trưởng", "Đại biểu", "Cán bộ", nor "Tổng Bí thư"), the heads
# of bodies (not "Tư lệnh", "Chính ủy"), committee members in both tone placements, and heads written with their body.
_MEMBERS = [f"{c} viên" for c in pick(PARTY_COMMITTEES, "tỉnh ủy", "thành ủy", "huyện ủy")]
_POS_CORE = [capitalised(t) for t in without(TITLES, "trưởng", "tổng bí thư", "đại biểu", "cán bộ")
             + without(BODY_HEAD_TITLES, "tư lệnh", "chính ủy")
             + tuple(_MEMBERS) + tuple(m.replace("ủy", "uỷ") for m in _MEMBERS)] + [
    "Trưởng ban", "Trưởng phòng", "Trưởng công an", "Viện trưởng", "Chỉ huy trưởng", "Hiệu trưởng",
    "Đại biểu Quốc hội", "Trưởng đoàn", "Trưởng khoa",
]


def _pos_pattern(word: str, any_case_first: bool) -> str:
    """"Trưởng ban" → "[Tt]rưởng\\s+[Bb]an": inner syllables may be either case."""
    out = []
    for i, syl in enumerate(word.split()):
        first = syl[0]
        if i == 0 and not any_case_first:
            head = re.escape(first)
        else:
            head = f"[{re.escape(first.upper())}{re.escape(first.lower())}]"
        out.append(head + re.escape(syl[1:]))
    return r"\s+".join(out)


_POS_ALT = (
    r"(?:Phó\s+(?:[Tt]ổng\s+)?(?:" + "|".join(_pos_pattern(w, True) for w in _POS_CORE) + ")"
    r"|(?:Tổng\s+)?(?:" + "|".join(_pos_pattern(w, False) for w in _POS_CORE) + "))"
)
_POS_RE = re.compile(rf"(?<!\w){_POS_ALT}(?!\w)")
_HONORIFIC = "(?:" + "|".join(first_letter_either_case(a, r"\s+") for a in ADDRESS_FORMS) + ")"
_NAME = rf"{CAP}(?:\s{CAP}){{1,6}}"
_ROLE_A_RE = re.compile(
    rf"(?P<hon>{_HONORIFIC}\s+)?(?P<name>{_NAME})(?P<sep>\s*[–—-]\s*|,\s*)(?={_POS_ALT}(?!\w))"
)
_NAME_RE = re.compile(rf"(?<![\w]){_NAME}")
_POS_END_RE = re.compile(
    r"[;\n!?:\"“”]|\.(?=\s|$)|\((?![A-ZĐ]{2,6}\))"
    r"|\s(?:và\s+(?:đồng\s+chí|ông|bà)|đã|đang|sẽ|được|chủ\s+trì|phát\s+biểu|cùng|tặng"
    r"|ghi\s+nhận|nhấn\s+mạnh|cho\s+biết|khẳng\s+định|đề\s+nghị|yêu\s+cầu|tham\s+dự|đến\s+dự"
    r"|dự(?!\s+khuyết)|trao|ký|kiểm\s+tra|thăm|làm\s+việc|tại|cho\s+rằng|nói|chia\s+sẻ"
    r"|thông\s+tin|báo\s+cáo|trình\s+bày|bày\s+tỏ|với|là|trong|khi|vừa|và|có|bị|thì|mà"
    r"|làm|vì|về\s+tội|sở\s+hữu|dẫn\s+đầu|kế\s+nhiệm|giữ\s+chức|thay|nhận|lên|xuống)(?!\w)"
)
_NOT_PERSONS = {"Hồ Chí Minh"}
_PLACE_KW = {unit.split()[-1] for unit in ADMIN_UNITS}  # the unit's last word: "phố" of "thành phố"


def _pick_name(words: list[str], min_len: int, after_place: bool) -> int | None:
    """Index where the person's name starts in a run of capitalised syllables."""
    candidates = [i for i, w in enumerate(words) if w in SURNAMES and min_len <= len(words) - i <= 5]
    if after_place:
        candidates = [i for i in candidates if i > 0]
    for i in candidates:
        if len(words) - i <= 4:
            return i
    return candidates[0] if candidates else None


def _position_span(text: str, start: int) -> tuple[int, str] | None:
    """Position phrase from ``start`` to the clause end; keep only segments that are positions."""
    m = _POS_END_RE.search(text, start, min(len(text), start + 200))
    end = m.start() if m else min(len(text), start + 200)
    if not m and end - start >= 200:
        return None
    raw = text[start:end]
    segs = raw.split(",")
    kept = [segs[0]]
    for s in segs[1:]:
        if _POS_RE.match(s.strip()) and s.startswith(" "):
            kept.append(s)
        else:
            break
    pos = ",".join(kept)
    for other in _NAME_RE.finditer(pos):  # another person's name inside: cut before it
        words = other.group(0).split()
        k = _pick_name(words, 3, False)
        if other.start() > 0 and k is not None:
            cut = other.start() + other.group(0).index(words[k]) if k else other.start()
            pos = pos[:cut]
            break
    pos = pos.rstrip(" ,-–—")
    return (start + len(pos), pos) if pos else None


def find_roles(text: str) -> list[Fact]:
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for m in _ROLE_A_RE.finditer(text):
        words = m.group("name").split()
        k = _pick_name(words, 2 if m.group("hon") else 3, False)
        if k is None:
            continue
        name_start = m.start("name")
        for w in words[:k]:
            name_start = text.index(w, name_start) + len(w)
        name_start = text.index(words[k], name_start)
        span = _position_span(text, m.end())
        if not span:
            continue
        end, position = span
        person = " ".join(words[k:])
        facts.append(Fact(kind="role", text=text[name_start:end], start=name_start,
                          fields={"person": person, "position": position}))
        taken.append((name_start, end))
    for m in _POS_RE.finditer(text):
        if inside(m.start(), taken):
            continue
        fact = _role_b(text, m)
        if fact:
            facts.append(fact)
            taken.append((fact.start, fact.start + len(fact.text)))
    return facts


def _role_b(text: str, m: re.Match) -> Fact | None:
    """"Trưởng ban Dân vận Tỉnh ủy Phan Cao Thanh": position, then the name."""
    toks = []
    cursor = m.end()
    for w in re.finditer(r"[^\W\d_]+", text[cursor:cursor + 160]):
        gap = text[cursor:cursor + w.start()] if not toks else text[toks[-1][2]:cursor + w.start()]
        if gap not in (" ",) or len(toks) >= 16:
            break
        word = w.group(0)
        if not (word[0].isupper() or word.lower() in ORG_LOWER):
            break
        toks.append((word, cursor + w.start(), cursor + w.end()))
    # trailing run of capitalised syllables
    run = []
    for t in reversed(toks):
        if not is_cap(t[0]):
            break
        run.insert(0, t)
    if len(run) < 3:
        return None
    before = toks[len(toks) - len(run) - 1][0].lower() if len(toks) > len(run) else ""
    k = _pick_name([t[0] for t in run], 3, before in _PLACE_KW)
    if k is None:
        return None
    name = run[k:]
    position = text[m.start():name[0][1]].rstrip()
    if " ".join(t[0] for t in name) in _NOT_PERSONS and position != "Chủ tịch":
        return None
    if not position:
        return None
    return Fact(kind="role", text=text[m.start():name[-1][2]], start=m.start(),
                fields={"person": " ".join(t[0] for t in name), "position": position})

