"""Pure text rules that turn a document sentence into a talking point one can say aloud.

Each rule is general Vietnamese sentence shape — a leading connective, a reporting frame, clause
boundaries, a headline line — never a list fitted to particular documents. Rules work on the
accent-folded form for matching and keep the original wording in the result.
"""
from __future__ import annotations

import re

from vntext import fold_accents, folded_form, tokens
from vntext.vocab import (ADDRESS_FORMS, CONJUNCTIONS, COPULAS, DRAFTING_VERBS, LISTING_VERBS, MAIN_POINTS,
                          GATHERINGS, ORG_HEADS, PARTY_COMMITTEES, PLURALS, PREPOSITIONS, QUANTIFIERS, SPEECH_KINDS,
                          TITLE_PREFIXES, TITLES, pick, title_case, without)

# A bullet longer than this is split at clause boundaries (or left out): one claim, said in one breath.
MAX_BULLET_WORDS = 45
# A sentence with no clause boundary is kept up to this length ("about 45 words"), else left out.
UNSPLIT_MAX_WORDS = 45  # the bullet limit (issue 29): a longer sentence that no clause boundary cuts is no point
# A clause shorter than this is not a claim on its own ("đồng thời", "nhất là").
MIN_CLAUSE_WORDS = 8
# A line without end punctuation shorter than this is a heading, not a sentence.
HEADING_MAX_WORDS = 15
# A whole line without end punctuation is a heading when it is at most this long (longer: a cut paragraph).
HEADLINE_LINE_MAX_WORDS = 30
# Two points sharing this share of their words are the same point.
NEAR_DUPLICATE_SHARE = 0.6
# A reporting frame ("Đồng chí X, Bí thư …, đề nghị") is at most this many words before its verb.
MAX_FRAME_WORDS = 24

# The speaker is named at the head of a frame ("Đồng chí X …", "Phát biểu tại hội nghị, ông Y …").
SPEAKER_HEAD_WORDS = 8
# Connectives that tie a sentence to the one before it; alone at the head of a bullet they dangle.
LEADING_CONNECTIVES = (
    "theo đó", "bên cạnh đó", "đồng thời", "ngoài ra", "mặt khác", "qua đó", "do đó", "vì vậy", "vì thế",
    "từ đó", "trên cơ sở đó", "cùng với đó", "trong đó", "tuy nhiên", "nhờ đó", "bởi vậy", "như vậy",
    "cụ thể", "đặc biệt", "thêm vào đó", "hơn nữa", "song", "nhưng", "và", "còn", "đến nay", "hiện nay",
)
_CONNECTIVE_RE = re.compile(
    r"^(?:" + "|".join(re.escape(c) for c in sorted(LEADING_CONNECTIVES, key=len, reverse=True))
    + r")(?!\w)\s*[,:]?\s*", re.IGNORECASE)

# Verbs that report what someone said; the point is what follows them.
REPORTING_VERBS = (
    "đề nghị", "yêu cầu", "nhấn mạnh", "cho biết", "khẳng định", "chỉ đạo", "đề xuất", "lưu ý", "chia sẻ",
    "nêu rõ", "phát biểu", "thông tin", "bày tỏ", "kiến nghị", "mong muốn", "chỉ rõ", "chỉ ra", "thông báo",
    "ghi nhận", "đánh giá",
    "nhận định",
)
# Who reports: a title, a person word or an organisation word must appear in the frame.
SPEAKER_WORDS = (ADDRESS_FORMS
                 + pick(TITLES, "bí thư", "chủ tịch", "trưởng", "giám đốc", "đại biểu", "thủ tướng", "bộ trưởng",
                        "tổng bí thư") + pick(TITLE_PREFIXES, "phó") + ("lãnh đạo",) + pick(GATHERINGS, "hội nghị")
                 + ("báo cáo",)
                 + pick(ORG_HEADS, "ban", "ủy ban", "uỷ ban", "sở", "mặt trận", "đoàn") + ("ubnd", "hđnd")
                 + pick(PARTY_COMMITTEES, "tỉnh ủy", "huyện ủy", "thành ủy", "đảng ủy"))
