"""The Vietnamese word classes and patterns every stage reads, one copy each (table-tested in
tests/test_vntext_vocab.py): syllable shape, function words, time, places, people, bodies, documents and
speech requests.

Each class is written once, here, accented and lower-case. A stage that reads a class builds what it needs
from it — a union of classes, a folded form, a regex with its own look-arounds — by a named composition
where it is used; a stage that reads only part of a class names that part with ``pick`` or ``without``
(which check that the words are in the class) and says why. Grammar only: no names of places, people or
bodies a collection happens to hold. The document types are in vntext/doctypes.py.
"""
from __future__ import annotations

import re

from vntext.normalize import fold_accents

SYLLABLE_RE = re.compile(r"[bcdghklmnpqrstvx]{0,3}[aeiouy]{1,3}(?:ch|ng|nh|c|m|n|p|t)?")


def could_be_syllable(folded_word: str) -> bool:
    """Whether a folded word could be a Vietnamese syllable ("thu" = thứ/thu/thư, "du" = dự) rather than
    only an abbreviation ("vhxh", "mttq", "ubnd"): onset consonants, a vowel nucleus, an allowed coda."""
    return SYLLABLE_RE.fullmatch(folded_word.lower()) is not None


# --- compositions ---------------------------------------------------------------------------------------
def pick(words: tuple[str, ...], *chosen: str) -> tuple[str, ...]:
    """The ``chosen`` words of a class, in the order given; each must be in the class."""
    missing = [w for w in chosen if w not in words]
    assert not missing, f"not in the class: {missing}"
    return chosen


def without(words: tuple[str, ...], *left_out: str) -> tuple[str, ...]:
    """The class less ``left_out`` (each must be in it), in the class's order."""
    missing = [w for w in left_out if w not in words]
    assert not missing, f"not in the class: {missing}"
    return tuple(w for w in words if w not in left_out)


def folded(words) -> tuple[str, ...]:
    """Each phrase accent-folded and lower-case, in order, each once ("đồng chí" → "dong chi")."""
    return tuple(dict.fromkeys(fold_accents(w).lower() for w in words))


def syllables(words) -> set[str]:
    """Every syllable of the phrases ("bao nhiêu" → "bao", "nhiêu")."""
    return {s for w in words for s in w.split()}


