"""Table tests: a question's content apart from its frame (assistant/understand/frame.py), the asked slot
(assistant/understand/slots.py) and legal references beyond the article (assistant/understand/legal_refs.py)."""
import pytest

from assistant.understand.frame import split_frame
from assistant.understand.legal_refs import clause_written, read_legal_needs
from assistant.understand.slots import Slot, asked_slot, holds_slot
from vntext import folded_form


@pytest.mark.parametrize("question, content, context, framed", [
    ("Đề nghị Ban Dân vận cho biết năm 2021 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình Dân vận khéo?",
     "năm 2021 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình Dân vận khéo?", "", True),
    ("Theo tin của Báo Hà Tĩnh, năm 2021 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình?",
     "năm 2021 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình?", "", True),
    ("Xã tôi đang chuẩn bị hội nghị. Tôi được giao viết báo cáo. Vậy cho tôi hỏi UBND xã phải công khai những gì?",
     "UBND xã phải công khai những gì?", "Xã tôi đang chuẩn bị hội nghị. Tôi được giao viết báo cáo.", True),
    ("Chúng tôi ở MTTQ huyện muốn hỏi Ban Thanh tra nhân dân có nhiệm kỳ mấy năm?",
     "Ban Thanh tra nhân dân có nhiệm kỳ mấy năm?", "", True),
    ("Về mô hình dân vận khéo ở Cẩm Xuyên, cho tôi hỏi năm 2021 đăng ký bao nhiêu?",
     "Về mô hình dân vận khéo ở Cẩm Xuyên, năm 2021 đăng ký bao nhiêu?", "", True),
    ("Ai là Trưởng ban? Được bầu khi nào? Xin cảm ơn!", "Ai là Trưởng ban? Được bầu khi nào?", "", True),
    ("Theo Luật Thực hiện dân chủ ở cơ sở, người dân được bàn những gì?",
     "Theo Luật Thực hiện dân chủ ở cơ sở, người dân được bàn những gì?", "", False),
    ("Cẩm Xuyên có bao nhiêu mô hình Dân vận khéo?", "Cẩm Xuyên có bao nhiêu mô hình Dân vận khéo?", "", False),
    ("de nghi cho biet ai chu tri hoi nghi so ket", "ai chu tri hoi nghi so ket", "", True),
    # the addressee between the verb of asking and a colon; "giải thích" asks too
    ("Đề nghị Ban Dân vận Huyện ủy giải thích giúp: cơ quan nào tổng hợp ý kiến cử tri?",
     "cơ quan nào tổng hợp ý kiến cử tri?", "", True),
    ("Em là sinh viên, xin hỏi Ban Dân vận: theo Luật Mặt trận, cơ quan nào chủ trì?",
     "theo Luật Mặt trận, cơ quan nào chủ trì?", "", True),
    # the outlet and its verb of reporting; what it reports on stays
    ("Theo Báo Hà Tĩnh đưa tin về Đại hội Chi bộ lần thứ IX: đồng chí nào được bầu Bí thư?",
     "về Đại hội Chi bộ lần thứ IX: đồng chí nào được bầu Bí thư?", "", True),
    # a letter's salutation; "hướng dẫn" asks when a colon or "giúp" follows it, not inside the question
    ("Kính gửi Ban Thường trực Ủy ban MTTQ huyện: mức chi tối đa cho người chủ trì là bao nhiêu?",
     "mức chi tối đa cho người chủ trì là bao nhiêu?", "", True),
    ("Đề nghị Văn phòng UBND huyện hướng dẫn: Ủy ban nhân dân xã báo cáo kết quả vào thời điểm nào?",
     "Ủy ban nhân dân xã báo cáo kết quả vào thời điểm nào?", "", True),
    ("Ban Thanh tra nhân dân do cơ quan nào trực tiếp chỉ đạo, hướng dẫn hoạt động?",
     "Ban Thanh tra nhân dân do cơ quan nào trực tiếp chỉ đạo, hướng dẫn hoạt động?", "", False),
    # what follows the question tells its purpose; a bracket or "theo …" after it scopes it
    ("Luật cấm những việc làm nào? Tôi muốn nhắc trước cả dân lẫn cán bộ để khỏi ai vi phạm.",
     "Luật cấm những việc làm nào?", "", True),
    ("Hương ước được thông qua khi có bao nhiêu % đại diện hộ tán thành? (theo NĐ 61/2023/NĐ-CP)",
     "Hương ước được thông qua khi có bao nhiêu % đại diện hộ tán thành? (theo NĐ 61/2023/NĐ-CP)", "", False),
    # an acronym's last letter ends a sentence ("HĐND."); "TP." goes on
    ("HĐND thành phố cho ông A thôi làm đại biểu HĐND. Xin cho biết có bao nhiêu đại biểu đồng ý?",
     "có bao nhiêu đại biểu đồng ý?", "HĐND thành phố cho ông A thôi làm đại biểu HĐND.", True),
    # the request word goes with its verb of asking, after a topic opening too
    ("Theo Báo Hà Tĩnh đưa tin về Đại hội Chi bộ lần thứ IX, đề nghị cho biết Chi bộ bầu mấy đồng chí?",
     "về Đại hội Chi bộ lần thứ IX, Chi bộ bầu mấy đồng chí?", "", True),
])
def test_split_frame(question, content, context, framed):
    f = split_frame(question)
    assert (f.content, f.context, bool(f.frame)) == (content, context, framed)