_REPORT_RE = re.compile(
    r"^(?P<frame>.{3,260}?)\s(?:(?:cũng|đã|còn|đồng thời|tiếp tục)\s)?"
    r"(?P<verb>" + "|".join(sorted(REPORTING_VERBS, key=len, reverse=True)) + r")"
    r"(?:\s+rằng)?\s*[,:]?\s+(?P<rest>.+)$", re.IGNORECASE | re.DOTALL)
_TRAILING_REPORT_RE = re.compile(
    r"[,;]\s*(?:[^,;]{0,120}?\s)?(?:" + "|".join(REPORTING_VERBS) + r")\s*[.!]?\s*$", re.IGNORECASE)
_COLON_SPLIT = re.compile(r":\s+")
# Clause boundaries, strongest first.
_CLAUSE_SPLITS = (
    re.compile(r";\s+"),
    _COLON_SPLIT,
    re.compile(r",\s+(?=(?:đồng thời|nhờ đó|qua đó|từ đó|do đó|vì vậy|trong đó|góp phần|tạo|nhưng|song|tuy nhiên)\b)",
               re.IGNORECASE),
)
# The request's head: any run of the words that ask for a draft and name what is drafted, in any order
# ("Soạn giúp tôi dàn ý bài phát biểu …", "Cho tôi các ý chính để phát biểu …", "Lập đề cương bài nói chuyện …",
# "các ý chính cho bài phát biểu về …"), then an optional "về / chủ đề"; what follows is the frame and topic.
_REQUEST_WORDS = (("hãy", "xin", "vui lòng", "giúp tôi", "giúp", "hộ tôi", "cho tôi", "tôi cần", "cần có", "cần", "bạn")
                  + DRAFTING_VERBS + LISTING_VERBS + pick(QUANTIFIERS, "một") + PLURALS + SPEECH_KINDS
                  + pick(MAIN_POINTS, "ý chính", "điểm chính")
                  + ("bài", "nội dung", "các ý", "những ý", "bản", "bài nói chuyện", "chính")
                  + pick(PREPOSITIONS, "để", "cho"))
_REQUEST_RE = re.compile(
    r"^\s*(?:(?:" + "|".join(sorted(map(re.escape, _REQUEST_WORDS), key=len, reverse=True)) + r")(?:\s+|\s*:\s*|$))*"
    r"(?:(?:về|với chủ đề|chủ đề|theo chủ đề|đề tài)\s*:?\s*)?", re.IGNORECASE)
# The same head typed without accents ("lap de cuong bai noi chuyen …"), matched on the folded request; "bản"
# is left out: folded it is "ban", the first word of "Ban Dân vận …".
_REQUEST_FOLDED_RE = re.compile(
    r"^\s*(?:(?:" + "|".join(sorted({re.escape(fold_accents(w)) for w in _REQUEST_WORDS if w != "bản"}, key=len,
                                     reverse=True)) + r")(?:\s+|\s*:\s*|$))*"
    r"(?:(?:ve|voi chu de|chu de|theo chu de|de tai)\s*:?\s*)?", re.IGNORECASE)


def request_head_end(text: str) -> int:
    """Where the request's head ends ("Soạn giúp tôi dàn ý bài phát biểu | của …"), typed with or without
    accents: the longer of the two matches (folding keeps Vietnamese text's length)."""
    accented = _REQUEST_RE.match(text)
    folded_text = fold_accents(text)
    folded = _REQUEST_FOLDED_RE.match(folded_text) if len(folded_text) == len(text) else None
    return max(accented.end() if accented else 0, folded.end() if folded else 0)


_OCCASIONS = pick(GATHERINGS, "hội nghị", "buổi", "lễ", "cuộc", "kỳ họp", "đại hội")  # "tại hội nghị …" opens a frame
_OCCASION_RE = re.compile(rf"^(?:tại|trong|ở)\s+(?P<occasion>(?:{'|'.join(_OCCASIONS)}).*)$", re.IGNORECASE)
_OCCASION_TOPIC_RE = re.compile(r"^(?P<occasion>.*?)\s+(?:về|với chủ đề|chủ đề)\s+(?P<topic>.+)$", re.IGNORECASE)
_TERMINAL = ".!?…:;\"”»)"


