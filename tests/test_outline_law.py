"""Pure rules of the law outline (assistant/outline_law.py) and of whole-claim points: table tests."""
import pytest

from assistant.outline import classify
from assistant.outline_law import as_point, choose_instrument, issued_line, named_instrument, section_of
from assistant.speech_text import claim_before_list, is_enumeration, split_long
from assistant.types import Passage


@pytest.mark.parametrize("heading, key", [
    ("Phạm vi điều chỉnh", "scope"), ("Hiệu lực thi hành", "scope"), ("Nguyên tắc thực hiện dân chủ ở cơ sở", "principle"),
    ("Quyền của công dân trong thực hiện dân chủ ở cơ sở", "rights"),
    ("Những nội dung Nhân dân bàn và quyết định", "rights"),
    ("Trách nhiệm của Ủy ban Mặt trận Tổ quốc Việt Nam các cấp", "duty"),
    ("Trách nhiệm trong việc tổ chức để Nhân dân tham gia ý kiến", ""),
    ("Các biện pháp bảo đảm thực hiện dân chủ ở cơ sở", "task"),
    ("Giải thích từ ngữ", ""),
])
def test_section_of_heading(heading, key):
    assert section_of(heading) == key


@pytest.mark.parametrize("topic, named", [
    ("Luật Thực hiện dân chủ ở cơ sở", ("luật", "")),
    ("Nghị định 59/2023/NĐ-CP", ("nghị định", "59/2023/NĐ-CP")),
    ("mô hình Dân vận khéo", None),
])
def test_named_instrument(topic, named):
    assert named_instrument(topic) == named


def _law(inst: str, n: int) -> Passage:
    return Passage(chunk_id=f"{inst}{n}", doc_id=f"{inst}{n}", source="", title="", text="", meta={"instrument": inst})


def test_choose_instrument_by_type_and_rank():
    ps = [_law("Nghị định số 59/2023/NĐ-CP", 1), _law("Luật số 10/2022/QH15", 2), _law("Luật số 75/2015/QH13", 3)]
    assert choose_instrument("Luật Thực hiện dân chủ ở cơ sở", ps) == "Luật số 10/2022/QH15"
    assert choose_instrument("Luật 75/2015/QH13", ps) == "Luật số 75/2015/QH13"
    assert choose_instrument("Chỉ thị 20-CT/ThU", ps) == ""


def test_point_keeps_whose_duty_it_is():
    p = as_point("Trách nhiệm của Công đoàn Việt Nam các cấp", "Tổ chức vận động người lao động thực hiện dân chủ.")
    assert p.startswith("Trách nhiệm của Công đoàn Việt Nam các cấp: tổ chức vận động")
    assert as_point("Hiệu lực thi hành", "Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2023.") \
        == "Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2023."


def test_issued_line_gives_number_date_and_effective_date():
    p = Passage(chunk_id="c", doc_id="d", source="", title="", text=(
        "Điều 44.13.LQ.1. Phạm vi điều chỉnh\n\n(Điều 1 Luật số 10/2022/QH15 Luật thực hiện dân chủ ở cơ sở ngày "
        "10/11/2022 của Quốc hội, có hiệu lực thi hành kể từ ngày 01/07/2023)\n\nLuật này quy định …"))
    assert issued_line(p) == ("Luật số 10/2022/QH15 Luật thực hiện dân chủ ở cơ sở ngày 10/11/2022 của Quốc hội, "
                              "có hiệu lực thi hành kể từ ngày 01/07/2023.")


@pytest.mark.parametrize("piece, is_list", [
    ("Cán bộ nghỉ hưu, bí thư chi bộ, cán bộ công chức, nhân sĩ trí thức; chức sắc, chức việc tôn giáo; thầy cúng…", True),
    ("Các mô hình Dân vận khéo bước đầu đã tạo sức lan tỏa trong cộng đồng, được nhân dân đồng tình.", False),
])
def test_enumeration_is_no_point(piece, is_list):
    assert is_enumeration(piece) is is_list


def test_the_claim_before_a_list_is_kept_with_its_figure():
    s = ("Năm 2017, số người có uy tín trên địa bàn tỉnh là 2.168 người, trong đó nam có 1.903 người, nữ có 265 "
         "người, thuộc các thành phần: già làng, trưởng bản; trưởng họ, dòng tộc; trưởng thôn, bản, khối phố; "
         "cán bộ nghỉ hưu, bí thư chi bộ; chức sắc, chức việc tôn giáo; thầy cúng, thầy mo, bà bòng…")
    claim = claim_before_list(s)
    assert claim.endswith("nữ có 265 người.") and "2.168 người" in claim
    assert split_long(s) == [claim]


@pytest.mark.parametrize("point, kind", [
    ("Khái quát thực trạng đội ngũ cán bộ nữ cho thấy, tổng số cán bộ nữ ở các cơ quan là 7.521 người.", "context"),
    ("Cần tiếp tục đổi mới nội dung, phương thức vận động quần chúng ở cơ sở.", "task"),
])
def test_a_task_cue_holds_with_its_accents(point, kind):
    assert classify(point) == kind
