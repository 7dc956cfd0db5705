"""Unanswerable questions: an answerable question with exactly one constraint swapped for one the
collection does not hold, each swap verified absent by searching every document (folded text).
"""
from __future__ import annotations

import random
import re

from qgen_store import Store, fold, phrase_re
from qgen_text import places_in

# Real Vietnamese provinces and district-level towns: what a place swap may put in a question.
PROVINCES = ["Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Lào Cai", "Điện Biên", "Lai Châu", "Sơn La",
             "Yên Bái", "Hòa Bình", "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Giang", "Phú Thọ", "Vĩnh Phúc",
             "Bắc Ninh", "Hải Dương", "Hưng Yên", "Thái Bình", "Hà Nam", "Nam Định", "Ninh Bình", "Thanh Hóa",
             "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi",
             "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk",
             "Đắk Nông", "Lâm Đồng", "Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai", "Bà Rịa - Vũng Tàu",
             "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang",
             "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau"]
DISTRICTS = ["Hương Khê", "Đức Thọ", "Nghi Xuân", "Thạch Hà", "Can Lộc", "Diễn Châu", "Quỳnh Lưu", "Nghi Lộc",
             "Yên Thành", "Thanh Chương", "Tuyên Hóa", "Lệ Thủy", "Hải Lăng", "Triệu Phong", "Ba Vì", "Gia Lâm",
             "Thạch Thất", "Mỹ Đức", "Tiên Du", "Vũ Thư", "Hải Hậu", "Kim Sơn", "Tĩnh Gia", "Phù Cát", "Tuy An",
             "Cam Lâm", "Đức Trọng", "Chợ Gạo", "Mỏ Cày Nam", "Cầu Ngang", "Tam Nông", "Thoại Sơn", "Năm Căn"]
TOWNS = ["Kỳ Anh", "Sơn Tây", "Cửa Lò", "Thái Hòa", "Ba Đồn", "Quảng Trị", "Hương Thủy", "Điện Bàn", "An Nhơn",
         "Ninh Hòa", "La Gi", "Buôn Hồ", "Bình Long", "Phước Long", "Hồng Ngự", "Giá Rai", "Ngã Năm", "Long Mỹ",
         "Duyên Hải", "Chí Linh", "Đông Triều", "Quảng Yên", "Nghi Sơn", "Bỉm Sơn", "Hồng Lĩnh"]
URBAN = ["Ba Đình", "Hoàn Kiếm", "Đống Đa", "Cầu Giấy", "Hải Châu", "Thanh Khê", "Bình Thạnh", "Gò Vấp", "Lê Chân",
         "Ngô Quyền", "Cái Răng", "Bình Thủy", "Ninh Kiều", "Sơn Trà", "Tân Bình", "Hà Đông"]
CITIES = ["Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Vinh", "Hạ Long", "Nha Trang", "Quy Nhơn", "Buôn Ma Thuột",
          "Đà Lạt", "Thanh Hóa", "Nam Định", "Thái Nguyên", "Việt Trì", "Biên Hòa", "Long Xuyên", "Rạch Giá", "Hà Nội",
          "Hồ Chí Minh", "Đồng Hới", "Pleiku", "Phan Thiết", "Mỹ Tho", "Bắc Ninh"]
