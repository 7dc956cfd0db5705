"""The matters a speech request lists for the outline to cover, each a section of its own (issue 29, items 1, 5).

"Lập đề cương phát biểu …: mục đích của hương ước, cách lấy ý kiến dự thảo, điều kiện thông qua và công nhận …"
(assistant/speech/speech_frame.py reads the list): a cán bộ asking so expects the outline to follow the list. Each
matter is sought among the points of the documents the speech draws on (the topic's own documents and the named
instrument's articles): the points that say most of the matter's own words (not the topic's), an article whose
heading says it first, the topic's score breaking ties.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable

from vntext.vocab import FUNCTION_WORDS, QUESTION_PHRASES

# A point covers a matter when it says at least this share of the matter's words (a legal point with its
# article's heading: "Tiêu chuẩn thành viên Ban Thanh tra nhân dân: …"). Set by hand: half of a two-word matter
# ("số hiệu", "hiệu lực") is one of its words, which alone names no matter.
ASPECT_WORDS_SHARE = 0.6
# Question and function words of a listed matter ("có quyền gì", "tổ chức thế nào", "báo cáo ai") are not its
# words. Compared with their accents (the request as restored, the documents as written): folded, "cơ cấu" would
# lose "cơ" to "có" and "tái định cư" "tái" to "tại".
_PHRASES = sorted({w for w in QUESTION_PHRASES + FUNCTION_WORDS if " " in w}, key=len, reverse=True)
_PHRASE_RE = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, _PHRASES))})(?!\w)")
_SINGLES = {w for w in FUNCTION_WORDS if " " not in w}


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


def aspect_words(aspect: str) -> list[str]:
    """The matter's own words, lower-cased, without function and question words."""
    return [t for t in _words(_PHRASE_RE.sub(" ", " ".join(_words(aspect)))) if t not in _SINGLES]


def covers(point_text: str, words: list[str]) -> float:
    """The share of the matter's words the point says; 0 when the matter has word pairs and the point says none of
    them as written ("số hiệu" is not said by "số" and "hiệu" in two places)."""
    if not words:
        return 0.0
    said = _words(point_text)
    pairs = set(zip(words, words[1:]))
    if pairs and not pairs & set(zip(said, said[1:])):
        return 0.0
    said_words = set(said)
    return sum(1 for w in words if w in said_words) / len(words)


def said_by(words: list[str], title: str) -> float:
    """The share of a title's heading words (after an article's number: "… — Những nội dung Nhân dân bàn và quyết
    định") that the matter says: the article that is the matter ranks before one that merely names it ("Đề xuất
    nội dung để Nhân dân bàn và quyết định")."""
    heading = aspect_words(title.split(" — ", 1)[-1])
    return sum(1 for w in heading if w in set(words)) / len(heading) if heading else 0.0


def aspect_points(aspects: tuple[str, ...], pool: list, limit: int, taken: Callable[[object, list], bool],
                  topic: str = "", titles: list[str] | None = None) -> list:
    """[(aspect, [points])] in the request's order: up to ``limit`` points of ``pool`` (objects with ``text`` and
    ``score``) for each matter, those saying ASPECT_WORDS_SHARE of its own words (not the topic's, which every point
    on the topic says), the most first; then those whose passage's title (``titles``, an article's heading) says
it ("Những nội dung Nhân dân bàn và quyết định"), then the topic's score. A point is said once (``taken(point,
    chosen)``: it repeats one already chosen); the matter of more own words chooses first ("đền bù, tái định cư"
    before "có quyền gì", which any clause under "Nhiệm vụ, quyền hạn" says). A matter no point covers is left out."""
    on_topic = set(aspect_words(topic))
    own = [[w for w in aspect_words(a) if w not in on_topic] or aspect_words(a) for a in aspects]
    found: dict[int, list] = {}
    chosen: list = []
    for k in sorted(range(len(aspects)), key=lambda k: -len(own[k])):
        ranked = sorted(((share, covers(titles[i], own[k]) if titles else 0.0,
                          said_by(own[k], titles[i]) if titles else 0.0, p.score, i) for i, p in enumerate(pool)
                         for share in [covers(p.text, own[k])] if share >= ASPECT_WORDS_SHARE), reverse=True)
        picked: list = []
        for *_, i in ranked:
            if len(picked) >= limit:
                break
            if not taken(pool[i], chosen + picked):
                picked.append(pool[i])
        found[k] = picked
        chosen += picked
    return [(aspects[k], found[k]) for k in range(len(aspects)) if found.get(k)]