def words(text: str) -> list[str]:
    return text.split()


def word_count(text: str) -> int:
    """Words as a speaker says them: a lone dash or bracket is none."""
    return sum(1 for w in words(text) if re.search(r"\w", w))


def capitalise(text: str) -> str:
    """First letter upper-case, the rest as written (names and codes keep their case); a text opening with a
    number stays as written ("56 nghìn cuộc giám sát", not "56 Nghìn")."""
    text = text.strip()
    if text[:1].isdigit():
        return text
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
    return text


_CONCESSIVE_RE = re.compile(r"^(?:bên cạnh|ngoài|cùng với)\s+(?:những|các|một số)\s[^,]{2,80},\s*", re.IGNORECASE)


def starts_with_report(point: str) -> bool:
    """A clause that opens with a reporting verb has lost its speaker ("Nêu lên những khó khăn …")."""
    low = point.strip().lower()
    return any(low.startswith(v + " ") for v in REPORTING_VERBS + ("nêu lên", "ghi nhận", "đánh giá"))


def trim_connective(sentence: str) -> str:
    """"Theo đó, các cấp …" → "Các cấp …": a point must stand without the sentence before it."""
    s = _CONCESSIVE_RE.sub("", sentence.strip(), count=1)  # "Bên cạnh những mặt hạn chế, …"
    for _ in range(3):  # "Bên cạnh đó, đồng thời …"
        m = _CONNECTIVE_RE.match(s)  # accented: folded "nhung" would also be "Những"
        if not m or m.end() == 0:
            break
        s = s[m.end():].lstrip(" ,:;–-")
    return capitalise(s)


_ATTRIBUTION_RE = re.compile(r"^(?:theo)\s+(?P<frame>[^,]{2,200}),\s*(?P<rest>.+)$", re.IGNORECASE | re.DOTALL)
_LIST_MARKER_RE = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-zđ]\)|[-–•*+])\s+")


def trim_list_marker(text: str) -> str:
    """"4. Được công nhận …" → "Được công nhận …": the outline numbers its own points."""
    return _LIST_MARKER_RE.sub("", text, count=1)


def trim_attribution(sentence: str) -> str:
    """"Theo ông X, Chủ tịch …, <claim>" → "<claim>": the source is the citation, not the point."""
    m = _ATTRIBUTION_RE.match(sentence.strip())
    if not m:
        return sentence.strip()
    if word_count(m.group("frame")) <= MAX_FRAME_WORDS and _names_speaker(m.group("frame")):
        rest = m.group("rest")
        # the speaker's title as an apposition: "Theo ông X, Chủ tịch UBND tỉnh, <claim>"
        head, sep, tail = rest.partition(", ")
        if sep and word_count(head) <= SPEAKER_HEAD_WORDS and _TITLE_HEAD_RE.match(head) and \
                word_count(tail) >= MIN_CLAUSE_WORDS:
            rest = tail
        return capitalise(rest)
    return sentence.strip()


# A title as written at the head of an apposition ("Phó Chủ tịch UBND tỉnh"), not "Thường trực", "Thủ tướng", "Cán bộ".
_TITLE_HEAD_RE = re.compile(rf"^(?:{title_case(pick(TITLE_PREFIXES, 'phó')[0])}\s+)?(?:"
                            + "|".join(title_case(t) for t in without(TITLES, "thường trực", "thủ tướng", "cán bộ"))
                            + r")\b")


def _names_speaker(text: str) -> bool:
    """A title, person or body word in ``text`` (accented match: folded "sở" would be "sơ")."""
    low = " " + re.sub(r"[^\w]+", " ", text.lower()) + " "
    return any(f" {w} " in low for w in SPEAKER_WORDS)


QUOTE_OPENERS = ("“", '"', "«")