@pytest.mark.parametrize("question, slot", [
    ("Bí thư trúng cử với tỷ lệ phiếu bao nhiêu?", Slot("percent")),
    ("số đó chiếm bao nhiêu phần trăm", Slot("percent")),
    ("được hỗ trợ bao nhiêu tiền mỗi tháng?", Slot("money")),
    ("mức chi phúng viếng tối đa là bao nhiêu?", Slot("money")),
    ("phải trả lời trong thời gian bao lâu?", Slot("duration")),
    ("nhiệm kỳ của ban là mấy năm", Slot("duration")),
    ("đăng ký bao nhiêu mô hình dân vận khéo?", Slot("count", "mo hinh")),
    ("Ai là Trưởng ban Dân vận?", Slot()),
    ("Chi bộ tổ chức đại hội lần thứ mấy cho nhiệm kỳ mới?", Slot()),  # an ordinal, not a count of "cho …"
    ("các mô hình mang lại thu nhập bao nhiêu mỗi năm?", Slot()),  # a rate: no counted noun
    ("thành viên chính thức được bồi dưỡng bao nhiêu một ngày?", Slot()),  # "một ngày" is a rate, not a noun
    ("ông trúng cử với bao nhiêu phiếu?", Slot("count", "phieu")),
    ("phải có bao nhiêu người lao động cùng đề nghị?", Slot()),  # "lao động" is no "đồng"
    ("đơn vị ở Đức Cơ (Gia Lai) đã hỗ trợ gạo cho bao nhiêu gia đình?", Slot("count", "gia dinh")),  # no price
    ("được hỗ trợ bao nhiêu nghìn đồng?", Slot("money")),
])
def test_asked_slot(question, slot):
    assert asked_slot(folded_form(question)) == slot


