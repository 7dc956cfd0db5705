"""Decoding bytes of Vietnamese office files.

The legacy byte strings below were written by hand from the published charts (TCVN 5712:1993 VN3
and VNI-Windows) and cross-checked outside this code (TCVN3: glibc ``iconv -f TCVN5712-1``; VNI:
the Latin-1 rendering matches the familiar "Daân vaän" look). They are NOT produced with the
tables under test.
"""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from ingest.decode import (
    VIETNAMESE_LETTERS,
    decode_bytes,
    decode_cp1258,
    decode_tcvn3,
    decode_vni,
    is_vietnamese_syllable,
    normalize_text,
    repair_mojibake,
    vietnamese_score,
)
from ingest.types import SkipFile

TCVN3_CASES = [
    (b"Ban D\xa9n v\xcbn T\xd8nh \xf1y", "Ban Dân vận Tỉnh ủy"),
    (b"Quy ch\xd5 d\xa9n ch\xf1 \xeb c\xac s\xeb", "Quy chế dân chủ ở cơ sở"),
    (b"\xb5 \xb6 \xb7 \xb8 \xb9", "à ả ã á ạ"),
    (b"\xa8 \xbb \xbc \xbd \xbe \xc6", "ă ằ ẳ ẵ ắ ặ"),
    (b"\xa9 \xc7 \xc8 \xc9 \xca \xcb", "â ầ ẩ ẫ ấ ậ"),
    (b"\xcc \xce \xcf \xd0 \xd1 \xaa \xd2 \xd3 \xd4 \xd5 \xd6", "è ẻ ẽ é ẹ ê ề ể ễ ế ệ"),
    (b"\xd7 \xd8 \xdc \xdd \xde", "ì ỉ ĩ í ị"),
    (b"\xdf \xe1 \xe2 \xe3 \xe4 \xab \xe5 \xe6 \xe7 \xe8 \xe9 \xac \xea \xeb \xec \xed \xee",
     "ò ỏ õ ó ọ ô ồ ổ ỗ ố ộ ơ ờ ở ỡ ớ ợ"),
    (b"\xef \xf1 \xf2 \xf3 \xf4 \xad \xf5 \xf6 \xf7 \xf8 \xf9", "ù ủ ũ ú ụ ư ừ ử ữ ứ ự"),
    (b"\xfa \xfb \xfc \xfd \xfe", "ỳ ỷ ỹ ý ỵ"),
    (b"\xa1 \xa2 \xa3 \xa4 \xa5 \xa6 \xa7 \xae", "Ă Â Ê Ô Ơ Ư Đ đ"),
    (b"\xa7\xb6ng C\xe9ng s\xb6n Vi\xd6t Nam", "Đảng Cộng sản Việt Nam"),
    (b"M\xc6t tr\xcbn T\xe6 qu\xe8c", "Mặt trận Tổ quốc"),
    # .VnTimeH heading: upper-case toned letters stored with the lower-case codes.
    (b"VI\xd6T NAM", "VIỆT NAM"),
]