def trim_reporting_frame(sentence: str) -> str:
    """"Đồng chí X đề nghị các cấp ủy tiếp tục …" → "Các cấp ủy tiếp tục …"; a trailing
    ", ông X cho biết." is dropped the same way. Only a frame naming a speaker is removed."""
    s = sentence.strip()
    m = _REPORT_RE.match(s)
    if m and m.group("rest").lstrip()[:1] in QUOTE_OPENERS:
        return capitalise(s)  # a quotation keeps its speaker ("Đồng chí Chủ tịch UBND xã … nhấn mạnh: “…”")
    if m:
        frame = m.group("frame")
        has_speaker = _names_speaker(" ".join(frame.split()[:SPEAKER_HEAD_WORDS]))
        if has_speaker and word_count(frame) <= MAX_FRAME_WORDS and word_count(m.group("rest")) >= MIN_CLAUSE_WORDS \
                and not re.search(r"[.;]\s", frame) and not re.search(r"(?:^|\s)(?:và|hoặc|với|các|những|ban|tổ|nhóm)$", frame, re.IGNORECASE):
            # "… và yêu cầu nhiệm vụ …", "Ban chỉ đạo …": after a conjunction or a body word it is a noun
            s = m.group("rest").strip()
    t = None if s[:1] in QUOTE_OPENERS else _TRAILING_REPORT_RE.search(s)  # "“…”, ông X nói": kept whole
    if t and word_count(s[:t.start()]) >= MIN_CLAUSE_WORDS:
        if _names_speaker(s[t.start():]):
            s = s[:t.start()].rstrip() + "."
    return capitalise(balance_quotes(s))


def balance_quotes(text: str) -> str:
    """Drop an opening or closing quote mark left without its pair by a trimmed frame."""
    s = text.strip()
    for op, cl in (("“", "”"), ("«", "»")):
        if s.startswith(op) and cl not in s:
            s = s[1:].lstrip()
        if s.endswith(cl) and op not in s:
            s = s[:-1].rstrip()
    if s.count('"') % 2 == 1 and s.startswith('"'):
        s = s[1:].lstrip()
    if s.count("(") != s.count(")"):
        s = s.replace("(", "") if s.count("(") > s.count(")") else re.sub(r"\)(?=[.!?…]?$)", "", s)
    return s


# An outlet's dateline before the lead ("(Baonghean.vn) - ", "Baohatinh.vn - "): no part of the claim.
DATELINE_RE = re.compile(r"^\(?[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org)\)?\s*[-–—]\s*", re.IGNORECASE)
# Words that open a piece with no subject of its own or that point back to what the page said before
# ("Là chỗ dựa …", "Đó là nội dung được nhấn mạnh tại …"): such a piece is no claim a speaker can say alone.
NO_SUBJECT_HEADS = (pick(COPULAS, "là") + pick(CONJUNCTIONS, "và", "nhưng", "mà", "thì", "còn")
                    + ("đó là", "đây là", "điều đó", "điều này", "việc này", "những điều đó")
                    + pick(LEADING_CONNECTIVES, "như vậy", "vì vậy", "do đó"))


# Words that open a clause of time or of topic: without a comma after it, such a piece has no main clause.
FRAME_ONLY_HEADS = ("khi", "về", "đối với", "trong khi", "sau khi", "trước khi")
# A portal's end mark after the last full stop ("… tiêu biểu năm 2018./").
PORTAL_END_RE = re.compile(r"([.!?…])\s*/+$")


def stands_alone(point: str) -> bool:
    """False for a piece that opens without a subject or with a pointer back ("Là …", "Đó là …")."""
    low = point.strip().lower()
    if re.match(r"^(?:có|chiếm|đạt|với)\s+[\d.,]+\s*%", low):
        return False  # "Có 17,5% giữ chức vụ …": a share of what the sentence before counted
    if re.match(rf"^(?:{'|'.join(FRAME_ONLY_HEADS)})\s", low) and "," not in low:
        return False  # "Khi phát biểu chỉ đạo hội nghị …", "Về phương hướng … thời gian tới …": no main clause
    return not any(low.startswith(h + " ") for h in NO_SUBJECT_HEADS)


