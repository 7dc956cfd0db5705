"""Query understanding: abbreviations, references, places, modes, follow-ups (pure, table-driven)."""
import pytest

from assistant.understand.followup import resolve_follow_up
from assistant.understand.query import find_refs, understand
from vntext import folded_form


@pytest.mark.parametrize("question, expanded", [
    ("Việc thực hiện QCDC ở Cẩm Xuyên", "quy chế dân chủ"),
    ("Vai trò của MTTQ trong CTDV", "Mặt trận Tổ quốc"),
    ("Vai trò của MTTQ trong CTDV", "công tác dân vận"),
    ("Ủy viên BTV Thị ủy", "Ban Thường vụ"),
    ("Chủ tịch HĐND thị xã", "Hội đồng nhân dân"),
    ("Kết quả PTTĐ xây dựng NTM", "phong trào thi đua"),
    ("Kết quả PTTĐ xây dựng NTM", "nông thôn mới"),
    ("phat trien KT-XH", "kinh tế - xã hội"),
    ("vai tro cua mttq trong ctdv", "Mặt trận Tổ quốc"),
    ("thuc hien qcdc o co so", "quy chế dân chủ"),
    ("Chủ tịch HDND xã", "Hội đồng nhân dân"),
    ("xay dung ntm", "nông thôn mới"),
    ("Ban Chấp hành Chi bộ gồm mấy đ/c?", "mấy đồng chí"),  # the count's noun as documents write it
    ("Đ/c Bí thư chủ trì", "Đồng chí Bí thư"),
])
def test_abbreviations_are_expanded(question, expanded):
    assert expanded in understand(question).text


@pytest.mark.parametrize("question, expanded, not_expanded", [
    ("CT UBND xã ký quyết định nào?", "Chủ tịch Ủy ban nhân dân", "Chỉ thị"),  # no number after it: the office
    ("đồng chí CT UBMTTQ huyện", "Chủ tịch Ủy ban Mặt trận Tổ quốc", "Chỉ thị"),
    ("CT 05 của Bộ Chính trị", "Chỉ thị 05", "Chủ tịch"),  # a number: the document
    ("theo CT số 20 của Thị ủy", "Chỉ thị số 20", "Chủ tịch"),
])
def test_an_abbreviation_read_by_the_number_after_it(question, expanded, not_expanded):
    text = understand(question).text
    assert expanded in text and not_expanded not in text, text


@pytest.mark.parametrize("question", ["tu nam 2018", "cong tac dan van", "to chuc hoi nghi", "Ông Tư", "kh"])
def test_ordinary_words_are_not_taken_for_abbreviations(question):
    assert understand(question).expansions == []


@pytest.mark.parametrize("question, expanded", [("phát triển KT-XH", "kinh tế - xã hội")])
def test_separator_abbreviations(question, expanded):
    assert expanded in understand(question).text


@pytest.mark.parametrize("question", ["Chỉ thị số 20-CT/ThU là gì", "Nghị quyết 01-NQ/TU", "Quyết định 217-QĐ/TW"])
def test_document_numbers_are_not_expanded(question):
    q = understand(question)
    assert q.text == question and q.expansions == []


@pytest.mark.parametrize("question, ref", [
    ("Chỉ thị số 20-CT/ThU là của cơ quan nào", "20-ct/thu"),
    ("chi thi 20", "chỉ thị 20"),
    ("NQ 01 của Đảng ủy Khối", "nghị quyết 01"),
    ("Nghị định 59/2023 quy định gì", "nghị định 59/2023"),
    ("Luật 75/2015/QH13", "75/2015/qh13"),
    ("25 - NQ / TW", "25-nq/tw"),
])
def test_references_recognised(question, ref):
    assert folded_form(ref) in [folded_form(r) for r in understand(question).refs]


@pytest.mark.parametrize("question, mode", [
    ("Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?", "lookup"),
    ("dan van kheo cam xuyen dang ky bao nhieu mo hinh nam 2021", "lookup"),
    ("Chỉ thị số 20-CT/ThU là của cơ quan nào?", "lookup"),
    ("Soạn các ý chính cho bài phát biểu về nhân rộng mô hình", "talking_points"),
    ("soan dan y phat bieu ve dan van kheo", "talking_points"),
    ("Ai được bầu làm Bí thư Chi bộ?", "qa"),
    ("Mặt trận Tổ quốc có những hình thức phản biện xã hội nào?", "qa"),
])
def test_mode_detection(question, mode):
    assert understand(question).mode == mode


def test_unaccented_and_accented_share_terms():
    a = understand("Dân vận khéo Cẩm Xuyên đăng ký bao nhiêu mô hình năm 2021")
    b = understand("dan van kheo cam xuyen dang ky bao nhieu mo hinh nam 2021")
    assert a.terms == b.terms and a.bigrams == b.bigrams
    assert a.accented and not b.accented


@pytest.mark.parametrize("question, places", [
    ("Tỉnh Quảng Ninh có bao nhiêu mô hình", [["quang ninh"]]),
    ("Năm 2018 thị xã Hồng Lĩnh đăng ký", [["hong linh"]]),
    ("Năm 2017 TP. HCM tuyên dương", [["ho chi minh", "hcm"]]),
    ("ở huyện Cẩm Xuyên", [["cam xuyen"]]),
    ("không có địa danh", []),
])
def test_places(question, places):
    assert understand(question).places == places


@pytest.mark.parametrize("question, prev, resolved", [
    ("Còn năm 2019 thì sao?", "Năm 2018 Hồng Lĩnh đăng ký bao nhiêu mô hình?", "Năm 2019 Hồng Lĩnh đăng ký bao nhiêu mô hình?"),
    ("con nam 2019?", "Năm 2018 Hồng Lĩnh đăng ký bao nhiêu mô hình?", "Năm 2019 Hồng Lĩnh đăng ký bao nhiêu mô hình?"),
    ("Còn huyện Cẩm Xuyên thì sao?", "Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình?",
     "Năm 2018 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình?"),
    ("Ai là Bí thư Chi bộ Ban Dân vận Tỉnh ủy Hà Tĩnh?", "Năm 2018 có bao nhiêu mô hình?",
     "Ai là Bí thư Chi bộ Ban Dân vận Tỉnh ủy Hà Tĩnh?"),
])
def test_follow_up(question, prev, resolved):
    assert resolve_follow_up(question, [(prev, "…")]) == resolved


def test_follow_up_without_history_is_unchanged():
    assert resolve_follow_up("Còn năm 2019 thì sao?", None) == "Còn năm 2019 thì sao?"


def test_find_refs_ignores_dates():
    assert find_refs(folded_form("ngày 19/12/2018")) == []


