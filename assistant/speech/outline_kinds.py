"""Which section of an outline a point belongs to, by the cue words of Vietnamese administrative reports:
a limitation, a task ahead, a practice, a result, a conclusion, or context (accent-folded text)."""
from __future__ import annotations

import re

from vntext import folded_form, tokens
from vntext.vocab import TITLES, folded

# Cue classes on the accent-folded text (general vocabulary of Vietnamese administrative reports).
LIMITATION_RE = re.compile(
    r"\b(han che|ton tai|yeu kem|bat cap|vuong mac|kho khan|thieu sot|vi pham|buc xuc|chua (dap ung|dong bo|cao|"
    r"ro|kip thoi|quyet liet|sat|day du|thuong xuyen|hieu qua|tot|trieu de|duoc quan tam)|van con|con (tinh trang|"
    r"nhieu|mot so|mot bo phan|co luc|co noi)|co luc,? co noi|nhuoc diem|lung tung|hinh thuc)\b")
# A task is a sentence led by a modal or a direction verb, or one set in the time ahead.
TASK_HEAD_RE = re.compile(
    r"^(?:\S+\s){0,6}?(can|phai|tiep tuc|day manh|nang cao|tang cuong|chu trong|quan tam|phan dau|tap trung|"
    r"lam tot|uu tien|nhan rong|khuyen khich|se|bao dam|dam bao|ra soat|kip thoi|ton trong|de nghi|yeu cau)\b")
SOLVED_AFTER_RE = re.compile(r"\b(thao go|giai quyet|khac phuc|vuot qua|xu ly)\b")
SOLVED_WINDOW = 8  # words after a problem in which its solving is told
# "đã" before the cue makes it a past deed, not a task.
PAST_RE = re.compile(r"\b(da|vua|duoc)\b")
# "tháo gỡ khó khăn", "giải quyết vướng mắc": a problem solved is not a limitation.
SOLVED_RE = re.compile(r"\b(thao go|giai quyet|khac phuc|vuot qua|han che toi da|xu ly|giam bot|ho tro|chia se|giup|"
                       r"ben canh|ngoai)\b(?:\s+\w+){0,4}\s*$")
# "phải kể đến": a way of listing, not a duty.
NOT_TASK_RE = re.compile(r"\bphai ke (den|toi)\b")
TASK_ANYWHERE_RE = re.compile(r"\b(thoi gian toi|nam toi|giai doan toi|sap toi|trong nam 20\d\d,? phan dau|"
                              r"nhiem vu trong tam|giai phap)\b")
TASK_HEAD_WORDS = 6  # the modal must come early: it governs the sentence
PRACTICE_RE = re.compile(
    r"\b(mo hinh|cach lam|dien hinh|guong|kinh nghiem|sang kien|phong trao|dan van kheo|tuyen duong|khen thuong|"
    r"bieu duong|hieu qua|thiet thuc|sang tao|linh hoat|van dong|hien dat|ngay cong|dong gop|tu nguyen|thi diem|"
    r"da trien khai|ho tro)\b")
RESULT_RE = re.compile(r"\b(dat|hoan thanh|thanh qua|thanh cong|no luc|duoc cong nhan|chuyen bien|tang|giam|vuot|nang len|co them|xay dung duoc|"
                       r"ket qua|thanh tich|dat chuan)\b")
CONCLUSION_RE = re.compile(r"\b(gop phan|khang dinh|y nghia|vai tro (quan trong|to lon)|niem tin|dong thuan|"
                           r"suc manh|khoi dai doan ket|gan bo mau thit|long dan)\b")
# "tiếp tục có nhiều chuyển biến", "tiếp tục được củng cố": a state that went on, not a directive.
STATE_AFTER_RE = re.compile(r"^\s*(co|duoc|dat|la|giu vung duoc)\b")
# "trong suốt 10 năm qua", "thời gian qua": the sentence looks back; it reports, it does not direct.
LOOKING_BACK_RE = re.compile(r"\b(\d+ nam qua|nhung nam qua|thoi gian qua|nam qua|vua qua)\b")


