"""Table-driven tests of the pure Vietnamese text functions (vntext/)."""
import unicodedata

import pytest

from vntext.lines import drop_keys, line_key, strip_cross_references
from vntext.normalize import (fold_accents, folded_form, has_diacritics, nfc, normalize_artefacts,
                              normalize_tone_placement, search_form, tokens)
from vntext.pairs import pair_token, syllable_pairs
from vntext.sentences import split_sentences, trim_span
from vntext.shingles import jaccard, shingles


@pytest.mark.parametrize("old, new", [
    ("hoà", "hòa"), ("Hoà Bình", "Hòa Bình"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("hoá", "hóa"),
    ("Thuý", "Thúy"), ("quý", "quý"), ("quỳnh", "quỳnh"), ("giữa", "giữa"), ("người", "người"),
    ("hoạch", "hoạch"), ("tuyển", "tuyển"), ("nước", "nước"), ("khuya", "khuya"), ("uỷ ban", "ủy ban"),
    ("Tỉnh uỷ", "Tỉnh ủy"), ("hòa", "hòa"), ("dân vận", "dân vận"),
])
def test_tone_placement_is_canonical(old, new):
    assert normalize_tone_placement(old) == normalize_tone_placement(new)
    assert normalize_tone_placement(new) == new


def test_nfd_input_meets_nfc():
    import unicodedata
    s = "Quy chế dân chủ ở cơ sở"
    assert search_form(unicodedata.normalize("NFD", s)) == search_form(s)


@pytest.mark.parametrize("text, folded", [
    ("Đảng ủy", "Dang uy"), ("dân vận khéo", "dan van kheo"), ("Cẩm Xuyên", "Cam Xuyen"),
    ("Ủy ban MTTQ", "Uy ban MTTQ"), ("20-CT/ThU", "20-CT/ThU"), ("Điểu K'Ré", "Dieu K'Re"),
])
def test_fold_accents(text, folded):
    assert fold_accents(text) == folded


def _fold_whole(text: str) -> str:
    """fold_accents as the whole text's NFD, marks dropped (what the per-character table must equal)."""
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D")


def test_fold_accents_character_by_character_is_the_whole_fold():
    import random
    from vntext import normalize
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    try:
        assert all(fold_accents(ch) == _fold_whole(ch) for ch in chars)
    finally:
        normalize._FOLD.clear()  # a cache: a million entries are not kept for the rest of the session
    rnd = random.Random(7)  # mixed: combining marks in any order after any letters, Hangul, đ
    pool = [chr(c) for c in [*range(0x20, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00), *range(0xAC00, 0xAC40)]]
    texts = ["".join(rnd.choice(pool) for _ in range(rnd.randint(1, 12))) for _ in range(50_000)]
    assert [fold_accents(t) for t in texts] == [_fold_whole(t) for t in texts]


@pytest.mark.parametrize("raw, joined", [
    ("25 - NQ / TW", "25-NQ/TW"),
    ("Điểu K ' Ré", "Điểu K'Ré"),
    ("ở Hà Nội . Ông", "ở Hà Nội. Ông"),
    ("( Hà Nội )", "(Hà Nội)"),
    ("tỷ lệ 95 %", "tỷ lệ 95%"),
    ("Chỉ thị số 20-CT/ThU", "Chỉ thị số 20-CT/ThU"),
])
def test_normalize_artefacts(raw, joined):
    assert normalize_artefacts(raw) == joined


def test_folded_form_matches_unaccented_query():
    assert folded_form("Dân vận khéo Cẩm Xuyên") == folded_form("dan van kheo cam xuyen")
    assert folded_form("Thuỷ lợi") == folded_form("thủy lợi") == "thuy loi"


@pytest.mark.parametrize("text, expected", [("dan van", False), ("dân vận", True), ("Đ", True), ("123", False)])
def test_has_diacritics(text, expected):
    assert has_diacritics(text) is expected


def test_minhash_bands_find_near_duplicates_only():
    from vntext.shingles import band_keys, minhash_signature, similarity
    base = " ".join(f"câu số {i} nói về công tác dân vận ở cơ sở năm 2021" for i in range(60))
    near = base.replace("câu số 7 ", "câu thứ 7 ")
    other = " ".join(f"điều {i} quy định về Ban Thanh tra nhân dân và thành viên" for i in range(60))
    a, b, c = minhash_signature(base), minhash_signature(near), minhash_signature(other)
    assert similarity(a, b) > 0.8 and similarity(a, c) < 0.2
    assert set(band_keys(a)) & set(band_keys(b))
    assert not set(band_keys(a)) & set(band_keys(c))


@pytest.mark.parametrize("text, expected", [
    ("Đ", "Đ"), ("e\u0302\u0301", "ế"), ("ho\u0300a", "hòa"), ("abc", "abc"),
])
def test_nfc(text, expected):
    assert nfc(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("dan van kheo", ["dan", "van", "kheo"]), ("20-ct/thu", ["20", "ct", "thu"]), ("", []),
    ("k're, 2021.", ["k", "re", "2021"]),
])
def test_tokens(text, expected):
    assert tokens(text) == expected


@pytest.mark.parametrize("a, b, same", [
    ("  Trang chủ  |  Tin tức ", "trang chủ | tin tức", True),
    ("Chia sẻ", "CHIA SẺ", True),
    ("Chia sẻ", "Chia se", False),
    ("Tho\u0302ng tin", "Thông tin", True),
    ("Tin\u00a0mới\u200b", "tin mới", True),
    ("Chia\u00adsẻ", "chiasẻ", True),
])
def test_line_key(a, b, same):
    assert (line_key(a) == line_key(b)) is same


