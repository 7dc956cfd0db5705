"""What kind of value answers a question, and whether a sentence holds one (pure functions).

The question word and the noun after it name the slot an answer must fill: "bao nhiêu phần trăm" wants a
percentage, not a count; "bao nhiêu tiền" an amount of money, not a coefficient; "trong bao lâu", "mấy ngày" a
duration; "bao nhiêu mô hình" a number of models. A sentence on the topic that holds another kind of value does
not answer it — the decision (assistant/answer/decide.py) weighs this with everything else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from vntext.vocab import (CALENDAR_UNITS, CENTURY_YEAR, CONJUNCTIONS, COPULAS, PARTICLES, PREPOSITIONS, QUANTIFIERS,
                          QUESTION_WORDS, TIME_UNITS, folded, pick, syllables, without)

# The slot of a number question, read from the words after its question word (folded text).
PERCENT_ASK_RE = re.compile(r"\b(bao nhieu|may)\s+(phan tram|%)|\bty le\b|\bbao nhieu\s*%|\bphan tram\b.{0,20}\b(bao nhieu|may)\b")
# (within one clause: "Đức Cơ (Gia Lai) … bao nhiêu gia đình" asks no price; "bao nhiêu người lao động" no money)
MONEY_ASK_RE = re.compile(r"\b(bao nhieu|may)\s+(tien|dong(?!\s+chi)|trieu|ty|nghin|ngan)\b|\bso tien\b"
                          r"|\bkinh phi\b[^,;:()?]{0,30}\bbao nhieu"
                          r"|\bbao nhieu\s+(?:(?:nghin|ngan|tram|trieu|ty)\s+)(tien|dong(?!\s+chi))\b"
                          r"|\b(muc|gia|chi phi|luong)\b[^,;:()?]{0,30}\bbao nhieu\b")
DURATION_ASK_RE = re.compile(r"\b(bao lau|thoi han|bao nhieu lau)\b|\b(bao nhieu|may)\s+(ngay|thang|nam|tuan|gio)\b"
                             r"|\b(nhiem ky|thoi gian|thoi han)\s+(la\s+)?(bao nhieu|may)\s*[?.]?$")
COUNT_ASK_RE = re.compile(r"\b(?:bao nhieu|may)\s+([a-z]+(?:\s+[a-z]+)?)")
# Units a number question may count in whatever it asks about ("bao nhiêu tiền", "mấy lần", "bao nhiêu người").
ANY_UNITS = ("phần", "tiền", "đồng", "triệu", "tỷ", "lần", "người")
# Words after "bao nhiêu" that are not a counted noun ("bao nhiêu là", "mấy năm" is a duration), folded.
NOT_A_NOUN = syllables(folded(pick(COPULAS, "là") + pick(CONJUNCTIONS, "thì", "và", "còn")
                              + pick(PREPOSITIONS, "ở", "tại", "trong") + without(TIME_UNITS, "quý", "phút") + ANY_UNITS
                              + pick(QUANTIFIERS, "cái") + pick(QUESTION_WORDS, "thế") + pick(PARTICLES, "nữa")
                              + pick(QUANTIFIERS, "một") + ("mỗi", "từng")))  # "bao nhiêu (một|mỗi) năm": a rate

NUMBER = r"\d+(?:[.,]\d+)*"
PERCENT_RE = re.compile(rf"{NUMBER}\s*%|{NUMBER}\s+phan tram|\bmot nua\b|\bmot phan (hai|ba|tu)\b")
MONEY_RE = re.compile(rf"{NUMBER}\s*(dong|d\b|vnd|usd|trieu|ty|nghin dong|ngan dong)|\b(trieu|ty) dong\b")
DURATION_RE = re.compile(rf"\b(?:{NUMBER}|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|muoi lam|mot tram)\s+"
                         r"(?:\([\w\s]{1,30}\)\s+)?(ngay|thang|nam|tuan|gio|phut)\b(?!\s*\d)")  # "30 (ba mươi) ngày"
YEAR_TAIL_RE = re.compile(rf"({'|'.join(folded(CALENDAR_UNITS))})\s+{CENTURY_YEAR}\b")  # "năm 2020": no duration


@dataclass(frozen=True)
class Slot:
    """``kind``: percent | money | duration | count | None; ``noun``: what a count counts ("mo hinh")."""
    kind: str | None = None
    noun: str = ""


def asked_slot(folded: str) -> Slot:
    """The number slot a question asks for (folded question text)."""
    if PERCENT_ASK_RE.search(folded):
        return Slot("percent")
    if MONEY_ASK_RE.search(folded):
        return Slot("money")
    if DURATION_ASK_RE.search(folded):
        return Slot("duration")
    m = COUNT_ASK_RE.search(folded)
    if m and m.group(1).split()[0] not in NOT_A_NOUN and not ORDINAL_BEFORE_RE.search(folded[:m.start()]):
        return Slot("count", m.group(1))
    return Slot()


# "lần thứ mấy", "khóa thứ bao nhiêu": an ordinal is asked (IX, 9), not a count of what the next words name.
ORDINAL_BEFORE_RE = re.compile(r"\bthu\s*$")


# How a not-found answer names the slot the nearest passage lacks ("… không nêu tỷ lệ phần trăm").
SLOT_LABELS = {"percent": "tỷ lệ phần trăm", "money": "số tiền", "duration": "thời hạn (khoảng thời gian)",
               "count": "số lượng được hỏi"}

COUNT_GAP = 3  # words between a number and the noun it counts ("112 mô hình", "05 thành viên Ban …")


def holds_slot(slot: Slot, folded_sentence: str) -> bool | None:
    """Whether the sentence (folded, tokens joined by spaces) holds a value of the slot; None: no slot asked."""
    if slot.kind is None:
        return None
    if slot.kind == "percent":
        return bool(PERCENT_RE.search(folded_sentence))
    if slot.kind == "money":
        return bool(MONEY_RE.search(folded_sentence))
    if slot.kind == "duration":
        return bool(DURATION_RE.search(YEAR_TAIL_RE.sub(" ", folded_sentence)))
    first = re.escape(slot.noun.split()[0])
    # the number before the noun it counts ("112 mô hình"), or after it ("số phiếu tuyệt đối 86/86")
    # ("trên 50% tổng số đại diện hộ": a share of what is counted answers how many must agree)
    return re.search(rf"\b\d[\d.,]*%?(?:\s+\w+){{0,{COUNT_GAP}}}\s+{first}\b|\b{first}(?:\s+\w+){{0,{COUNT_GAP}}}"
                     rf"\s+(?!{CENTURY_YEAR}\b)\d[\d.,]*(?!\d|[.,]?\d|/{CENTURY_YEAR})", folded_sentence) is not None
    # … not a year ("mô hình năm 2021") nor a document's number ("số 33/2014/QĐ-TTg")
