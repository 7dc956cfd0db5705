"""Only an elliptical question is completed from the conversation; a question with its own subject stands alone."""
from __future__ import annotations

import pytest

from assistant.understand.followup import is_elliptical, resolve_follow_up

PREV = "Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?"


@pytest.mark.parametrize("question, elliptical", [
    ("Còn năm 2019 thì sao?", True),
    ("Ở Cẩm Xuyên thì sao?", True),
    ("Còn huyện Cẩm Xuyên?", True),
    ("Năm 2020?", True),
    ("Thì sao?", True),
    ("Còn Nghệ An thì sao?", True),
    ("Giá vàng hôm nay bao nhiêu?", False),  # short, but has a subject of its own
    ("Ai là Bí thư Chi bộ?", False),
    ("Hà Tĩnh có bao nhiêu mô hình?", False),
    ("Kết quả thế nào?", False),
    ("dan van kheo cam xuyen co bao nhieu mo hinh", False),
    ("", False),
])
def test_is_elliptical(question, elliptical):
    assert is_elliptical(question) is elliptical


@pytest.mark.parametrize("question, history, expected", [
    ("Còn năm 2019 thì sao?", [(PREV, "")], PREV.replace("2018", "2019")),
    ("Còn huyện Cẩm Xuyên?", [(PREV, "")], PREV.replace("thị xã Hồng Lĩnh", "huyện Cẩm Xuyên")),
    ("Còn ở Cẩm Xuyên năm 2021?", [(PREV, "")], "Năm 2021 Cẩm Xuyên đăng ký bao nhiêu mô hình dân vận khéo?"),
    # The case: an unrelated question after a question is left exactly as typed.
    ("Giá vàng hôm nay bao nhiêu?", [("dan van kheo cam xuyen co bao nhieu mo hinh", "")],
     "Giá vàng hôm nay bao nhiêu?"),
    ("Còn năm 2019 thì sao?", [], "Còn năm 2019 thì sao?"),
    ("Còn năm 2019 thì sao?", None, "Còn năm 2019 thì sao?"),
])
def test_resolve_follow_up(question, history, expected):
    assert resolve_follow_up(question, history) == expected