# A photo credit a page glued to the next sentence ("Ảnh: Trí Dũng/TTXVN Tổng Bí thư chỉ rõ …", "Ảnh: VGP/Huy Thắng
# Tại buổi tọa đàm …"): an agency in capitals after or before the slash, the photographer's name in capitalised
# words; the sentence starts at the next capitalised word.
_CREDIT_HEAD_RE = re.compile(r"^\(?(?:Ảnh|Nguồn ảnh|Nguồn)\s*:\s*")
CREDIT_NAME_WORDS = 4  # a photographer's name is at most this many words (Vietnamese names: 2 to 4)


def trim_photo_credit(sentence: str) -> str:
    """The sentence after a photo credit glued to its head; the sentence itself when it opens with none."""
    m = _CREDIT_HEAD_RE.match(sentence)
    if not m or "/" not in sentence[m.end():m.end() + 60]:
        return sentence
    words = sentence[m.end():].split()
    slash = next(i for i, w in enumerate(words) if "/" in w)
    agency_last = re.search(r"/[A-ZĐ]{2,}\)?$", words[slash])
    if agency_last:
        end = slash + 1
    else:  # "VGP/Huy Thắng Tại buổi …": the name runs to the last capitalised word before one that opens a sentence
        end = slash + 1
        while end + 1 < len(words) and end - slash < CREDIT_NAME_WORDS and words[end][:1].isupper() \
                and words[end + 1][:1].isupper():
            end += 1
    if end > CREDIT_NAME_WORDS + 1 or end >= len(words) or not (words[end][:1].isupper() or words[end][:1].isdigit()):
        return sentence
    return " ".join(words[end:])


def clean_point(sentence: str) -> str:
    """Connectives and reporting frames off, in either order, until nothing changes; a list item's ";" or ","
    at the end becomes a full stop; a photo credit glued to the head goes."""
    s = DATELINE_RE.sub("", PORTAL_END_RE.sub(r"\1", trim_list_marker(trim_photo_credit(sentence.strip()))))
    s = re.sub(r"\s*[;,]\s*$", ".", s)
    for _ in range(3):
        new = trim_connective(trim_reporting_frame(trim_attribution(trim_connective(s))))
        if new == s:
            break
        s = new
    if s and s[-1] not in _TERMINAL:
        s += "."
    return s


def split_long(sentence: str, max_words: int = MAX_BULLET_WORDS) -> list[str]:
    """A sentence as points of at most ``max_words``: split at the strongest clause boundary that
    yields pieces of at least MIN_CLAUSE_WORDS; an unsplittable long sentence gives nothing."""
    s = sentence.strip()
    if s.endswith(":"):  # a lead-in to a list: the items are the points, and the claim before "như sau" is one
        claim = claim_before_lead_in(s)
        return split_long(claim, max_words) if claim else []
    claim = claim_before_list(s)
    if claim:
        return split_long(claim, max_words)
    if word_count(s) <= max_words:
        return [s]
    for pattern in _CLAUSE_SPLITS:
        parts = [p.strip(" ,;:") for p in pattern.split(s) if p.strip(" ,;:")]
        if pattern is _COLON_SPLIT and len(parts) >= 2 and parts[1][:1] in QUOTE_OPENERS:
            continue  # a quotation is not cut from its speaker
        if pattern is _COLON_SPLIT and len(parts) >= 2:  # the words before a colon announce the points; with a
            lead = parts[0] if re.search(r"\d", parts[0]) and word_count(parts[0]) >= MIN_CLAUSE_WORDS // 2 else ""
            parts = parts[1:]  # count they are a claim too ("Chi bộ đề ra 2 nhiệm vụ trọng tâm")
            if lead:
                return [capitalise(lead + ".")] + [x for p in parts for x in split_long(
                    capitalise(p if p[-1] in _TERMINAL else p + "."), max_words)]
        elif len(parts) < 2:
            continue
        parts = _merge_short(parts, pattern)
        if len(parts) < 2 and pattern is not _COLON_SPLIT:
            continue
        out: list[str] = []
        for p in parts:
            out.extend(split_long(p, max_words))
        return [capitalise(p if p[-1] in _TERMINAL else p + ".") for p in out]
    if word_count(s) <= UNSPLIT_MAX_WORDS:
        return [s]
    head = _head_before_comma(s, max_words)
    return [head] if head else []


