"""A question's content apart from its frame (pure functions).

People wrap what they ask: a situation told first ("Xã tôi đang chuẩn bị …. Vậy cho tôi hỏi …"), the asker's
own body and the addressee ("Đề nghị Ban Dân vận Huyện ủy cho biết …", "Chúng tôi ở MTTQ huyện muốn hỏi …"),
the outlet they read it in ("Theo Báo Hà Tĩnh đưa tin, …"), a thank-you after. Only the content — the asking
clause — states what an answer must meet; the frame may guide the search but never makes an answer "not found".

The rules read the shape of the sentence (where the question words are, which verb of asking ends a polite
opening), never a list of bodies or outlets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from vntext import fold_accents
from vntext.vocab import ADVERBS, PARTICLES, QUESTION_PHRASES, QUESTION_WORDS, folded, pick

# Words that make a clause a question, written with accents and, for a question typed without them, folded
# ("đâu" and "Đầu" fold alike). "không"/"chưa" only at the end ("… được không?").
_ASKING = pick(QUESTION_WORDS, "bao nhiêu", "mấy", "ai", "nào", "gì", "đâu") + QUESTION_PHRASES
_ASKING_LAST = pick(ADVERBS, "không", "chưa") + pick(PARTICLES, "à", "ạ")
QUESTION_RE = re.compile(rf"\?|\b({'|'.join(_ASKING)})\b|\b({'|'.join(_ASKING_LAST)})\s*[.!]*\s*$")
FOLDED_QUESTION_RE = re.compile(rf"\?|\b({'|'.join(folded(_ASKING))})\b"
                                rf"|\b({'|'.join(folded(_ASKING_LAST))})\s*[.!]*\s*$")
# A request without a question word ("Đề nghị cho biết số mô hình …", "Hãy nêu …").
REQUEST_RE = re.compile(r"\b(cho\s+(?:toi|em|minh|chung toi|chung em)?\s*(?:duoc\s+)?(?:biet|hoi)|xin hoi|muon hoi|"
                        r"muon biet|can biet|giai dap|cung cap|neu ro|hay neu|liet ke|tra cuu|tim giup|thong tin ve)\b")
# The verb of asking that ends a polite opening; what follows it is the question.
TELL_RE = re.compile(
    r"\b(?:(?:de nghi|xin|vui long|hay|lam on)\s+)?"  # "…, đề nghị cho biết …": the request word goes with its verb
    r"(?:cho\s+(?:toi|em|minh|chung toi|chung em|ca nhan toi)?\s*(?:duoc\s+)?(?:biet|hoi|xin)"
    r"|(?:muon|can|xin|de nghi|mong)\s+(?:duoc\s+)?(?:hoi|biet|tim hieu|hoi ro|giai dap|lam ro|tra loi)"
    r"|giai (?:dap|thich)(?:\s+giup)?|cung cap(?:\s+giup)?(?:\s+thong tin)?|thong tin\s+(?:giup|gium)|lam ro"
    r"|huong dan(?:\s+(?:giup|gium)|(?=\s*:))|(?:nho\s+)?tra(?:\s+cuu)?\s+(?:giup|gium))"
    r"(?:\s+(?:giup|gium|dum|ho|voi|ve|la|rang|xem|them|cu the|ro))*"
    r"(?:(?:\s+[^\s:,?]+){1,6}\s*:)?"  # the addressee, then a colon ("xin hỏi Ban Dân vận: …")
    r"\s*[:,]?\s+")
# A prefix that starts so is the question's topic, not its frame ("Về mô hình X, cho tôi hỏi …").
TOPIC_OPENING_RE = re.compile(r"^(ve|doi voi|lien quan|rieng|con|trong|tai|o|nam|sau|truoc|khi)\b")
# "Theo Báo X (đưa tin), …", "Theo tin của VnExpress, …": an outlet ahead of the question. A source word must be
# in it, so "Theo Luật …, …" (a constraint) stays content.
OUTLET_RE = re.compile(r"^\s*theo\s+((?:\S+\s+){0,9}?\S*?)\s*,\s*")
OUTLET_WORDS = re.compile(r"\b(bao|tin|bai|trang|dai|cong thong tin|tap chi|kenh|website|vnexpress|tuoi tre|"
                          r"nguoi dua tin|mang|fanpage|truyen hinh|thong tan xa)\b|\.vn\b|\.com\b")
# "Theo Báo Hà Tĩnh đưa tin về …": the outlet and its verb of reporting; what it reports on is the question's.
OUTLET_REPORT_RE = re.compile(r"^\s*theo\s+((?:\S+\s+){0,6}?)(?:dua tin|cho biet|dang tai|phan anh)\s+")
REPORTED_RE = re.compile(r"^\s*(?:toi|em|minh|chung toi)?\s*(?:doc|xem|nghe|thay)\s+(?:duoc\s+)?(?:tren|o|qua|tu)\s+"
                         r"(?:\S+\s+){1,8}?(?:thay|noi|dua tin|viet|rang|la)\s+")
# A piece after the question that scopes it: in brackets, or "theo …" (a document, a source).
SCOPE_AFTER_RE = re.compile(r"^\s*(?:\(|theo\b)")
# A letter's salutation before the question ("Kính gửi Ban Thường trực Ủy ban MTTQ huyện: …").
SALUTATION_RE = re.compile(r"^\s*kinh gui\s+[^:.?]{1,80}:\s*")
# Polite closers after the question ("Xin cảm ơn!", "Trân trọng.").
CLOSER_RE = re.compile(r"^\s*(xin\s+)?(cam on|tran trong|chuc|mong som|rat mong|xin chan thanh)\b")
SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+|\n+")
# A piece that ends in an abbreviation's dot ("TP.", "Tp.", "Q.", "TT.") goes on in the next one.
ABBREVIATION_END_RE = re.compile(r"(?:^|\s)(?:[A-ZĐ][A-Za-zĐđ]?)\.$")  # "HĐND.", "UBND." end a sentence
MIN_CONTENT_WORDS = 3  # a stripped frame must leave at least this many words of question


@dataclass
class Framed:
    """``content``: the asking clause without its frame; ``context``: the situation told before it;
    ``frame``: the pieces set aside (openings, outlets, closers)."""
    content: str
    context: str = ""
    frame: list[str] = field(default_factory=list)


def _folded(text: str) -> str:
    return fold_accents(text).lower()


def _pieces(text: str) -> list[str]:
    """Sentences of a question, a piece too short to stand alone joined to the next ("TP. HCM")."""
    raw = [p.strip() for p in SENTENCE_END_RE.split(text) if p and p.strip()]
    out: list[str] = []
    for p in raw:
        if out and (len(out[-1].split()) < 3 or ABBREVIATION_END_RE.search(out[-1])):
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    return out


def _asks(piece: str) -> bool:
    f = _folded(piece)
    words = QUESTION_RE.search(piece.lower()) if f != piece.lower() else FOLDED_QUESTION_RE.search(f)
    return bool(words or REQUEST_RE.search(f))


def strip_opening(text: str) -> tuple[str, str]:
    """(opening, rest): a polite opening up to its verb of asking ("Đề nghị Ban Dân vận Huyện ủy cho biết",
    "Chúng tôi ở MTTQ xã muốn hỏi", "Theo Báo Hà Tĩnh,"), when what is left is still a question."""
    opening = ""
    for _ in range(4):  # "Kính gửi …: theo báo X, đề nghị cho biết: …" — one layer at a time
        f = _folded(text)
        if len(f) != len(text):
            return opening, text
        m = SALUTATION_RE.match(f)
        if m and len(f[m.end():].split()) >= MIN_CONTENT_WORDS:
            opening, text = f"{opening} {text[:m.end()]}".strip(), text[m.end():]
            continue
        m = OUTLET_RE.match(f)
        if m and OUTLET_WORDS.search(m.group(1)):
            opening, text = f"{opening} {text[:m.end()]}".strip(), text[m.end():]
            continue
        m = OUTLET_REPORT_RE.match(f)
        if m and OUTLET_WORDS.search(m.group(1)) and len(f[m.end():].split()) >= MIN_CONTENT_WORDS:
            opening, text = f"{opening} {text[:m.end()]}".strip(), text[m.end():]
            continue
        m = REPORTED_RE.match(f)
        if m and len(f[m.end():].split()) >= MIN_CONTENT_WORDS:
            opening, text = f"{opening} {text[:m.end()]}".strip(), text[m.end():]
            continue
        m = TELL_RE.search(f)
        if m and len(f[m.end():].split()) >= MIN_CONTENT_WORDS and m.start() <= len(f) * 0.6:
            if TOPIC_OPENING_RE.match(f[:m.start()].strip()):  # "Về X, cho tôi hỏi …": the topic stays
                opening = f"{opening} {text[m.start():m.end()]}".strip()
                return opening, f"{text[:m.start()].rstrip()} {text[m.end():]}"
            opening, text = f"{opening} {text[:m.end()]}".strip(), text[m.end():]
            continue
        break
    return opening, text


def split_frame(question: str) -> Framed:
    """The asking clause(s) of a question, its situation, and its frame."""
    text = " ".join(question.split()) if "\n" not in question else question.strip()
    pieces = _pieces(text)
    if not pieces:
        return Framed(content=question.strip())
    frame: list[str] = []
    while len(pieces) > 1 and CLOSER_RE.match(_folded(pieces[-1])) and not _asks(pieces[-1]):
        frame.insert(0, pieces.pop())
    asking = [i for i, p in enumerate(pieces) if _asks(p)]
    if asking:
        first = asking[-1]
        # "Ai là …? Được bầu khi nào?": the trailing run of questions; a statement that merely holds a question
        # word ("Tôi có đọc mấy bài nhưng …") ends with a full stop and stays in the situation
        while first - 1 in asking and pieces[first - 1].rstrip().endswith("?"):
            first -= 1
    else:
        first = len(pieces) - 1
    context = " ".join(pieces[:first])
    marked = [i for i, p in enumerate(pieces) if p.rstrip().endswith("?")]
    last = marked[-1] if marked else asking[-1] if asking else len(pieces) - 1
    while last + 1 < len(pieces) and SCOPE_AFTER_RE.match(_folded(pieces[last + 1])):
        last += 1  # "… bao nhiêu %? (theo NĐ 61/2023/NĐ-CP)": the question's scope, said after it
    frame += pieces[last + 1:]  # what follows the question tells its purpose ("Tôi cần để đưa vào tài liệu …")
    content_pieces = pieces[first:last + 1]
    opening, head = strip_opening(content_pieces[0])
    if opening:
        frame.insert(0, opening)
        content_pieces[0] = head
    content = " ".join(p for p in content_pieces if p).strip()
    return Framed(content=content or text, context=context, frame=frame)