VNI_CASES = [
    (b"Ban Da\xe2n va\xe4n T\xe6nh u\xfby", "Ban Dân vận Tỉnh ủy"),
    (b"Quy che\xe1 da\xe2n chu\xfb \xf4\xfb c\xf4 s\xf4\xfb", "Quy chế dân chủ ở cơ sở"),
    (b"a\xf9 a\xf8 a\xfb a\xf5 a\xef", "á à ả ã ạ"),
    (b"a\xe2 a\xe1 a\xe0 a\xe5 a\xe3 a\xe4", "â ấ ầ ẩ ẫ ậ"),
    (b"a\xea a\xe9 a\xe8 a\xfa a\xfc a\xeb", "ă ắ ằ ẳ ẵ ặ"),
    (b"e\xf9 e\xf8 e\xfb e\xf5 e\xef e\xe2 e\xe1 e\xe0 e\xe5 e\xe3 e\xe4", "é è ẻ ẽ ẹ ê ế ề ể ễ ệ"),
    (b"\xed \xec \xe6 \xf3 \xf2", "í ì ỉ ĩ ị"),
    (b"o\xf9 o\xf8 o\xfb o\xf5 o\xef o\xe2 o\xe1 o\xe0 o\xe5 o\xe3 o\xe4 \xf4 \xf4\xf9 \xf4\xf8 \xf4\xfb \xf4\xf5 \xf4\xef",
     "ó ò ỏ õ ọ ô ố ồ ổ ỗ ộ ơ ớ ờ ở ỡ ợ"),
    (b"u\xf9 u\xf8 u\xfb u\xf5 u\xef \xf6 \xf6\xf9 \xf6\xf8 \xf6\xfb \xf6\xf5 \xf6\xef", "ú ù ủ ũ ụ ư ứ ừ ử ữ ự"),
    (b"y\xf9 y\xf8 y\xfb y\xf5 \xee", "ý ỳ ỷ ỹ ỵ"),
    (b"\xd1a\xfbng Co\xe4ng sa\xfbn Vie\xe4t Nam", "Đảng Cộng sản Việt Nam"),
    (b"CO\xc4NG HO\xd8A XA\xd5 HO\xc4I CHU\xdb NGH\xd3A VIE\xc4T NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (b"\xf1\xf6\xf4\xefc ng\xf6\xf4\xf8i nh\xf6\xf5ng", "được người những"),
    (b"\xd6\xd4 \xce \xcd A\xca \xd1", "ƯƠ Ỵ Í Ă Đ"),
]

# "Ban Dân vận Tỉnh ủy triển khai Quy chế dân chủ ở cơ sở" in each legacy encoding.
SENTENCE = "Ban Dân vận Tỉnh ủy triển khai Quy chế dân chủ ở cơ sở"
SENTENCE_TCVN3 = b"Ban D\xa9n v\xcbn T\xd8nh \xf1y tri\xd3n khai Quy ch\xd5 d\xa9n ch\xf1 \xeb c\xac s\xeb"
SENTENCE_VNI = (b"Ban Da\xe2n va\xe4n T\xe6nh u\xfby trie\xe5n khai Quy che\xe1 da\xe2n chu\xfb "
                b"\xf4\xfb c\xf4 s\xf4\xfb")
# Windows-1258: â=E2 ê=EA ơ=F5 + combining hook D2 / acute EC / dot below F2.
SENTENCE_CP1258 = (b"Ban D\xe2n v\xe2\xf2n Ti\xd2nh u\xd2y tri\xea\xd2n khai Quy ch\xea\xec d\xe2n chu\xd2 "
                   b"\xf5\xd2 c\xf5 s\xf5\xd2")

LONG_TEXT = ("Ban Dân vận Tỉnh ủy tổ chức hội nghị triển khai Quy chế dân chủ ở cơ sở.\n"
             "Đồng chí Trưởng ban phát biểu: “Mặt trận Tổ quốc Việt Nam cần phối hợp chặt chẽ.”")


@pytest.mark.parametrize("data,expected", TCVN3_CASES)
def test_tcvn3_table(data, expected):
    assert decode_tcvn3(data) == expected


@pytest.mark.parametrize("data,expected", VNI_CASES)
def test_vni_table(data, expected):
    assert decode_vni(data) == expected


def test_cp1258_combining_marks_are_composed():
    text = decode_cp1258(SENTENCE_CP1258)
    assert text == SENTENCE
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("data,label", [
    (SENTENCE_TCVN3, "tcvn3"),
    (SENTENCE_VNI, "vni"),
    (SENTENCE_CP1258, "cp1258"),
    (SENTENCE.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"), "utf-8-sig"),
    (b"\xff\xfe" + SENTENCE.encode("utf-16-le"), "utf-16-le"),
    (b"\xfe\xff" + SENTENCE.encode("utf-16-be"), "utf-16-be"),
    (SENTENCE.encode("utf-16-le"), "utf-16-le"),
    (SENTENCE.encode("utf-16-be"), "utf-16-be"),
])
def test_decode_bytes_detects_encoding(data, label):
    assert decode_bytes(data) == (SENTENCE, label)


def test_decomposed_utf8_becomes_nfc():
    text, label = decode_bytes(unicodedata.normalize("NFD", SENTENCE).encode("utf-8"))
    assert (text, label) == (SENTENCE, "utf-8")


@pytest.mark.parametrize("mangle", [
    lambda s: s.encode("utf-8").decode("latin-1").encode("utf-8"),  # e.g. PHP utf8_encode
    # Windows cp1252 read: the 5 undefined bytes come through as C1 controls.
    lambda s: "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b)
                      for b in s.encode("utf-8")).encode("utf-8"),
])
def test_double_encoded_utf8_is_repaired(mangle):
    data = mangle(LONG_TEXT)
    assert "CÃ¡c".encode("utf-8") in mangle("Các")  # the shape of the damage
    assert decode_bytes(data) == (LONG_TEXT, "utf-8-double")


def test_lossy_double_encoding_is_refused_not_returned():
    data = LONG_TEXT.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    with pytest.raises(SkipFile, match="bảng mã"):
        decode_bytes(data)


def test_tcvn3_glyphs_inside_unicode_text_are_repaired():
    # A .VnTime Word file saved as UTF-8: the TCVN3 codes arrive as Latin-1 characters.
    data = ("Báo cáo tổng kết năm\n" + SENTENCE_TCVN3.decode("latin-1") + "\n").encode("utf-8")
    text, label = decode_bytes(data)
    assert text == "Báo cáo tổng kết năm\n" + SENTENCE + "\n"
    assert label == "utf-8+tcvn3"


def test_repair_mojibake_leaves_good_text_alone():
    assert repair_mojibake(LONG_TEXT) == (LONG_TEXT, None)
    assert repair_mojibake("Café crème, à la carte") == ("Café crème, à la carte", None)


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    b"%PDF-1.4\n\x00\x01\x02binary\x00stream",
    bytes(range(1, 9)) * 50 + b"abc",  # control bytes, no NUL
])
def test_binary_is_refused(data):
    with pytest.raises(SkipFile) as e:
        decode_bytes(data)
    assert e.value.reason == "tệp nhị phân (binary file)"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty_is_refused(data):
    with pytest.raises(SkipFile) as e:
        decode_bytes(data)
    assert e.value.reason == "tệp rỗng (empty file)"