def _head_before_comma(sentence: str, max_words: int) -> str:
    """A long sentence no clause boundary cuts, said up to its last comma within ``max_words`` (not inside quotes
    or brackets), an ellipsis for the rest: "Đổi mới nội dung … theo phương châm "rõ người, rõ việc …" và hiệu quả
    các phong trào thi đua, …". "" when no such comma leaves MIN_CLAUSE_WORDS."""
    depth, best = 0, -1
    for i, ch in enumerate(sentence):
        if ch in "(“«":
            depth += 1
        elif ch in ")”»" and depth:
            depth -= 1
        elif ch == '"':
            depth = 0 if depth else 1
        elif ch == "," and not depth:
            if word_count(sentence[:i]) > max_words - 1:
                break
            best = i
    head = sentence[:best].strip() if best > 0 else ""
    said = list(_SAYS_RE.finditer(head))
    if said and word_count(head[said[-1].end():]) < MIN_CLAUSE_WORDS:
        return ""  # "… Chủ tịch X cho rằng, trong thời gian tới": what was said is past the cut
    return f"{head} …" if word_count(head) >= MIN_CLAUSE_WORDS else ""


_SAYS_RE = re.compile(rf"\b(?:{'|'.join(REPORTING_VERBS)}|cho rằng)\b(?:\s+rằng)?", re.IGNORECASE)


# An enumeration: at least this many items, most of at most ENUM_ITEM_WORDS words ("già làng, trưởng bản; …").
ENUM_MIN_ITEMS = 4
ENUM_ITEM_WORDS = 4
# A lead-in to a list ("thuộc các thành phần", "gồm") is at most this many words after its last comma.
LEAD_IN_MAX_WORDS = 5


def is_enumeration(piece: str) -> bool:
    """A list of short items (occupations, names) with no claim of its own: not a point one can say. A claim that
    ends in a list ("Đoàn gồm 35 đại biểu là người có uy tín … Tày, Nùng, Dao… của tỉnh Lạng Sơn") is one: its
    first item alone is a clause (MIN_CLAUSE_WORDS) that counts what the list names."""
    items = [x for x in re.split(r"[,;…]+", piece.strip(" .")) if x.strip()]
    short = [x for x in items if word_count(x) <= ENUM_ITEM_WORDS]
    counted = word_count(items[0]) >= MIN_CLAUSE_WORDS and re.search(r"\d", items[0]) is not None
    return len(items) >= ENUM_MIN_ITEMS and len(short) >= 0.75 * len(items) and not counted


def claim_before_list(sentence: str) -> str:
    """"Năm 2017, số người có uy tín … là 2.168 người, …, thuộc các thành phần: già làng, …" → the claim before
    the list, its lead-in words cut ("…, nữ có 265 người."); "" when the colon does not open an enumeration or
    nothing of a claim stands before it."""
    head, sep, tail = sentence.partition(": ")
    if not sep or not is_enumeration(tail):
        return ""
    before, comma, lead_in = head.rpartition(", ")
    if comma and word_count(lead_in) <= LEAD_IN_MAX_WORDS and word_count(before) >= MIN_CLAUSE_WORDS:
        head = before
    elif word_count(head) < MIN_CLAUSE_WORDS or word_count(head) <= LEAD_IN_MAX_WORDS + 2:
        return ""
    return head.strip() + "."


# Words that announce the list a sentence's colon opens ("… bằng một trong các hình thức như sau:").
LIST_ANNOUNCERS = ("như sau", "sau đây")
_LEAD_IN_RE = re.compile(rf"\b(?:{'|'.join(LIST_ANNOUNCERS)})\s*:$", re.IGNORECASE)
_CLAUSE_JOIN_RE = re.compile(r",\s+|\s+và\s+")


