"""Hard constraints read from questions, evidence checks and answer types (pure, table-driven)."""
from __future__ import annotations

import pytest

from assistant.understand.constraint_match import conflicts, meets, with_abbreviations
from assistant.understand.constraints import Need, read_constraints
from assistant.understand.evidence import has_date, has_person, holds_answer_type
from assistant.understand.query import answer_type, load_glossary, strip_framing, understand
from vntext.vocab import could_be_syllable


def kinds(question: str) -> list[tuple[str, str]]:
    return [(n.kind, n.keys[0]) for n in read_constraints(question)]


@pytest.mark.parametrize("question, expected", [
    # years and periods
    ("Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình?", [("year", "2018"), ("place", "hong linh")]),
    ("Ai là Bí thư Chi bộ nhiệm kỳ 2015 - 2020?", [("period", "2015 2020")]),
    ("Giai đoạn 2018-2020 có gì mới?", [("period", "2018 2020")]),
    ("Quý III năm 2021 xã Cẩm Bình làm gì?", [("year", "2021"), ("quarter", "quy iii"), ("place", "cam binh")]),
    # places: administrative word + capitalised name, abbreviations, names without a word
    ("Năm 2017 TP. HCM tuyên dương bao nhiêu tập thể?", [("year", "2017"), ("place", "hcm")]),
    ("Hồng Lĩnh có bao nhiêu mô hình dân vận khéo?", [("name", "hong linh")]),
    ("Thủ đô của Pháp là gì?", [("name", "phap")]),
    ("thu do cua Phap la gi", [("name", "phap")]),
    # first word; a compound, not a name — and a law named by its title (assistant/understand/legal_refs.py)
    ("Pháp lệnh thực hiện dân chủ ở xã quy định gì?", [("law", "phap lenh thuc hien dan")]),
    ("Theo Pháp lệnh số 34 thì sao", []),
    ("Tỉnh Lào Cai có bao nhiêu mô hình dân vận khéo?", [("place", "lao cai")]),
    ("Ông Điểu K'Ré giữ chức vụ gì?", [("name", "dieu k re")]),
    ("Ai là Bí thư Tỉnh ủy?", [("body", "tinh uy")]),  # "Bí thư" is a title, not a name
    ("Đồng chí Đoàn Tấn Bửu giữ chức vụ gì?", [("name", "doan tan buu")]),  # addressed: a name, not "Đoàn …"
    ("Ai là Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy?", [("body", "tinh uy"), ("body", "uy ban kiem tra")]),
    ("Luật số 10/2022/QH15 Về nhiệm vụ gì?", [("document", "10/2022/qh15")]),  # a function word is no name
    ("thủ đô của pháp", []),  # not capitalised: not claimed
    # document references: number, type code and issuer all count
    ("Chỉ thị số 20-CT/TU về nội dung gì?", [("document", "20-ct/tu")]),
    ("Nghị định 59/2023/NĐ-CP quy định gì?", [("document", "59/2023/nd-cp")]),
    ("Chỉ thị 20 của Thị ủy về gì?", [("document", "20-ct"), ("body", "thi uy")]),
    ("Theo Điều 36, Ban Thanh tra nhân dân có bao nhiêu thành viên?",
     [("article", "dieu 36"), ("body", "ban thanh tra")]),
    # bodies and fields of work
    ("Ban Tổ chức Tỉnh ủy tham mưu gì?", [("body", "tinh uy"), ("body", "ban to chuc")]),
    ("Lĩnh vực giáo dục có bao nhiêu mô hình?", [("category", "giao duc")]),
    # typed without accents or capitals: the shapes that still show
    ("o tinh yen bai co bao nhieu dai dien?", [("place", "yen bai")]),
    ("btv thi uy cam xuyen to chuc hoi nghi khi nao?", [("body", "thi uy")]),
    ("theo dieu 46 luat so 75/2015/qh13, to chuc nhu the nao?", [("document", "75/2015/qh13"), ("article", "dieu 46")]),
    ("nghi dinh 25/2014 quy dinh gi?", [("document", "25/2014")]),
    ("dong chi vu hong nam giu chuc vu gi?", [("name", "vu hong nam")]),
    ("ba con nong dan duoc ho tro gi?", []),
    ("dong chi pho chu tich hdnd thanh pho nha trang la ai?", [("place", "nha trang")]),
    ("tinh hinh an ninh o tinh thanh hoa the nao?", [("place", "thanh hoa")]),
    ("nam 2018, linh vuc chuyen doi so co bao nhieu mo hinh?", [("year", "2018"), ("category", "chuyen doi so")]),
    # a title, then the body it heads; old tone placement ("uỷ") read as the new
    ("Ai là Trưởng ban Nội chính huyện Nhà Bè?", [("place", "nha be"), ("body", "ban noi chinh")]),
    ("Đồng chí Trưởng ủy ban Kiểm tra Huyện uỷ Quảng Trạch là ai?",
     [("body", "huyen uy"), ("name", "quang trach"), ("body", "uy ban kiem tra")]),
    # a unit's name inside a longer capitalised title ("Phó Trưởng ban Dân vận Tỉnh uỷ Sóc Trăng")
    ("Ai là Phó Trưởng ban Dân vận Tỉnh uỷ Sóc Trăng?", [("body", "tinh uy"), ("name", "soc trang"),
                                                        ("body", "ban dan van")]),
    ("Nghị định 25/2014 quy định về nội dung gì?", [("document", "25/2014")]),
    # a quantity stated as given must be in the answer's passage; a reference number ("khoản 2") is none
    ("Số người có uy tín là 2.168 người, trong đó nam có bao nhiêu người?", [("quantity", "2168")]),
    ("Khoản 2 Điều 7 quy định gì?", [("article", "dieu 7"), ("clause", "khoan 2")]),
    ("xa hoi hoa co bao nhieu mo hinh?", []),
    # "Vụ" (a case) before a title names no body ("Vụ Trưởng Ban … bị bắt"); "Sở Nội vụ" does
    ("Vụ Trưởng Ban Dân vận Huyện ủy Tuy Phong bị bắt vì sao?",
     [("body", "huyen uy"), ("name", "tuy phong"), ("body", "ban dan van")]),
    ("Sở Nội vụ có mấy phòng?", [("body", "so noi vu")]),
])
def test_read_constraints(question, expected):
    assert kinds(question) == expected