ISSUER_CODES = ["TU", "HU", "ThU", "QU", "ĐU", "TW", "BCS"]
BODY_SWAPS = {
    "Ban Dân vận": ["Ban Tổ chức", "Ban Tuyên giáo", "Ủy ban Kiểm tra", "Ban Nội chính"],
    "Ban Tuyên giáo": ["Ban Dân vận", "Ban Tổ chức"], "Ban Tổ chức": ["Ban Tuyên giáo", "Ban Dân vận"],
    "Tỉnh ủy": ["Thành ủy"], "Thị ủy": ["Huyện ủy", "Thành ủy"], "Huyện ủy": ["Thị ủy", "Thành ủy"],
    "Thành ủy": ["Tỉnh ủy"], "Hội Nông dân": ["Hội Cựu chiến binh", "Hội Liên hiệp Phụ nữ"],
    "Hội Cựu chiến binh": ["Hội Nông dân"], "Hội Liên hiệp Phụ nữ": ["Hội Nông dân", "Hội Cựu chiến binh"],
    "Đoàn Thanh niên": ["Hội Cựu chiến binh"], "HĐND": ["UBND"], "UBND": ["HĐND"], "UBMTTQ": ["HĐND"],
}
# Fields of work with the other ways a document writes them (abbreviations, word order): a swap is verified
# absent under every spelling.
CATEGORIES = {
    "kinh tế": ["kinh tế", "KT-XH", "KTXH"],
    "văn hóa - xã hội": ["văn hóa", "xã hội", "VHXH"],
    "quốc phòng - an ninh": ["quốc phòng", "an ninh", "ANQP", "QP-AN", "QPAN"],
    "xây dựng hệ thống chính trị": ["hệ thống chính trị", "xây dựng đảng", "HTCT"],
    "giáo dục": ["giáo dục"], "y tế": ["y tế"], "môi trường": ["môi trường"], "tôn giáo": ["tôn giáo"],
    "chuyển đổi số": ["chuyển đổi số"], "cải cách hành chính": ["cải cách hành chính", "CCHC"],
    "nông nghiệp": ["nông nghiệp", "nông thôn mới", "NTM"],
}
YEAR_SHIFTS = [-1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6, -8, 8, -10]
PERIOD_SHIFTS = [-5, 5, -10]
ARTICLE_SHIFTS = [40, 57, 73, 91, 120]
NUMBER_SHIFTS = [1, 2, -1, 3, 7]
SWAP_KINDS = ("year", "period", "place", "issuer", "number", "body", "category", "article")
_QWORDS_FOLDED = {"ai", "nao", "bao", "nhieu", "may", "gi", "khi", "ngay", "hom", "dong", "chi", "la", "co", "cua", "va",
                  "o", "nam", "the", "nhu", "duoc", "theo", "dang", "giu", "chuc", "vu", "noi", "dung", "van", "de"}


def _anchors(store: Store, q: dict, exclude: str, old: str = "") -> list[str]:
    """Phrases naming the question's subject, with the swapped slot and value taken out, each found in the
    source document; else the question's two rarest words (not those of the swapped value). An anchor the
    source document does not hold would make the absence check vacuous, so none is kept."""
    slots = q["slots"]
    phrases = [slots[k] for k in ("place", "position", "person", "instrument", "issuer") if slots.get(k) and k != exclude]
    if slots.get("counts") and exclude != "counts":
        phrases.append(" ".join(slots["counts"].split()[:2]))
    if old:
        phrases = _without(phrases, old)
    doc = store.by_source[q["doc"]]
    phrases = [p for p in phrases if phrase_re(p).search(doc.folded)]
    if phrases:
        return phrases[:2]
    banned = set(re.findall(r"[a-z0-9]+", fold(old)))
    toks = [t for t in set(re.findall(r"[a-z]+", fold(q["question"]))) if t not in _QWORDS_FOLDED and len(t) > 2
            and t not in banned and re.search(rf"(?<!\w){t}(?!\w)", doc.folded)]
    toks.sort(key=lambda t: (store.df(t), t))
    return toks[:2]


def _without(anchors: list[str], old: str) -> list[str]:
    """Anchors with the swapped value taken out ("Phó bí thư Tỉnh uỷ Hoà Bình" → "Phó bí thư Tỉnh uỷ"), so the
    check is "no document names the post together with the new place", not with the old one."""
    out = []
    for a in anchors:
        kept = re.sub(rf"(?i)(?<!\w){re.escape(old)}(?!\w)", " ", a)
        if fold(old) in fold(kept):  # written with other accents or case: fall back to folded words
            kept = " ".join(w for w in kept.split() if fold(w) not in fold(old).split())
        kept = " ".join(kept.split())
        if kept:
            out.append(kept)
    return out


