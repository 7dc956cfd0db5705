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


def test_minhash_bands_find_near_duplicates_only():
    from ingest.dedupe import band_keys, minhash_signature, similarity
    base = " ".join(f"câu số {i} nói về công tác dân vận ở cơ sở năm 2021" for i in range(60))
    near = base.replace("câu số 7 ", "câu thứ 7 ")
    other = " ".join(f"điều {i} quy định về Ban Thanh tra nhân dân và thành viên" for i in range(60))
    a, b, c = minhash_signature(base), minhash_signature(near), minhash_signature(other)
    assert similarity(a, b) > 0.8 and similarity(a, c) < 0.2
    assert set(band_keys(a)) & set(band_keys(b))
    assert not set(band_keys(a)) & set(band_keys(c))
