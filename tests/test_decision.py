"""Found or not found on the seeds store (issue 25): the frame never refuses, the asked slot must be held,
a long question is answered as its short form, several parts are each answered or named missing."""
import pytest

from assistant.answer.decide import QUESTION_FEATURES, load_model
from assistant.answer.render import NOT_FOUND, PART_NOT_FOUND

SHORT = "Năm 2021 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình Dân vận khéo?"
SITUATION = ("Xã tôi năm nay được huyện giao xây dựng mô hình Dân vận khéo, anh em trong Đảng ủy bàn nhiều nhưng chưa "
             "biết các nơi khác làm đến đâu. Tôi được giao tìm hiểu kinh nghiệm của các huyện bạn để báo cáo Thường "
             "trực Đảng ủy trong cuộc họp tháng tới, nhất là về số lượng mô hình và cách chọn lĩnh vực. Tôi có đọc "
             "trên Báo Hà Tĩnh mấy bài nhưng không còn giữ lại. ")


@pytest.mark.parametrize("question", [
    SHORT,
    "Đề nghị Ban Dân vận Huyện ủy cho biết năm 2021 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình Dân vận khéo?",
    "Theo tin của Báo Hà Tĩnh, năm 2021 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình Dân vận khéo?",
    SITUATION + "Đề nghị Ban Dân vận cho biết năm 2021 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình Dân vận khéo? "
                "Xin cảm ơn!",
])
def test_the_frame_never_refuses(seeds_assistant, question):
    """Who asks, whom it is addressed to, the outlet and the situation told first guide the search only: each
    form gets the short form's answer."""
    short = seeds_assistant.ask(SHORT)
    ans = seeds_assistant.ask(question)
    assert ans.found and "155 mô hình" in ans.answer, ans.answer
    assert [c.doc_id for c in ans.citations][:1] == [c.doc_id for c in short.citations][:1]
    assert len(question) < 200 or len(question) > 400  # the long form is a real situation, not a padded line


def test_a_count_is_no_percentage(seeds_assistant):
    ans = seeds_assistant.ask("Năm 2021 huyện Cẩm Xuyên đăng ký mô hình Dân vận khéo chiếm bao nhiêu phần trăm số thôn?")
    assert not ans.found and ans.answer.startswith(NOT_FOUND)
    assert "không nêu tỷ lệ phần trăm" in ans.answer and "155" in (ans.nearest or "")
    assert [c.kind for c in ans.unmet] == ["slot"]


def test_two_parts_each_answered(seeds_assistant):
    ans = seeds_assistant.ask("Năm 2018 Hồng Lĩnh đăng ký bao nhiêu mô hình Dân vận khéo, và bao nhiêu mô hình "
                              "được công nhận?")
    assert ans.found and "112" in ans.answer and "65" in ans.answer, ans.answer
    assert len(ans.parts) == 2 and all(p.found for p in ans.parts)
    assert "parts" in ans.to_dict()


def test_a_missing_part_is_named(seeds_assistant):
    """A several-part question whose second part asks for a sum of money the documents do not give."""
    ans = seeds_assistant.ask("Năm 2018 Hồng Lĩnh đăng ký bao nhiêu mô hình Dân vận khéo, và tổng kinh phí "
                              "hỗ trợ các mô hình là bao nhiêu tiền?")
    assert not ans.found and "112" in ans.answer, ans.answer  # answered in part, the lacking part named
    assert [p.found for p in ans.parts] == [True, False] and PART_NOT_FOUND in ans.answer
    assert "kinh phí" in ans.answer.split(PART_NOT_FOUND)[1]


def test_the_model_file_matches_the_features():
    model = load_model()
    assert model.names == QUESTION_FEATURES and 0 < model.threshold < 1
    assert len(model.coef) == len(model.mean) == len(model.scale) == len(QUESTION_FEATURES)