def classify(point: str) -> str:
    """Which section a cleaned point belongs to, by its cue class (limitation before task before
    practice before conclusion); "context" when none applies."""
    f = " ".join(tokens(folded_form(point)))
    head = " ".join(f.split()[:TASK_HEAD_WORDS + 12])
    if CONCLUSION_RE.match(f):
        return "conclusion"  # "Góp phần …": what the work amounts to
    for lm in LIMITATION_RE.finditer(f):
        after = " ".join(f[lm.end():].split()[:SOLVED_WINDOW])
        if not SOLVED_RE.search(f[:lm.start()]) and not SOLVED_AFTER_RE.search(after):
            return "limitation"
    m = None if NOT_TASK_RE.search(head) else TASK_HEAD_RE.match(head)
    if m and len(head[:m.start(1)].split()) <= TASK_HEAD_WORDS and not PAST_RE.search(head[:m.start(1)]) \
            and _cue_as_written(point, len(head[:m.start(1)].split()), m.group(1)) \
            and not STATE_AFTER_RE.match(head[m.end(1):]) and not LOOKING_BACK_RE.search(f):
        return "task"
    if TASK_ANYWHERE_RE.search(f):
        return "task"
    if PRACTICE_RE.search(f):
        return "practice"
    if CONCLUSION_RE.search(f):
        return "conclusion"
    if RESULT_RE.search(f) and PAST_RE.search(f):
        return "result"
    return "context"


# Folded cues that fold together with a common word: the cue holds only with its accents ("cần", not "cán bộ").
ACCENTED_CUES = {"can": "cần", "se": "sẽ", "phai": "phải"}


def _cue_as_written(point: str, at: int, cue: str) -> bool:
    words_ = re.findall(r"\w+", point.lower())
    return cue not in ACCENTED_CUES or (at < len(words_) and words_[at] == ACCENTED_CUES[cue])


# A leader's direction at the occasion: a titled speaker and a verb of directing or stressing, close together
# ("Phó Bí thư Thường trực Huyện ủy nhấn mạnh: …", "Tổng Bí thư yêu cầu …"). A speech quotes it (quán triệt ý kiến
# chỉ đạo); the verbs are the closed class of reported direction, not a list of people.
# ("dặn" is left out: it folds onto "dân" of "Ủy ban nhân dân"; "Ban Chỉ đạo" is a body, not a direction)
DIRECTING_VERBS = ("nhan manh", "khang dinh", "yeu cau", "de nghi", "(?<!ban )chi dao", "luu y", "neu ro",
                   "quan triet", "chi ro", "mong muon", "keu goi")
DIRECTION_GAP_WORDS = 12  # words between the speaker's title and the verb (the name, the body)
DIRECTION_RE = re.compile(rf"\b(?:{'|'.join(folded(TITLES))})\b(?:\s+\S+){{0,{DIRECTION_GAP_WORDS}}}?\s+"
                          rf"(?:{'|'.join(DIRECTING_VERBS)})\b")


def is_direction(point: str) -> bool:
    """Whether a point reports a leader's direction (a titled speaker with a verb of directing)."""
    return DIRECTION_RE.search(" ".join(tokens(folded_form(point)))) is not None


# The sections a request asks for by name ("triển khai nhiệm vụ trọng tâm 6 tháng cuối năm", "đánh giá kết quả …"):
# the head nouns of the sections' own titles (SECTION_TITLES), accent-folded.
ASKED_KIND_RES = {
    "result": re.compile(r"\b(ket qua|thanh tich)\b"),
    "limitation": re.compile(r"\b(han che|ton tai)\b"),
    "practice": re.compile(r"\b(cach lam|kinh nghiem|bai hoc)\b"),
    "task": re.compile(r"\b(nhiem vu|giai phap|phuong huong)\b"),
}
# A request naming more kinds than this asks for a whole report, not for one part of it.
FOCUS_MAX_KINDS = 2


def asked_kinds(request: str) -> set[str]:
    """The section kinds a request names, when it names one or two of them (then they are its focus)."""
    f = " ".join(tokens(folded_form(request)))
    named = {k for k, rx in ASKED_KIND_RES.items() if rx.search(f)}
    return named if len(named) <= FOCUS_MAX_KINDS else set()


# A level said with "cấp" ("ở cấp huyện", "Cấp xã có …"): a bare "xã" ("các xã nghèo") names places, not a level.
STATED_LEVEL_RE = re.compile(r"\bcap (xa|huyen|tinh|trung uong)\b")


def stated_levels(text: str) -> set[str]:
    """The administrative levels ``text`` states with "cấp" (accent-folded): {"huyen"} of "… ở cấp huyện"."""
    return set(STATED_LEVEL_RE.findall(" ".join(tokens(folded_form(text)))))