@pytest.mark.parametrize("slot, sentence, held", [
    (Slot("percent"), "trúng cử với 100% số phiếu", True),
    (Slot("percent"), "đã đăng ký 112 mô hình", False),
    (Slot("money"), "hỗ trợ 10 tỷ đồng cho các xã nghèo", True),
    (Slot("money"), "mức sinh hoạt phí bằng hệ số 1,0 mức lương cơ sở", False),
    (Slot("duration"), "trả lời trong thời hạn 15 ngày", True),
    (Slot("duration"), "ngày 15 tháng 7 năm 2021", False),
    (Slot("duration"), "không ít hơn 30 (ba mươi) ngày kể từ ngày niêm yết", True),
    (Slot("count", "mo hinh"), "có 155 mô hình được đăng ký", True),
    (Slot("count", "mo hinh"), "có 155 hộ được hỗ trợ", False),
    (Slot("count", "dai dien"), "khi có trên 50% tổng số đại diện hộ gia đình tán thành", True),  # a share of them
    (Slot("count", "phieu"), "Với số phiếu tuyệt đối 86/86, ông đã trúng cử", True),  # the noun before its number
    (Slot("count", "mo hinh"), "mô hình Dân vận khéo năm 2021", False),  # a year is no count
    (Slot("count", "so"), "theo Quyết định số 33/2014/QĐ-TTg", False),  # nor a document's number
    (Slot(), "bất kỳ câu nào", None),
])
def test_holds_slot(slot, sentence, held):
    assert holds_slot(slot, folded_form(sentence)) is held


@pytest.mark.parametrize("question, needs", [
    ("Khoản 4 Điều 36 Luật THDC quy định gì?", [("clause", ["khoan 4"])]),
    ("diem d khoan 1 dieu 17 quy dinh gi", [("clause", ["khoan 1 diem d"])]),
    ("theo Luật Phòng, chống thiên tai thì", [("law", ["luat phong chong thien", "de muc phong chong thien"])]),
    ("Pháp lệnh thực hiện dân chủ ở xã năm 2007", [("law", ["phap lenh thuc hien dan"])]),
    ("Luật số 10/2022/QH15 quy định gì", []),  # a number, read as a document number elsewhere
    ("Luật MTTQ có quy định gì", []),  # an abbreviation is no title
])
def test_read_legal_needs(question, needs):
    assert [(k, keys) for k, _, keys, _ in read_legal_needs(question)] == needs


ARTICLE = "Điều 36. Tổ chức Ban\n1. Ban gồm …\n2. Nhiệm kỳ …\n3. Ban gồm:\na) Trưởng ban;\nb) Phó Trưởng ban;\n"


@pytest.mark.parametrize("key, written", [
    ("khoan 3", True), ("khoan 4", False), ("khoan 3 diem b", True), ("khoan 3 diem d", False),
])
def test_clause_written(key, written):
    assert clause_written(key, ARTICLE) is written


@pytest.mark.parametrize("question, keys", [
    # the asking clause points back to the situation ("ông này"): the situation's constraints are the question's
    ("Tôi đọc tin Trưởng ban Dân vận Huyện ủy Bắc Bình bị bắt. Vậy ông này bị tạm giam bao lâu?",
     ("bac binh",)),
    ("Ngày 1/10/2018, HĐND tỉnh Thanh Hóa đã bầu chủ tịch UBND tỉnh. Người đó là ai?", ("thanh hoa",)),
])
def test_referent_constraints(question, keys):
    from assistant.understand.query import understand
    assert keys in [n.keys for n in understand(question).needs if n.kind in ("place", "name")]


@pytest.mark.parametrize("question, needs_place", [
    # a situation that the clause does not point back to only guides the search
    ("Tôi đọc tin ở Bắc Bình. Trưởng ban Thanh tra nhân dân có nhiệm kỳ mấy năm?", False),
])
def test_situation_without_referent_constrains_nothing(question, needs_place):
    from assistant.understand.query import understand
    assert any(n.kind == "place" for n in understand(question).needs) is needs_place


@pytest.mark.parametrize("question, role", [
    ("Trong trường hợp này, ai đứng ra tổ chức việc bầu bổ sung?", []),  # "trường hợp" is no "Trưởng …"
    ("Phó Bí thư Quân ủy Trung ương là ai?", ["pho", "bi", "thu", "quan", "uy", "trung", "uong"]),
    ("pho bi thu quan uy trung uong la ai", ["pho", "bi", "thu", "quan", "uy", "trung", "uong"]),
])
def test_asked_role_written_title(question, role):
    from assistant.understand.query import understand
    assert understand(question).role == role
