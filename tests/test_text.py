"""Table-driven tests of the pure Vietnamese text functions (ingest/text.py)."""
import pytest

from ingest.text import fold_accents, folded_form, has_diacritics, normalize_artefacts, normalize_tone_placement, search_form


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