def test_english_ascii_is_utf8():
    assert decode_bytes(b"Meeting notes.\nAgenda: budget, staffing.") == (
        "Meeting notes.\nAgenda: budget, staffing.", "utf-8")


def test_windows_punctuation_only_is_cp1252():
    assert decode_bytes(b"He said \x93hello\x94 \x96 twice.") == ("He said “hello” – twice.", "cp1252")


@pytest.mark.parametrize("data", [
    "Ça va très bien, merci à vous. Où est la gare?".encode("latin-1"),  # not Vietnamese
    b"\xc0\xc1\xc2\xc3 \xc4\xc5 \xc6\xc7\xc8 \xd0\xd1\xd2",  # noise in the high half
])
def test_unconfident_legacy_is_refused(data):
    with pytest.raises(SkipFile) as e:
        decode_bytes(data)
    assert e.value.reason.startswith("không nhận diện được bảng mã (cannot decode confidently")


def test_line_breaks_and_controls():
    text, _ = decode_bytes("Dòng một\x0bdòng hai\r\nba\rbốn\x07\x1b".encode("utf-8"))
    assert text == "Dòng một\ndòng hai\nba\nbốn"
    assert normalize_text("a\x0cb\x00c\x85d\ufffde") == "a\nbcde"


@pytest.mark.parametrize("word,ok", [
    ("người", True), ("được", True), ("quốc", True), ("nghiêng", True), ("giữ", True),
    ("gì", True), ("khuya", True), ("Tỉnh", True), ("ỦY", True), ("ở", True),
    ("cỏc", False),  # stop final with hỏi tone
    ("vaän", False), ("Daõn", False), ("cña", False), ("Ã¡c", False), ("cáà", False),
])
def test_syllable_check(word, ok):
    assert is_vietnamese_syllable(word) is ok


def test_score_prefers_the_right_decoding():
    right = vietnamese_score(decode_tcvn3(SENTENCE_TCVN3))
    wrong = vietnamese_score(decode_vni(SENTENCE_TCVN3))
    assert right.confident and right.quality == 1.0
    assert not wrong.confident


def test_letter_set_is_complete():
    assert len(VIETNAMESE_LETTERS) == 2 * (12 * 6 - 6 + 1)  # 66 non-ASCII vowel forms + đ, both cases
    # every lower-case Vietnamese letter is reachable in TCVN3 (VN3 has them all)
    reachable = set(decode_tcvn3(bytes(range(0x20, 0x100))))
    assert {c for c in VIETNAMESE_LETTERS if c.islower()} <= reachable


@settings(max_examples=60, deadline=None, database=None)
@given(st.binary(max_size=200))
def test_legacy_decoders_never_raise(data):
    for fn in (decode_tcvn3, decode_vni, decode_cp1258):
        assert unicodedata.is_normalized("NFC", fn(data))
    try:
        text, _ = decode_bytes(data)
    except SkipFile:
        return
    assert text.strip() and unicodedata.is_normalized("NFC", text)


def test_tcvn3_high_half_has_no_unassigned_bytes():
    # 0xA0-0xFF are all letters of the chart (or NBSP / VN1 combining marks), none left as Latin-1.
    decoded = [unicodedata.normalize("NFC", decode_tcvn3(bytes([b]))) for b in range(0xA1, 0x100)]
    marks = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    assert all(ch in VIETNAMESE_LETTERS or ch in marks for ch in decoded)
