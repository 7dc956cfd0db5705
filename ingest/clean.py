"""Remove web-page furniture from pasted articles and normalise whitespace.

Users paste whole web pages: menus, share buttons, repeated headlines, rating widgets,
visitor counters and footers travel with the article. The rules here are about the *shape*
and *position* of lines (short lines without sentence punctuation, runs of them, lines after
the article body), plus a small vocabulary of furniture words. They must be safe on clean
text: a plain article or a legal article loses nothing but blank-line runs.

Strategy: the article body is the longest region of "prose" lines (≥ 8 words with sentence
punctuation). Lines before it keep the title, lead and dateline (only furniture and menu runs
go); inside it only furniture lines go; after it the byline and captions stay while furniture,
related-article lists and everything after a hard footer marker ("Đọc thêm", "Tin liên quan",
©, "Liên kết website"…) go. Repeated lines keep their first occurrence.
"""
from __future__ import annotations

import re
import unicodedata

from vntext.lines import SPACE_LIKE_RE, ZERO_WIDTH, line_key  # line_key: also imported from here (tests)

__all__ = [
    "strip_boilerplate",
    "clean_text",
    "normalize_whitespace",
    "line_key",
    "document_line_keys",
    "boilerplate_from_counts",
    "drop_lines",
]

# ---------------------------------------------------------------- whitespace