@pytest.mark.parametrize("need, text, met", [
    (Need("document", "20-CT/TU", ("20-ct/tu",)), "Chỉ thị số 20-CT/ThU của Ban Thường vụ Thị ủy", False),
    (Need("document", "20-CT/ThU", ("20-ct/thu",)), "Chỉ thị số 20 - CT / ThU của Thị ủy", True),
    (Need("document", "21-CT/ThU", ("21-ct/thu",)), "Chỉ thị số 20-CT/ThU", False),
    (Need("document", "Chỉ thị 20", ("20-ct", "chi thi so 20", "chi thi 20")), "Chỉ thị số 20-CT/ThU", True),
    (Need("document", "Chỉ thị 20", ("20-ct", "chi thi so 20", "chi thi 20")), "Chỉ thị số 120-CT/TU", False),
    (Need("year", "năm 2020", ("2020",)), "năm 2018 đăng ký 112 mô hình", False),
    (Need("place", "thị xã Hồng Lĩnh", ("hong linh",)), "Bản đồ thị xã Hồng Lĩnh", True),
    (Need("category", "lĩnh vực văn hóa xã hội", ("van hoa xa hoi", "vhxh")), "lĩnh vực VHXH 67 mô hình", True),
    (Need("quantity", "2.168", ("2168",)), "toàn tỉnh có 2168 người có uy tín", True),  # written either way
    (Need("quantity", "2.168", ("2168",)), "toàn tỉnh có 2.169 người có uy tín", False),
    (Need("quantity", "4.000", ("4000",)), "trên diện tích 4.000m2, có 21 kiốt", True),
])
def test_meets(need, text, met):
    assert meets(need, text) is met