def claim_before_lead_in(sentence: str) -> str:
    """"Hương ước … được thông qua khi có trên 50% tổng số đại diện hộ gia đình … tán thành và được thực hiện bằng
    một trong các hình thức như sau:" → the counted claim before its last clause, which only announces the list.
    "" for a lead-in alone ("Nhân dân bàn và quyết định các nội dung sau:") and for a head with no figure: "… có
    trách nhiệm hướng dẫn và tổ chức các hoạt động như sau:" shares its verb with the list, it says nothing alone."""
    s = sentence.strip()
    if not _LEAD_IN_RE.search(s):
        return ""
    joins = list(_CLAUSE_JOIN_RE.finditer(s))
    head = s[:joins[-1].start()].strip(" ,") if joins else ""
    return head + "." if word_count(head) >= MIN_CLAUSE_WORDS and re.search(r"\d", head) else ""


def _merge_short(parts: list[str], pattern: re.Pattern) -> list[str]:
    """A clause too short to stand alone ("nhất là QCDC") goes back to the clause before it."""
    joiner = "; " if pattern.pattern.startswith(";") else ", "
    out: list[str] = []
    for p in parts:
        if out and (word_count(p) < MIN_CLAUSE_WORDS or word_count(out[-1]) < MIN_CLAUSE_WORDS):
            out[-1] = f"{out[-1]}{joiner}{p}"
        else:
            out.append(p)
    return out


HEADLINE_MAX_WORDS = 40  # the longest headline of the corpus is ~30 words


def is_headline(sentence: str, titles: list[str], doc_text: str = "") -> bool:
    """A title or a line standing alone without end punctuation (an article's headline, a
    sub-heading): not a claim one can say as a point."""
    key = " ".join(tokens(folded_form(sentence)))
    if not key:
        return True
    for t in titles:
        if word_count(t or "") > HEADLINE_MAX_WORDS:
            continue  # a passage's first line may be a whole paragraph, not a title
        tk = " ".join(tokens(folded_form(t or "")))
        if tk and (key == tk or (len(key) >= 0.8 * len(tk) and key in tk) or (tk in key and len(tk) >= 0.8 * len(key))):
            return True
    s = PORTAL_END_RE.sub(r"\1", sentence.strip())  # "… năm 2018./": a portal's end mark, a full stop
    if s and s[-1] not in _TERMINAL and word_count(s) < HEADING_MAX_WORDS:
        return True  # a short line without end punctuation: a heading
    if s and s[-1] not in _TERMINAL and doc_text and word_count(s) <= HEADLINE_MAX_WORDS:
        for line in doc_text.splitlines():  # a line of its own without end punctuation; a paragraph that
            # merely lost its final full stop is longer than any headline
            if PORTAL_END_RE.sub(r"\1", line.strip()) == s:
                return True
    return False


def token_set(text: str) -> set[str]:
    return set(tokens(folded_form(text)))


def near_duplicate(a: str, b: str, share: float = NEAR_DUPLICATE_SHARE) -> bool:
    """The shorter point's words are mostly in the longer one (one is a rewording or part of the other)."""
    ta, tb = token_set(a), token_set(b)
    if not ta or not tb:
        return False
    return len(ta & tb) / min(len(ta), len(tb)) >= share


def topic_of_request(request: str) -> tuple[str, str]:
    """("topic", "occasion") read from a request such as "Soạn dàn ý phát biểu tại hội nghị sơ kết về X"."""
    text = re.sub(r"\s+", " ", request or "").strip().rstrip("?.!")
    m = _REQUEST_RE.match(text)
    occasion = ""
    if m and m.end() > 0:
        rest = text[m.end():].strip()
        om = _OCCASION_RE.match(rest)
        if om:
            ot = _OCCASION_TOPIC_RE.match(om.group("occasion"))
            if ot:
                occasion, rest = ot.group("occasion").strip(), ot.group("topic")
        text = rest or text
    return text.strip(" :,-").strip(), occasion