def alternation(words) -> str:
    """A regex alternation of the phrases, longest first, so a phrase is never cut by a shorter one
    that begins it ("thị xã" before "thị")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def capitalised(phrase: str) -> str:
    """The phrase as written at the head of a name or a sentence ("bí thư" → "Bí thư")."""
    return phrase[:1].upper() + phrase[1:]


def first_letter_either_case(phrase: str, space: str = " ") -> str:
    """A regex for the phrase with its first letter in either case ("ông" → "[Ôô]ng"); ``space`` between
    its syllables."""
    head = f"[{phrase[0].upper()}{phrase[0]}]"
    return head + space.join(re.escape(s) for s in phrase[1:].split(" "))


# --- function words --------------------------------------------------------------------------------------
# Prepositions, and the verbs of direction used as prepositions ("vào năm", "ra quân", "lên kế hoạch").
PREPOSITIONS = ("ở", "tại", "của", "trong", "cho", "với", "về", "theo", "từ", "đến", "tới", "do", "bởi", "để",
                "vào", "ra", "lên")
# Nouns of position used as prepositions ("trên địa bàn", "sau khi", "trước đó").
POSITION_NOUNS = ("trên", "dưới", "ngoài", "giữa", "sau", "trước")
CONJUNCTIONS = ("và", "hay", "hoặc", "mà", "nên", "thì", "khi", "như", "nếu", "vì", "rằng", "nhưng", "còn")
# Copulas and light verbs ("là", "có", "được", "bị", "làm").
COPULAS = ("là", "có", "được", "bị", "làm")
TENSE_MARKERS = ("đã", "đang", "sẽ")
ADVERBS = ("vẫn", "chưa", "rồi", "cũng", "đều", "cùng", "lại", "hãy", "không", "hơn")
PLURALS = ("các", "những")
QUANTIFIERS = ("một", "hai", "ba", "cái", "cả", "nhiều")
DEMONSTRATIVES = ("này", "đó", "ấy", "kia")
PARTICLES = ("à", "ạ", "xin", "đấy", "vậy", "nữa", "thôi")
QUESTION_WORDS = ("ai", "gì", "nào", "đâu", "sao", "mấy", "thế", "bao nhiêu")
# Phrases that ask ("bao giờ", "có phải", "… hay không").
QUESTION_PHRASES = ("bao giờ", "bao lâu", "thế nào", "ra sao", "tại sao", "vì sao", "hay không", "có phải", "là bao",
                    "như thế nào")
FUNCTION_WORDS = (PREPOSITIONS + POSITION_NOUNS + CONJUNCTIONS + COPULAS + TENSE_MARKERS + ADVERBS + PLURALS
                  + QUANTIFIERS + DEMONSTRATIVES + PARTICLES + QUESTION_WORDS)

# --- time --------------------------------------------------------------------------------------------------
CALENDAR_UNITS = ("năm", "tháng", "ngày")  # the units a date is written in
TIME_UNITS = CALENDAR_UNITS + ("tuần", "quý", "giờ", "phút")
DAY_WORDS = ("hôm", "nay")  # "hôm nay", "hiện nay"
PERIOD_WORDS = ("giai đoạn", "nhiệm kỳ", "thời kỳ")  # the words before a span of years
TERM_WORDS = ("khóa", "khoá")  # a congress's or a course's term ("khóa XIII"), in both tone placements
# A year a question or a document states (1940–2099); the body only, each use adds its own look-arounds.
YEAR = r"(?:19[4-9]\d|20\d\d)"
# Any year of the 1900s and 2000s (1900–2099): what the speech rules and the period facts read.
CENTURY_YEAR = r"(?:19|20)\d\d"
DASHES = "-–—"  # hyphen, en dash, em dash: between a span's two years

# --- places --------------------------------------------------------------------------------------------------
CITY_ABBR = "tp"  # "TP Hà Tĩnh", "Tp. Vinh": thành phố
# Administrative units with a government of their own: province, district and commune levels.
ADMIN_UNITS = ("tỉnh", "thành phố", CITY_ABBR, "huyện", "thị xã", "quận", "xã", "phường", "thị trấn")
VILLAGE_UNITS = ("thôn", "bản", "ấp", "làng")  # below the commune, nationwide
STREET_UNITS = ("tổ dân phố", "khối phố")  # below the ward
REGIONAL_VILLAGE_UNITS = ("xóm", "buôn", "plei", "sóc")  # the north's, the Central Highlands', the Khmer villages
PLACE_UNITS = ADMIN_UNITS + VILLAGE_UNITS + STREET_UNITS + REGIONAL_VILLAGE_UNITS  # any word before a place name
LOCATIVES = ("ở", "tại", "trên địa bàn", "thuộc")  # the words that set a place: "ở xã X", "thuộc huyện Y"
# Party committees named by the unit they lead ("Tỉnh ủy Hà Tĩnh"): a unit's name follows them.
PARTY_COMMITTEE_UNITS = ("tỉnh", "thị", "huyện", "thành", "quận", "đảng", "xã", "phường", "khối")
PARTY_COMMITTEES = tuple(f"{unit} ủy" for unit in PARTY_COMMITTEE_UNITS)
MILITARY_COMMITTEE_UNIT = "quân"  # "Quân ủy Trung ương": an "X ủy" that leads no territory

# --- people --------------------------------------------------------------------------------------------------
# Forms of address: what follows is a person's name.
ADDRESS_FORMS = ("đồng chí", "ông", "bà", "anh", "chị")
# Titles that open a position ("Bí thư", "Trưởng ban", "Thủ tướng").
TITLES = ("bí thư", "chủ tịch", "chủ nhiệm", "trưởng", "giám đốc", "ủy viên", "uỷ viên", "thường trực",
          "tổng bí thư", "thủ tướng", "bộ trưởng", "thứ trưởng", "đại biểu", "cán bộ")
# Titles of the head of one kind of body ("Cục trưởng", "Chánh án", "Tổng biên tập").
BODY_HEAD_TITLES = ("tổng thư ký", "cục trưởng", "vụ trưởng", "tư lệnh", "chính ủy", "tổng biên tập",
                    "chánh văn phòng", "chánh án", "chánh thanh tra")
# Words before a title that make another post of it: a deputy, a general, a chief, a former holder.
FORMER = "nguyên"
TITLE_PREFIXES = ("phó", "tổng", "chánh", FORMER)
MILITARY_RANKS = ("đại tá", "thượng tá", "trung tá", "thiếu tá", "đại úy", "thiếu tướng", "trung tướng",
                  "thượng tướng", "đại tướng")
DEGREES_AND_CALLINGS = ("giáo sư", "tiến sĩ", "thạc sĩ", "bác sĩ", "luật sư", "nghệ sĩ")
VILLAGE_TITLES = ("già làng", "trưởng thôn")


def title_case(title: str) -> str:
    """A title as written before a name: capitalised, and so is a title after its prefix ("Tổng Bí thư")."""
    head, _, rest = title.partition(" ")
    if head in TITLE_PREFIXES and rest in TITLES:
        return f"{capitalised(head)} {capitalised(rest)}"
    return capitalised(title)


# --- bodies --------------------------------------------------------------------------------------------------
# Head nouns that open the name of an organisation or body ("Ban Dân vận", "Hội Nông dân").
ORG_HEADS = ("ban", "hội", "đoàn", "ủy ban", "uỷ ban", "mặt trận", "sở", "phòng", "bộ", "cục", "vụ", "viện",
             "trường", "tổng cục", "văn phòng", "hội đồng", "liên đoàn", "công đoàn", "chi bộ", "đảng bộ",
             "đảng ủy", "đảng uỷ", "tòa án", "toà án", "công an", "bộ chỉ huy", "liên minh", "tổng liên đoàn",
             "học viện", "báo", "đài", "trung tâm", "quỹ", "câu lạc bộ", "hiệp hội", "tập đoàn", "tổng công ty",
             "công ty", "ngân hàng", "kho bạc", "cơ quan", "đội", "khối")

# --- documents -------------------------------------------------------------------------------------------------
LEGAL_DIVISIONS = ("điều", "khoản", "điểm", "chương", "mục")  # parts of a legal text ("Điều 5", "khoản 2")
NUMBER_POINTERS = ("phần", "số", "thứ")  # before a number that points, not counts ("phần II", "số 5", "thứ 3")
# A document's number, with its year when written ("20", "145/2020").
DOC_NO = r"\d{1,4}(?:/\d{4})?"
# A document number with its symbol ("20-CT/ThU", "01-NQ/TU", "145/2020/NĐ-CP", "10/2022/QH15"): the body only,
# each use adds its own look-arounds.
DOCNUM = DOC_NO + r"[-/][A-ZĐa-zđ][A-ZĐa-zđ0-9]{0,7}(?:[-/][A-ZĐa-zđ0-9]{1,8}){0,2}"
# A number written in full as documents cite one: type code and issuer in capitals ("20-CT/TU") or number/year/
# issuer ("145/2020/NĐ-CP").
DOCREF_RE = re.compile(rf"\b{DOC_NO}-[A-ZĐ]{{1,6}}/[A-ZĐa-zđ0-9]{{1,8}}\b|\b\d{{1,4}}/\d{{4}}/[A-ZĐ]")

# --- speech requests ---------------------------------------------------------------------------------------------
# Gathering words that open an occasion ("hội nghị …", "lễ …", "buổi …").
GATHERINGS = ("hội nghị", "hội thảo", "tọa đàm", "toạ đàm", "diễn đàn", "kỳ họp", "đại hội", "buổi", "lễ", "cuộc",
              "phiên", "chương trình gặp mặt")
# What a speech request asks to have drafted.
SPEECH_KINDS = ("phát biểu", "dàn ý", "bài nói", "tham luận", "diễn văn", "nói chuyện", "đề cương")
DRAFTING_VERBS = ("soạn", "viết", "lập", "chuẩn bị", "thảo")
LISTING_VERBS = ("gợi ý", "đề xuất", "nêu", "liệt kê", "tóm tắt")
MAIN_POINTS = ("ý chính", "điểm chính", "nội dung chính")


# Folded words that follow an administrative word or a form of address in a question typed without accents and
# name nothing there: modal verbs, pronouns and common verbs ("thon phai", "xa toi", "dong chi duoc"), for the
# unaccented readers (assistant/understand/constraints.py, restore.py).
UNACCENTED_NOT_NAME = frozenset({"con", "nao", "do", "nay", "minh", "ta", "hoi", "uy", "doi", "dang", "giu", "duoc",
                                 "la", "phat", "cho", "noi", "tham", "du", "phai", "can", "nen", "se", "da", "bi",
                                 "co", "lam", "ra", "toi"})
# …with the adverbs, position nouns, particles and demonstratives ("xa khong", "xa duoi 5 thon", "thon vay"): no
# name starts with them; prepositions and quantifiers do ("Từ Sơn", "Ba Đình").
# A village word after an administrative word is a compound noun, not a name ("thôn xóm", "xã, thôn, bản").
NOT_A_NAME_START = UNACCENTED_NOT_NAME | frozenset(folded(ADVERBS + POSITION_NOUNS + PARTICLES + DEMONSTRATIVES
                                                          + VILLAGE_UNITS + REGIONAL_VILLAGE_UNITS))