@pytest.mark.parametrize("need, sentence, conflict", [
    (Need("year", "năm 2020", ("2020",)), "năm 2018 đăng ký 112 mô hình", True),
    (Need("year", "năm 2019", ("2019",)), "giai đoạn 2018 - 2020 đăng ký 112 mô hình", False),  # a span covers it
    (Need("year", "năm 2020", ("2020",)), "đăng ký 112 mô hình", False),  # no year: not a contradiction
    (Need("period", "nhiệm kỳ 2015 - 2020", ("2015 2020",)), "Bí thư Chi bộ nhiệm kỳ 2020 - 2025", True),
    (Need("document", "20-CT/TU", ("20-ct/tu",)), "thực hiện Chỉ thị số 20-CT/ThU", True),
    (Need("document", "20-CT/TU", ("20-ct/tu",)), "thực hiện Nghị quyết 01-NQ/TU", False),  # another type
    (Need("document", "1092/QĐ", ("1092/qd",)), "ban hành Quyết định số 1092 / QĐ - TTg", False),  # + issuer
    (Need("document", "1092/QĐ", ("1092/qd",)), "ban hành Quyết định số 1093/QĐ-TTg", True),
    # the same unit word names another unit, and the asked one is not written
    (Need("name", "Phan Thiết", ("phan thiet",), "thanh uy"), "Ban chấp hành Thành uỷ Hội An đã bầu ông A", True),
    (Need("place", "tỉnh Lạng Sơn", ("lang son",), "tinh"), "Ông A, Chủ tịch UBND tỉnh Lào Cai.", True),
    (Need("place", "tỉnh Lạng Sơn", ("lang son",), "tinh"), "Đoàn tỉnh Lạng Sơn thăm tỉnh Cao Bằng.", False),
    (Need("place", "tỉnh Lạng Sơn", ("lang son",), "tinh"), "Hội Nông dân tỉnh, Hội Phụ nữ tỉnh.", False),
    (Need("place", "tỉnh Lạng Sơn", ("lang son",), "tinh"), "Ông A, Chủ tịch UBND tỉnh Bí thư Tỉnh ủy.", False),
    (Need("place", "tỉnh Lạng Sơn", ("lang son",)), "Ông A, Chủ tịch UBND tỉnh Lào Cai.", False),  # no unit asked
    (Need("name", "Hà Tĩnh", ("ha tinh",), "tinh uy"), "Trưởng ban Dân vận Tỉnh ủy Phan Cao Thanh cùng dự.", False),
    (Need("name", "Lê Văn Bình", ("le van binh",), "tinh uy"), "Tỉnh ủy Sóc Trăng tổ chức hội nghị.", False),
])
def test_conflicts(need, sentence, conflict):
    assert conflicts(need, sentence) is conflict


def test_abbreviations_meet_in_both_directions():
    needs = with_abbreviations(read_constraints("Lĩnh vực văn hóa xã hội có bao nhiêu mô hình?"), load_glossary())
    assert "vhxh" in needs[0].keys
    assert not any(" tu " in f" {k} " for n in with_abbreviations(read_constraints("Tỉnh ủy Hà Tĩnh"),
                                                                    load_glossary()) for k in n.keys)


@pytest.mark.parametrize("word, syllable", [("thu", True), ("du", True), ("nguyen", True), ("nghieng", True),
                                            ("vhxh", False), ("mttq", False), ("ubnd", False), ("cb", False)])
def test_could_be_syllable(word, syllable):
    assert could_be_syllable(word) is syllable


@pytest.mark.parametrize("question, stripped", [
    ("Đề nghị cho biết đồng chí Trưởng ban dự Đại hội", "đồng chí Trưởng ban dự Đại hội"),
    ("Xin cho biết ngày tổ chức Đại hội", "ngày tổ chức Đại hội"),
    ("Cho tôi hỏi ai chủ trì hội nghị?", "ai chủ trì hội nghị?"),
    ("de nghi cho biet nam 2018 co bao nhieu mo hinh", "nam 2018 co bao nhieu mo hinh"),
    ("Đề nghị đồng chí cung cấp thông tin về kết quả năm 2021", "kết quả năm 2021"),
    ("Cho biết", "Cho biết"),  # nothing left: kept
    ("Biết ơn các mẹ Việt Nam anh hùng", "Biết ơn các mẹ Việt Nam anh hùng"),
])
def test_strip_framing(question, stripped):
    assert strip_framing(question) == stripped


@pytest.mark.parametrize("question, kind", [
    ("Ai chủ trì hội nghị?", "person"), ("Đồng chí nào được bầu làm Bí thư?", "person"),
    ("Có bao nhiêu mô hình?", "figure"), ("Mấy đồng chí trúng cử?", "figure"),
    ("Hội nghị diễn ra khi nào?", "date"), ("Đại hội tổ chức hôm nào?", "date"),
    ("Xin cho biết ngày Ban Dân vận tổ chức Đại hội", "date"),
    ("Chương trình phối hợp giai đoạn nào?", "period"), ("Chỉ thị 20 về nội dung gì?", None),
])
def test_answer_type(question, kind):
    assert understand(question).answer_type == kind