def _replace_once(text: str, old: str, new: str) -> str | None:
    m = re.search(rf"(?<![\w/-]){re.escape(old)}(?![\w/])", text)
    return text[:m.start()] + new + text[m.end():] if m else None


def _ok(store: Store, q: dict, new: str, anchors: list[str]) -> bool:
    doc = store.by_source[q["doc"]]
    return not phrase_re(new).search(doc.folded) and store.absent_with(new, anchors)


def swap_year(store, q, rng):
    years = re.findall(r"(?<![\d/-])(?<!\d\s[-–]\s)(?<!\d[-–])((?:19|20)\d\d)(?![\d/-])(?!\s*[-–]\s*\d)", q["question"])
    if not years:
        return None
    old = years[0]
    anchors = _anchors(store, q, "year", old)
    for d in YEAR_SHIFTS:
        new = str(int(old) + d)
        text = _replace_once(q["question"], old, new)
        if text and int(new) <= 2025 and _ok(store, q, new, anchors):
            return text, old, new, anchors
    return None


def swap_period(store, q, rng):
    m = re.search(r"(nhiệm kỳ|giai đoạn)\s+((?:19|20)\d\d)\s*([-–])\s*((?:19|20)\d\d)", q["question"], re.I)
    if not m:
        return None
    a, b = int(m.group(2)), int(m.group(4))
    anchors = _anchors(store, q, "period", m.group(0))
    for d in PERIOD_SHIFTS:
        new = f"{a + d} - {b + d}"
        if b + d > 2030:
            continue
        if _ok(store, q, f"{a + d}-{b + d}", anchors):
            text = q["question"][:m.start(2)] + new + q["question"][m.end(4):]
            return text, f"{a} - {b}", new, anchors
    return None


def swap_place(store, q, rng):
    found = places_in(q["question"])
    if found:
        level, old, _ = found[0]
    elif q["slots"].get("place") and q["slots"]["place"] in q["question"]:
        level, old = None, q["slots"]["place"]
    else:
        return None
    if level in ("xã", "phường"):
        return None
    pool = {"huyện": DISTRICTS, "thị xã": TOWNS, "quận": URBAN, "thị trấn": DISTRICTS,
            "thành phố": CITIES}.get(level or "", PROVINCES)
    anchors = _anchors(store, q, "place", old)
    for new in rng.sample(pool, len(pool)):
        if fold(new) == fold(old):
            continue
        text = _replace_once(q["question"], old, new)
        if text and _ok(store, q, new, anchors):
            return text, old, new, anchors
    return None


_REF_RE = re.compile(r"(?P<num>\d{1,4})(?P<mid>[a-z]?(?:/(?:19|20)\d\d)?-[A-ZĐ][A-Za-zĐ]*)/(?P<code>[A-ZĐ][A-Za-zĐ]{0,3})(?![\w/])")


def swap_issuer(store, q, rng):
    m = _REF_RE.search(q["question"])
    if not m or m.group("code") not in ISSUER_CODES:
        return None
    for code in rng.sample(ISSUER_CODES, len(ISSUER_CODES)):
        if code == m.group("code"):
            continue
        new = f"{m.group('num')}{m.group('mid')}/{code}"
        if store.absent_with(new, []):
            return q["question"][:m.start()] + new + q["question"][m.end():], m.group(0), new, []
    return None


def swap_number(store, q, rng):
    ref = q["slots"].get("ref")
    if not ref or ref not in q["question"]:
        return None
    m = re.match(r"\d+", ref)
    if not m:
        return None
    width = len(m.group(0))
    issuer = q["slots"].get("issuer")
    for d in NUMBER_SHIFTS:
        n = int(m.group(0)) + d
        if n <= 0:
            continue
        new = str(n).zfill(width) + ref[m.end():]
        value = new if not issuer else f"{q['slots'].get('doc_type', '')} {new}".strip()
        anchors = [issuer] if issuer else []
        if store.absent_with(value, anchors) and store.absent_with(new if "/" in new or "-" in new else value, anchors):
            return q["question"].replace(ref, new, 1), ref, new, anchors
    return None


