"""A person question's position, and whether a sentence writes it (assistant/understand/roles.py): table tests."""
from __future__ import annotations

import pytest

from assistant.understand.query import understand
from assistant.understand.roles import Position, read_position, writes_position
from vntext import folded_form, tokens


def _position(question: str) -> Position | None:
    q = understand(question)
    return read_position(q.role, [n.keys[0] for n in q.needs if n.kind in ("place", "name")])


@pytest.mark.parametrize("question,title,body,parent", [
    ("Đồng chí Phó chủ tịch HĐND tỉnh Quảng Nam là ai?", "pho chu tich", "hoi dong nhan dan", None),
    ("Đồng chí Chánh Văn phòng Thành uỷ Đà Nẵng là ai?", "chanh van phong", "", "thanh uy"),
    ("Đồng chí nào đang giữ chức Trưởng Ban Tổ chức Tỉnh ủy Gia Lai?", "truong", "ban to chuc", "tinh uy"),
    # the position's own body is "Chi bộ"; "Ban Dân vận Tỉnh ủy" is the parent's name
    ("Ai được bầu làm Bí thư Chi bộ Ban Dân vận Tỉnh ủy Hà Tĩnh nhiệm kỳ 2020 - 2025?", "bi thu", "chi bo", "tinh uy"),
    ("Ai là Phó trưởng ban Thường trực Ban Tuyên giáo Trung ương?", "pho truong", "ban thuong truc", "trung uong"),
    ("Ai đang giữ chức Chủ tịch UBND thành phố Lạng Sơn?", "chu tich", "uy ban nhan dan", None),
    ("Bí thư Tỉnh ủy Gia Lai là ai?", "bi thu", "", "tinh uy"),
])
def test_read_position(question, title, body, parent):
    pos = _position(question)
    assert pos == Position(tuple(title.split()), tuple(body.split()), parent)


@pytest.mark.parametrize("question", ["Ban Dân vận Tỉnh ủy có bao nhiêu cán bộ?", "Đồng chí Ngô Văn Huỳnh giữ chức vụ gì?"])
def test_no_position_asked(question):
    assert _position(question) is None


@pytest.mark.parametrize("question,sentence,writes", [
    ("Ai là Chủ tịch UBND thành phố Lạng Sơn?", "Ông A, Chủ tịch Ủy ban nhân dân thành phố, phát biểu.", True),
    ("Ai là Chủ tịch UBND thành phố Lạng Sơn?", "Ông B, Phó Chủ tịch Ủy ban nhân dân thành phố.", False),  # deputy
    ("Ai là Phó Chủ tịch HĐND tỉnh Quảng Nam?", "Bà C, Phó Chủ tịch Thường trực Hội đồng nhân dân tỉnh.", True),
    # "Phó chủ tịch Quốc hội … Hội đồng nhân dân": title and body not written together
    ("Ai là Phó Chủ tịch HĐND tỉnh Quảng Nam?",
     "Ông D từng là Phó chủ tịch Quốc hội, Bí thư Thành ủy, Chủ tịch Hội đồng nhân dân thành phố.", False),
    ("Ai là Trưởng Ban Tổ chức Tỉnh ủy Gia Lai?", "Ông E, Trưởng Ban Tổ chức Trung ương, trao quyết định.", False),
    ("Ai là Trưởng Ban Tổ chức Tỉnh ủy Gia Lai?", "Ông F, Trưởng Ban Tổ chức Tỉnh ủy, phát biểu.", True),
    ("Ai là Chánh Văn phòng Thành uỷ Đà Nẵng?", "Ông G, trưởng phòng tổng hợp - Văn phòng Thành uỷ Đà Nẵng.", False),
    ("Ai được bầu làm Bí thư Chi bộ Ban Dân vận Tỉnh ủy Hà Tĩnh?",
     "Đồng chí H, Phó Trưởng ban Dân vận Tỉnh ủy được bầu giữ chức Bí thư Chi bộ.", True),
])
def test_writes_position(question, sentence, writes):
    assert writes_position(_position(question), tokens(folded_form(sentence))) is writes