_MULTI_SPACE = re.compile(r" {2,}")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_whitespace(text: str) -> str:
    """Unify line ends and odd spaces so line rules and offsets see one kind of whitespace."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.translate(ZERO_WIDTH)
    text = SPACE_LIKE_RE.sub(" ", text)
    lines = [_MULTI_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return _finish("\n".join(lines))


def _finish(text: str) -> str:
    """Strip trailing spaces, collapse 3+ newlines to 2, trim the ends: the only change clean text sees."""
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


# ---------------------------------------------------------------- line shapes

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…;:][\"'”’»)\]]*$")
_INNER_PUNCT = re.compile(r"[.,;:!?…](?=\s)")
_CAPTION = re.compile(r"\b(?:ảnh|photo|nguồn ảnh)\s*:", re.I)


def _words(line: str) -> int:
    return len(_WORD.findall(line))


def _has_punct(line: str) -> bool:
    """Sentence punctuation anywhere: what separates prose and captions from menu items and headlines."""
    return bool(_SENTENCE_END.search(line) or _INNER_PUNCT.search(line))


def _is_prose(line: str) -> bool:
    return _words(line) >= 8 and _has_punct(line)


# ---------------------------------------------------------------- furniture vocabulary

# Share / tool buttons: a line made only of these words is a button row.
_SHARE_WORDS = re.compile(
    r"(?<!\w)(?:facebook|zalo|twitter|linkedin|telegram|messenger|pinterest|tiktok|youtube|instagram|"
    r"chia sẻ|share|tweet|like|thích|in bài|in trang|bản in|gửi email|gửi e-mail|gửi bài|email|e-mail|"
    r"lưu bài|lưu tin|lưu|bình luận|copy link|sao chép liên kết|sao chép|theo dõi|google news|"
    r"tăng cỡ chữ|giảm cỡ chữ|cỡ chữ|nghe bài viết|nghe|đóng|quay lại|về đầu trang|lên đầu trang|in)(?!\w)",
    re.I,
)
# Site sections that appear as bare menu entries.
_SECTION_WORDS = re.compile(
    r"(?<!\w)(?:trang chủ|tin mới|tin tức|thời sự|emagazine|e-magazine|longform|infographics?|multimedia|"
    r"video|videos|podcasts?|truyền hình|phát thanh|ảnh|photo|media|rss|sitemap|liên hệ|"
    r"đăng nhập|đăng ký|tìm kiếm|menu|english|tiếng việt|đọc báo in|báo in|mới nhất|xem nhiều|"
    r"nổi bật|tiêu điểm|chuyên đề|tags?|từ khóa|từ khoá)(?!\w)",
    re.I,
)
_FILLER = re.compile(r"[\s|/·•,;:>»«\-–—_*#()\[\]+]+")

# Visitor counters and rating widgets carry numbers or stars, not sentences.
_COUNTER = (
    r"(?:(?:thống kê|(?:tổng (?:số )?)?lượt truy cập|truy cập|đang (?:online|truy cập|trực tuyến)|online|"
    r"trực tuyến|hôm nay|hôm qua|tuần này|tháng này|lượt xem)\s*:?\s*\d[\d.,\s]*"
    r"|thống kê\s*:|thống kê truy cập|(?:tổng (?:số )?)?lượt truy cập|đang online)\s*$"
)
_RATING = r"(?:đánh giá|bình chọn)\s*:\s*[★☆✩✪\d.,/\s]*$"

# Section markers: alone on a line they open a related-articles list or the page footer.
_MARKERS = re.compile(
    r"(?<!\w)(?:đọc thêm|xem thêm|tin liên quan|tin mới|tin khác|các tin khác|tin cùng chuyên mục|"
    r"bài viết cùng chuyên mục|bài cùng chuyên mục|cùng chuyên mục|bài liên quan|bài viết liên quan|"
    r"tin đã đưa|tin xem nhiều|đọc nhiều|xem nhiều|tin nổi bật|có thể bạn quan tâm|ý kiến bạn đọc|"
    r"bình luận|liên kết website|liên kết web)(?!\w)",
    re.I,
)
# Footer widgets: from here on the page is footer.
_FOOTER_START = re.compile(
    rf"^(?:{_COUNTER}|{_RATING}|bản quyền (?:thuộc|©|\(c\))|copyright\b)|©|lượt đánh giá|ipv6 ready",
    re.I,
)
# Single furniture lines, recognised by their start or a telling phrase.
_FURNITURE = re.compile(
    r"^(?:đọc thêm|xem thêm|tin liên quan|tin mới|tin khác|các tin khác|tin cùng chuyên mục|"
    r"bài viết cùng chuyên mục|bài cùng chuyên mục|bài liên quan|bài viết liên quan|tin đã đưa|"
    rf"có thể bạn quan tâm|liên kết website|liên kết web|{_COUNTER}|{_RATING}|"
    r"đánh giá bài viết|bình chọn\s*$|bản quyền|copyright|giấy phép (?:số|xuất bản|hoạt động|"
    r"thiết lập|mxh|ictt?)|cơ quan chủ quản|chịu trách nhiệm (?:nội dung|xuất bản)|"
    r"tổng biên tập\s*:|phó tổng biên tập\s*:|tòa soạn\s*:|toà soạn\s*:|địa chỉ\s*:|điện thoại\s*:|"
    r"đt\s*:|tel\s*:|fax\s*:|e-?mail\s*:|hotline\s*:|đường dây nóng\s*:|website\s*:|"
    r"ghi rõ nguồn|thiết kế bởi|designed by|powered by|phát triển bởi|chủ đề\s*:?\s+[^.,;!?]*$|"
    r"từ kh[óo]a\s*:|tags?\s*:|thẻ\s*:|chia sẻ\s*:|share\s*:|"
    r"trang chủ\s*[>»/|])"
    r"|©|ipv6|lượt đánh giá|[★☆]|\blượt (?:xem|thích|chia sẻ)\s*:?\s*\d",
    re.I,
)
# Sentence-like furniture is only trusted when short; these are trusted at any length.
_STRONG_FURNITURE = re.compile(
    rf"©|^copyright\b|^bản quyền (?:thuộc|©|\(c\))|ipv6 ready|^{_COUNTER}|"
    r"^giấy phép (?:số|xuất bản|hoạt động|thiết lập)",
    re.I,
)
# "Địa chỉ: ………" in a legal form is a field to fill in, not a footer.
_FORM_BLANK = re.compile(r"\.{4,}|…{2,}|_{4,}")
_LIST_HEAD = re.compile(
    r"^(?:\d+[.)]|[a-zđ][.)]|[ivxlc]+[.)]|[-–—•*+]|chương|mục|tiểu mục|phần|điều|khoản)\s", re.I
)


def _only_vocabulary(line: str, vocab: re.Pattern[str]) -> bool:
    """True when nothing but the given button/section words (and separators) is on the line."""
    rest = _FILLER.sub(" ", vocab.sub(" ", line)).strip()
    return rest == "" and bool(_WORD.search(line))


def _is_furniture(line: str) -> bool:
    """A line of page furniture: buttons, widgets, counters, footers, bare section names."""
    s = line.strip()
    if not s:
        return False
    if _STRONG_FURNITURE.search(s):
        return True
    if _words(s) > 25:
        return False
    if _only_vocabulary(s, _SHARE_WORDS) or _only_vocabulary(s, _SECTION_WORDS):
        return True
    if _words(s) <= 12 and _FURNITURE.search(s) and not _FORM_BLANK.search(s):
        return True
    return _is_breadcrumb(s)


def _is_breadcrumb(line: str) -> bool:
    """"Trang chủ > Thời sự > Chính trị": three or more short segments joined by arrows."""
    parts = [p for p in re.split(r"\s*[>»›]\s*", line) if p.strip()]
    return len(parts) >= 3 and all(_words(p) <= 5 and not _has_punct(p) for p in parts)


def _is_footer_start(line: str) -> bool:
    """Rating widget, visitor counter, copyright: nothing after it belongs to the article."""
    s = line.strip()
    return bool(s) and _words(s) <= 12 and bool(_FOOTER_START.search(s))


def _is_sentence(line: str) -> bool:
    """A finished sentence (caption or text), as opposed to a headline link or a name."""
    s = line.strip()
    return _words(s) >= 5 and bool(re.search(r"[.!…][\"'”’»)\]]*$", s))


def _is_hard_stop(line: str) -> bool:
    """A bare section marker ("Đọc thêm", "Tin mới Emagazine …") or a footer widget: the page ends here.

    An inline link such as "Xem thêm: <headline>" is only a furniture line; the article may go on.
    """
    s = line.strip()
    if not s or _words(s) > 12:
        return False
    if _FOOTER_START.search(s):
        return True
    if not _MARKERS.match(s):
        return False
    rest = _SECTION_WORDS.sub(" ", _MARKERS.sub(" ", s))
    return _FILLER.sub("", rest) == ""


def _is_menu_item(line: str) -> bool:
    """Short line without sentence punctuation: a menu entry or tag when many come in a row."""
    s = line.strip()
    return 0 < _words(s) <= 6 and not _has_punct(s) and not _LIST_HEAD.match(s)


def _is_headline(line: str) -> bool:
    """Shape of a related-article headline: a short sentence with no final punctuation."""
    s = line.strip()
    if not (6 <= _words(s) <= 30) or re.search(r"[.;:,][\"'”’»)\]]*$", s) or _CAPTION.search(s):
        return False
    if _LIST_HEAD.match(s) or s.upper() == s:
        return False
    return True


# ---------------------------------------------------------------- regions

def _dedupe(lines: list[str], webby: bool) -> list[bool]:
    """Keep mask: later copies of a line go, e.g. a headline repeated between photos.

    On a page with furniture any line of ≥ 3 words counts; on other text only lines of ≥ 8
    words (a repeated title or paragraph), because tables repeat their short cells. List items ("a) …", "- …", "1. …")
    and list intros ("… được:") legitimately repeat in legal text and never count.
    """
    seen: set[str] = set()
    keep = []
    for line in lines:
        key = line_key(line)
        if (
            key
            and _words(key) >= 3
            and (webby or _words(key) >= 8)
            and not _LIST_HEAD.match(key)
            and not key.endswith(":")
        ):
            if key in seen:
                keep.append(False)
                continue
            seen.add(key)
        keep.append(True)
    return keep


def _find_body(lines: list[str], alive: list[bool], max_gap: int = 3) -> tuple[int, int] | None:
    """(first, last) index of the prose region with the most prose characters, or None without prose.

    Prose lines chain together across at most ``max_gap`` non-prose lines (captions, subheads);
    a hard footer marker breaks the chain.
    """
    best: tuple[int, int] | None = None
    best_score = 0
    start = last = -1
    score = gap = 0
    for i, line in enumerate(lines):
        if not alive[i] or not line.strip():
            continue
        if _is_prose(line) and not _is_furniture(line):
            if start < 0:
                start, score = i, 0
            last, gap = i, 0
            score += len(line)
            if score > best_score:
                best, best_score = (start, last), score
            continue
        if start >= 0:
            gap += 1
            if gap > max_gap or _is_hard_stop(line):
                start, gap = -1, 0
    return best


def _drop_runs(idx: list[int], lines: list[str], test, min_run: int) -> set[int]:
    """Indices belonging to runs (blank lines ignored) of ≥ ``min_run`` lines passing ``test``."""
    out: set[int] = set()
    run: list[int] = []
    for i in idx + [-1]:
        if i >= 0 and test(lines[i]):
            run.append(i)
            continue
        if len(run) >= min_run:
            out.update(run)
        run = []
    return out


def strip_boilerplate(text: str) -> str:
    """Drop page furniture around and inside an article; clean text only loses blank-line runs."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # Shape rules (copies, menu runs, headline lists) only on pages that show furniture:
    # a clean legal text may end in a table of short cells or a list of annex files.
    webby = any(_is_furniture(ln) or _is_hard_stop(ln) for ln in lines)
    keep = _dedupe(lines, webby)
    body = _find_body(lines, keep)
    n = len(lines)
    b0, b1 = body if body else (n, n)

    def nonblank(rng: range) -> list[int]:
        return [i for i in rng if keep[i] and lines[i].strip()]

    # Before the body: title, lead, dateline stay; furniture and menu runs go.
    before = nonblank(range(0, b0))
    for i in before:
        if _is_furniture(lines[i]):
            keep[i] = False
    for i in _drop_runs(before, lines, _is_menu_item, 4) if webby else ():
        keep[i] = False

    # Inside the body: only furniture lines go.
    for i in nonblank(range(b0, b1 + 1)) if body else []:
        if _is_furniture(lines[i]):
            keep[i] = False

    # After the body: byline and captions stay; a footer widget ends the page, a section
    # marker ("Đọc thêm", "Tin liên quan") drops the headline links that follow it.
    after = nonblank(range(b1 + 1, n)) if body else []
    skipping = False
    for pos, i in enumerate(after):
        line = lines[i]
        if _is_footer_start(line):
            for j in after[pos:]:
                keep[j] = False
            break
        if _is_hard_stop(line):
            keep[i], skipping = False, True
        elif skipping and not _is_sentence(line):
            keep[i] = False
        elif _is_furniture(line):
            keep[i] = False
        else:
            skipping = False
    after = [i for i in after if keep[i]]
    if webby:
        for i in _drop_runs(after, lines, _is_headline, 3) | _drop_runs(after, lines, _is_menu_item, 4):
            keep[i] = False

    return _finish("\n".join(line for line, k in zip(lines, keep) if k))


def clean_text(text: str) -> str:
    """NFC, whitespace normalisation, then boilerplate removal: the text every later step sees."""
    text = unicodedata.normalize("NFC", text)
    return strip_boilerplate(normalize_whitespace(text))


# ---------------------------------------------------------------- cross-document header lines

def document_line_keys(text: str) -> set[str]:
    """Distinct normalised short lines (≤ 300 chars) of one document, for counting across a collection."""
    keys = set()
    for line in text.split("\n"):
        if len(line) <= 300:
            key = line_key(line)
            if key:
                keys.add(key)
    return keys


def boilerplate_from_counts(
    counts: dict[str, int], n_docs: int, min_docs: int = 20, min_share: float = 0.05, min_count: int = 10
) -> set[str]:
    """Lines repeated on many documents of a big enough collection (e.g. "Đề mục: …" headers)."""
    if n_docs < min_docs:
        return set()
    need = max(min_count, min_share * n_docs)
    return {key for key, c in counts.items() if c >= need}


def drop_lines(text: str, keys: set[str]) -> str:
    """Remove lines whose normalised key is in ``keys`` (collection-wide boilerplate)."""
    if not keys:
        return text
    kept = [line for line in text.split("\n") if line_key(line) not in keys]
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip("\n")