@pytest.mark.parametrize("text, person", [
    ("đồng chí Ngô Văn Huỳnh, Phó trưởng ban Dân vận Tỉnh ủy được bầu giữ chức Bí thư", True),
    ("Đồng chí Nguyễn Thị Thu Hường phát biểu", True),
    ("Ông Điểu K'Ré được phân công giữ chức Phó trưởng Ban", True),
    ("Tại Lễ ký kết, các đại biểu đồng tình cao với báo cáo của Ban Dân vận Tỉnh ủy", False),
    ("Giúp đỡ các xã nghèo miền Tây Nghệ An", False),
    ("Ban Dân vận Tỉnh ủy Hà Tĩnh tổ chức hội nghị", False),
])
def test_has_person(text, person):
    assert has_person(text) is person


@pytest.mark.parametrize("text, date", [("Sáng 9/7, Ban Dân vận tổ chức hội nghị", True),
                                        ("ngày 5 tháng 6 năm 2020", True), ("năm 2018 đăng ký 112 mô hình", False)])
def test_has_date(text, date):
    assert has_date(text) is date
    assert holds_answer_type("date", text) is date


@pytest.mark.parametrize("question, counted", [
    ("Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?", "mo hinh"),
    ("Ban Thanh tra nhân dân có ít nhất bao nhiêu thành viên?", "thanh vien"),
    ("Bí thư trúng cử với tỷ lệ phiếu bao nhiêu?", None),  # no noun after it: any count
    ("Kinh phí hỗ trợ là bao nhiêu tiền?", None),  # an amount: any unit
])
def test_counted_noun(question, counted):
    assert understand(question).counted == counted


@pytest.mark.parametrize("written, key", [("2.168", "2168"), ("2168", "2168"), ("05", "5"), ("5", "5"), ("0,5", "0.5"),
                                          ("0", "0")])
def test_quantity_keys(written, key):
    """A count a question states is met where a document writes it, leading zeros or thousands dots aside ("dưới
    5 thôn" — "dưới 05 thôn")."""
    from assistant.understand.constraints import quantity_key
    assert quantity_key(written) == key


def test_a_law_named_with_abbreviations_is_met_by_its_title_spelled_out():
    """"Luật MTTQ VN": every abbreviation spelled out at once, and the title known by its first words, as when it
    is written in full ("Luật Mặt trận Tổ quốc Việt Nam" → "luat mat tran to")."""
    (law,) = [n for n in with_abbreviations(read_constraints("Theo Luật MTTQ VN năm 2015, ai chủ trì?"), load_glossary())
              if n.kind == "law"]
    assert "luat mat tran to quoc viet nam" in law.keys and "luat mat tran to" in law.keys


@pytest.mark.parametrize("body, sentence, conflict", [
    # another body of the same head and level, the asked one nowhere in the sentence
    ("Ban Tuyên giáo Trung ương", "Ông X thôi giữ chức Phó trưởng Ban thường trực Ban Dân vận Trung ương.", True),
    ("Ban Dân vận Trung ương", "Ông X, Trưởng ban Tổ chức Trung ương, phát biểu.", True),
    ("Ban Dân vận Trung ương", "Ông X, Trưởng ban Dân vận Trung ương, phát biểu.", False),
    ("Ban Dân vận Trung ương", "Ban Dân vận Trung ương phối hợp với Ban Tuyên giáo Trung ương.", False),
    ("Ban Dân vận", "Ông X, Trưởng ban Tổ chức Trung ương, phát biểu.", False),  # no level asked: no conflict read
])
def test_a_sentence_naming_another_body_of_the_same_level_contradicts_the_asked_one(body, sentence, conflict):
    (need,) = [n for n in read_constraints(f"Ai là Phó Trưởng {body}?") if n.kind == "body" and n.value == body]
    assert conflicts(need, sentence) is conflict


@pytest.mark.parametrize("asked, written, met", [
    ("Quyết định 217-QĐ/TW", "Quyết định số 217-QĐ/TƯ về việc ban hành Quy chế giám sát", True),  # TƯ is TW
    ("Quyết định 217-QĐ/TƯ", "thực hiện Quyết định 217 - QĐ / TW của Bộ Chính trị", True),
    ("Chỉ thị 15-CT/TW", "Chỉ thị số 15-CT/TU của Tỉnh ủy", False),  # TU is a Tỉnh ủy's, not Trung ương's
])
def test_a_central_issuer_is_one_however_written(asked, written, met):
    need = next(n for n in read_constraints(asked) if n.kind == "document")
    assert meets(need, written) is met