def swap_body(store, q, rng):
    for old, news in BODY_SWAPS.items():
        m = re.search(rf"(?<!\w){re.escape(old)}(?!\w)", q["question"], re.I)
        if not m:
            continue
        if not re.search(r"[A-ZĐ]", m.group(0)):
            continue  # "ban tổ chức" of an event is no party body
        if old in ("Tỉnh ủy", "Thành ủy") and re.match(r"\s+[A-ZĐ]", q["question"][m.end():]):
            continue  # "Tỉnh ủy Nghệ An" → "Thành ủy Nghệ An" names no real body
        anchors = _anchors(store, q, "body", old)
        for new in rng.sample(news, len(news)):
            written = new if m.group(0)[:1].isupper() else new[:1].lower() + new[1:]
            text = re.sub(rf"(?<!\w){re.escape(old)}(?!\w)",
                          lambda x: new if x.group(0)[:1].isupper() else new[:1].lower() + new[1:],
                          q["question"], flags=re.I)
            phrase = _phrase_around(text, m.start(), len(written))
            if _ok(store, q, new, anchors) and store.absent_with(phrase, []):
                return text, m.group(0), written, anchors
    return None


def _phrase_around(text: str, start: int, length: int) -> str:
    """The swapped body with its neighbouring words ("Trưởng Ban Tổ chức Thị ủy"): must be absent too."""
    left = text[:start].split()[-1:]
    right = text[start + length:].split()[:1]
    return " ".join(left + [text[start:start + length]] + right).strip(" ?.,")


def swap_category(store, q, rng):
    m = re.search(r"lĩnh vực\s+([^\W\d_]+(?:\s+[^\W\d_,?]+){0,5}?)(?=[,?.]|\s+(?:có|đạt|được|là|với|đã|bao|mấy)\b|$)",
                  q["question"], re.I)
    if not m:
        return None
    old = m.group(1)
    anchors = _anchors(store, q, "category", old)
    doc = store.by_source[q["doc"]]
    for new in rng.sample(sorted(CATEGORIES), len(CATEGORIES)):
        spellings = [new] + CATEGORIES[new]
        if any(fold(x) in fold(old) or fold(old) in fold(x) for x in spellings):
            continue
        if any(phrase_re(x).search(doc.folded) for x in spellings):
            continue  # the document speaks of that field somewhere
        if all(store.absent_with(f"lĩnh vực {x}", anchors) for x in spellings):
            return (q["question"][:m.start(1)] + new + q["question"][m.end(1):], f"lĩnh vực {old}", f"lĩnh vực {new}",
                    anchors)
    return None


def swap_article(store, q, rng):
    art, inst = q["slots"].get("article"), q["slots"].get("instrument")
    if not art or not inst or art not in q["question"]:
        return None
    n = int(re.search(r"\d+", art).group(0))
    for d in ARTICLE_SHIFTS:
        new = f"Điều {n + d}"
        if store.absent_with(new, [inst]) and not any(
                (x.instrument or "") and fold(x.instrument) == fold(inst) and fold(x.article or "") == fold(new)
                for x in store.docs):
            return q["question"].replace(art, new, 1), art, new, [inst]
    return None


SWAPPERS = {"year": swap_year, "period": swap_period, "place": swap_place, "issuer": swap_issuer,
            "number": swap_number, "body": swap_body, "category": swap_category, "article": swap_article}


def make_unanswerable(store: Store, q: dict, rng: random.Random, prefer: list[str]) -> dict | None:
    """The first swap (in `prefer` order) that applies to `q` and is verified absent."""
    for kind in prefer:
        got = SWAPPERS[kind](store, q, rng)
        if got:
            text, old, new, anchors = got
            return {"qtype": q["qtype"], "kind": "unanswerable", "question": text, "doc": q["doc"], "sources": [],
                    "must_include": [], "any_of": [], "slots": q["slots"],
                    "swapped": {"kind": kind, "from": old, "to": new}, "absent_with": anchors}
    return None
