"""The administrative level a text speaks of (assistant/understand/levels.py): table tests, and on a real store
a question about the commune's Front that the province's line does not answer (issue 25)."""
from __future__ import annotations

import pytest

from assistant.understand.levels import levels_of, other_level
from conftest import LAW, corpus_assistant


@pytest.mark.parametrize("text, levels", [
    ("Ủy viên Ủy ban Mặt trận Tổ quốc cấp xã không hưởng lương", {"xã"}),
    ("Ủy viên Ủy ban Mặt trận Tổ quốc cấp tỉnh được hỗ trợ", {"tỉnh"}),
    ("Chủ tịch UBND xã tôi hỏi", {"xã"}),
    ("Ban Cứu trợ cấp huyện, cấp xã mở tài khoản tại Kho bạc nhà nước huyện", {"huyện", "xã"}),
    ("Ủy ban trung ương Mặt trận Tổ quốc Việt Nam", {"trung ương"}),  # "trung ương" is no place's name
    ("Ban Dân vận TW", {"trung ương"}),
    ("Ủy ban nhân dân phường, thị trấn", {"xã"}),
    ("các quận, thị xã", {"huyện"}),
    # places and committees name no level
    ("Chủ tịch UBND xã Phước Vinh cho biết", set()),
    ("tỉnh Sóc Trăng", set()),
    ("phường 3", set()),
    ("thị xã Hồng Lĩnh", set()),
    ("Ban Dân vận Tỉnh ủy Nghệ An", set()),
    ("thành phố Hà Nội", set()),
    ("tỉnh, thành phố trực thuộc trung ương", {"tỉnh"}),  # a province's kind, not the centre
    ("công tác tư pháp", set()),
])
def test_levels_of(text, levels):
    assert levels_of(text) == frozenset(levels)


@pytest.mark.parametrize("asked, sentence, other", [
    ({"xã"}, "Ủy viên Ủy ban Mặt trận Tổ quốc cấp tỉnh được hỗ trợ 230.000 đồng", {"tỉnh"}),
    ({"xã"}, "Ban Cứu trợ cấp huyện, cấp xã mở tài khoản", set()),  # the asked level too
    ({"xã"}, "Ủy viên được hỗ trợ sinh hoạt phí", set()),  # no level said
    (set(), "Ủy viên Ủy ban Mặt trận Tổ quốc cấp tỉnh", set()),  # none asked
])
def test_other_level(asked, sentence, other):
    assert other_level(frozenset(asked), sentence) == frozenset(other)


@pytest.fixture(scope="module")
def allowances(tmp_path_factory, shared_embed_cache):
    """Quyết định 33/2014/QĐ-TTg's article on allowances (the centre's, the province's and the district's
    members: none for the commune's) and its neighbours."""
    files = [LAW / f"phapdien_35.4.QĐ.2.{n}.txt" for n in (1, 3, 5, 6)]
    a = corpus_assistant(tmp_path_factory.mktemp("levels-store"), files, shared_embed_cache)
    yield a
    a.close()


def test_the_province_s_line_does_not_answer_for_the_commune(allowances):
    """The province's allowance is another level's line for the commune's question: an unmet constraint, so it
    neither leads nor is found; for the province's question the same line meets it."""
    commune = allowances.pipeline("Ủy viên Ủy ban Mặt trận Tổ quốc cấp xã được hỗ trợ sinh hoạt phí bao nhiêu tiền "
                                  "một tháng?")
    line = next(s for s in commune.sentences if "cấp tỉnh" in s.text and "230.000" in s.text)
    assert [n.kind for n in line.unmet] == ["level"] and line.unmet[0].value == "cấp xã", line.unmet
    ans = allowances.ask("Ủy viên Ủy ban Mặt trận Tổ quốc cấp xã được hỗ trợ sinh hoạt phí bao nhiêu tiền một tháng?")
    assert not ans.found and "230.000" not in ans.answer.split("Gần nhất")[0], ans.answer
    province = allowances.pipeline("Ủy viên Ủy ban Mặt trận Tổ quốc cấp tỉnh được hỗ trợ sinh hoạt phí bao nhiêu "
                                   "tiền một tháng?")
    line = next(s for s in province.sentences if "cấp tỉnh" in s.text and "230.000" in s.text)
    assert not line.unmet, line.unmet