@pytest.mark.parametrize("text, keys, expected", [
    ("Trang chủ\nNội dung chính\nChia sẻ", {"trang chủ", "chia sẻ"}, "Nội dung chính"),
    ("Nội dung", set(), "Nội dung"),
    ("", {"x"}, ""),
])
def test_drop_keys(text, keys, expected):
    assert drop_keys(text, keys) == expected


@pytest.mark.parametrize("text, expected", [
    ("Điều 5. Giám sát.\n(Điều này có nội dung liên quan đến Điều 35.4.LQ.34. Hình thức phản biện)",
     "Điều 5. Giám sát.\n"),
    ("Nội dung không có ghi chú.", "Nội dung không có ghi chú."),
    ("(Khoản này có nội dung được hướng dẫn bởi Điều 3)", ""),
])
def test_strip_cross_references(text, expected):
    assert strip_cross_references(text) == expected


@pytest.mark.parametrize("folded, pairs", [
    ("dan van kheo", "dan_van van_kheo"), ("dan", ""), ("", ""), ("mat tran, to quoc", "mat_tran tran_to to_quoc"),
])
def test_syllable_pairs(folded, pairs):
    assert syllable_pairs(folded) == pairs


@pytest.mark.parametrize("bigram, token", [("dan van", "dan_van"), ("to  quoc", "to_quoc")])
def test_pair_token_matches_syllable_pairs(bigram, token):
    assert pair_token(bigram) == token
    assert token in syllable_pairs(bigram).split()


@pytest.mark.parametrize("text, sentences", [
    ("Ông Nguyễn V. A phát biểu. Sau đó TP. Hà Tĩnh họp.", ["Ông Nguyễn V. A phát biểu.", "Sau đó TP. Hà Tĩnh họp."]),
    ("1. Tuyên truyền\n2. Vận động", ["1. Tuyên truyền", "2. Vận động"]),
    ("Xem www.danvan.vn. Rồi đọc “Dân vận. Khéo” nhé.", ["Xem www.danvan.vn.", "Rồi đọc “Dân vận. Khéo” nhé."]),
    ("dòng một bị ngắt\ngiữa câu. Câu hai.", ["dòng một bị ngắt\ngiữa câu.", "Câu hai."]),
    ("   ", []),
])
def test_split_sentences(text, sentences):
    assert [text[s:e] for s, e in split_sentences(text)] == sentences


@pytest.mark.parametrize("text, s, e, expected", [("  ab  ", 0, 6, (2, 4)), ("   ", 0, 3, None), ("ab", 0, 2, (0, 2))])
def test_trim_span(text, s, e, expected):
    assert trim_span(text, s, e) == expected


@pytest.mark.parametrize("a, b, low, high", [
    ("một hai ba bốn năm sáu", "mot hai ba bon nam sau", 1.0, 1.0),  # folded: accents do not matter
    ("một hai ba bốn năm sáu", "bảy tám chín mười mười một", 0.0, 0.0),
    ("một hai ba bốn năm sáu bảy", "một hai ba bốn năm sáu tám", 0.3, 0.7),
    ("", "một hai", 0.0, 0.0),
])
def test_jaccard(a, b, low, high):
    assert low <= jaccard(a, b) <= high


@pytest.mark.parametrize("text, n", [("a b c d e f", 2), ("a b", 1), ("", 0)])
def test_shingles_count(text, n):
    assert len(shingles(text)) == n


@pytest.mark.parametrize("text, defined", [
    ("Tỉnh gia hạn cho công tác giải phóng mặt bằng (GPMB). GPMB vẫn chậm.", {"gpmb": ("giai", "phong", "mat", "bang")}),
    ("Quản lý hành lang An toàn giao thông (ATGT) chưa tốt.", {"atgt": ("an", "toan", "giao", "thong")}),
    ("Đoàn gồm 35 đại biểu (TTXVN) của tỉnh.", {}),  # a credit in brackets: its initials spell no words before it
    ("Ủy ban nhân dân (UBND) xã; Ủy ban nhân dân huyện (UBND).", {"ubnd": ("uy", "ban", "nhan", "dan")}),
])
def test_the_abbreviations_a_document_defines(text, defined):
    from vntext import defined_abbreviations
    assert defined_abbreviations(text) == defined


def test_a_sentence_writing_a_defined_abbreviation_says_its_words():
    """"GPMB" in a report that spelled it out once covers a question that writes "giải phóng mặt bằng"."""
    from assistant.answer.sentences import score_sentences
    from assistant.types import Passage
    from assistant.understand.query import understand
    doc = ("Tỉnh vừa gia hạn cho công tác giải phóng mặt bằng (GPMB) dự án quốc lộ. "
           "Báo cáo của huyện cho thấy vẫn còn 106 trường hợp vướng GPMB.")
    p = Passage(chunk_id="c", doc_id="d", source="", title="", text=doc, date="", meta={})
    q = understand("Còn bao nhiêu trường hợp vướng giải phóng mặt bằng?")
    scored = {s.text[:10]: s for s in score_sentences(q, [p], {"d": doc})}
    assert scored["Báo cáo củ"].coverage > 0.8, scored["Báo cáo củ"].coverage
