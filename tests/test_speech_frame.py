"""A speech request read as phrases (assistant/speech/speech_frame.py): table tests."""
import pytest

from assistant.speech.speech_frame import find_place, occasion_object, read_request

FRAMES = [
    # the speaker's act at a gathering opens the occasion ("khai mạc hội nghị …", "chào mừng Đại hội …")
    ("Lập dàn ý phát biểu của Chủ tịch Ủy ban Mặt trận Tổ quốc huyện khai mạc hội nghị triển khai công tác giám sát",
     dict(speaker="Chủ tịch Ủy ban Mặt trận Tổ quốc huyện", occasion="hội nghị triển khai công tác giám sát",
          topic="công tác giám sát")),
    ("Soạn dàn ý phát biểu của đồng chí Bí thư chào mừng Đại hội Hội Nông dân xã lần thứ X",
     dict(speaker="đồng chí Bí thư", occasion="Đại hội Hội Nông dân xã lần thứ X")),
    # the occasion first, then who asks for the draft
    ("Hội nghị kiện toàn Ban Thanh tra nhân dân xã, tôi là Chủ tịch Ủy ban Mặt trận Tổ quốc xã cần dàn ý phát biểu",
     dict(occasion="Hội nghị kiện toàn Ban Thanh tra nhân dân xã", speaker="Chủ tịch Ủy ban Mặt trận Tổ quốc xã",
          topic="kiện toàn Ban Thanh tra nhân dân xã")),
    ("Soạn dàn ý bài phát biểu của lãnh đạo Ban Dân vận tại hội nghị triển khai Luật Thực hiện dân chủ ở cơ sở",
     dict(speaker="lãnh đạo Ban Dân vận", occasion="hội nghị triển khai Luật Thực hiện dân chủ ở cơ sở",
          topic="Luật Thực hiện dân chủ ở cơ sở", place="")),
    ("Soạn dàn ý phát biểu tại buổi nói chuyện với già làng, người có uy tín trong đồng bào dân tộc thiểu số "
     "tỉnh Lạng Sơn",
     dict(occasion="buổi nói chuyện với già làng, người có uy tín trong đồng bào dân tộc thiểu số tỉnh Lạng Sơn",
          audience="già làng, người có uy tín trong đồng bào dân tộc thiểu số tỉnh Lạng Sơn",
          topic="già làng, người có uy tín trong đồng bào dân tộc thiểu số", place="tỉnh Lạng Sơn")),
    ("Soạn dàn ý phát biểu tại lễ ký kết chương trình phối hợp công tác dân vận ở Nghệ An",
     dict(occasion="lễ ký kết chương trình phối hợp công tác dân vận ở Nghệ An",
          topic="chương trình phối hợp công tác dân vận", place="Nghệ An")),
    ("Soạn dàn ý phát biểu tại hội nghị sơ kết mô hình Dân vận khéo của thị xã Hồng Lĩnh",
     dict(occasion="hội nghị sơ kết mô hình Dân vận khéo của thị xã Hồng Lĩnh", topic="mô hình Dân vận khéo",
          place="thị xã Hồng Lĩnh")),
    ("Dàn ý phát biểu tại hội nghị sơ kết 6 tháng đầu năm 2021 về công tác dân vận",
     dict(occasion="hội nghị sơ kết 6 tháng đầu năm 2021", topic="công tác dân vận", period="2021")),
    ("Dàn ý phát biểu của Trưởng ban Dân vận Huyện ủy tại hội nghị tổng kết hoạt động các Ban Chỉ đạo huyện Cẩm "
     "Xuyên năm 2021",  # the place after an organisation's name is a place; the period is scope, not topic
     dict(topic="hoạt động các Ban Chỉ đạo", place="huyện Cẩm Xuyên", period="2021",
          speaker="Trưởng ban Dân vận Huyện ủy")),
    ("Soạn dàn ý phát biểu về nhân rộng mô hình Dân vận khéo",
     dict(occasion="", speaker="", topic="nhân rộng mô hình Dân vận khéo")),
    # the speaker's act with no gathering named: the act and whom it meets are the occasion, not the speaker's title
    ("Cho tôi dàn ý bài nói chuyện của đồng chí Bí thư Huyện ủy gặp mặt cựu chiến binh nhân kỷ niệm Ngày Thương binh "
     "Liệt sỹ",
     dict(speaker="đồng chí Bí thư Huyện ủy", occasion="gặp mặt cựu chiến binh nhân kỷ niệm Ngày Thương binh Liệt sỹ",
          topic="cựu chiến binh nhân kỷ niệm Ngày Thương binh Liệt sỹ", place="")),
    # … and the unit the speaker holds office in is then the only place the request names: the speech's place
    ("Cho tôi dàn ý bài nói chuyện của đồng chí Bí thư Huyện ủy Vị Xuyên gặp mặt cựu chiến binh",
     dict(speaker="đồng chí Bí thư Huyện ủy Vị Xuyên", topic="cựu chiến binh", place="huyện Vị Xuyên")),
    # the asker's own words up to the kind of speech are the request; a bare request's list is the matters
    ("Tôi được giao chuẩn bị ý cho lãnh đạo phát biểu tại lễ ký kết chương trình phối hợp công tác dân vận. Cho "
     "tôi các ý chính: kết quả phối hợp thời gian qua, nội dung phối hợp của chương trình mới",
     dict(topic="chương trình phối hợp công tác dân vận", context="",
          aspects=("kết quả phối hợp thời gian qua", "nội dung phối hợp của chương trình mới"))),
    # the parties of a working session are no matter: what it is about ("về …") is the topic
    ("Lập đề cương phát biểu của đồng chí Bí thư tại buổi làm việc giữa Thường trực Huyện ủy với Hội Liên hiệp Phụ nữ "
     "huyện về công tác cán bộ nữ",
     dict(speaker="đồng chí Bí thư", topic="công tác cán bộ nữ", audience="Hội Liên hiệp Phụ nữ huyện")),
    ("Dàn ý phát biểu của Trưởng ban Dân vận Huyện ủy tại hội nghị tổng kết 5 năm thực hiện Chỉ thị 20-CT/ThU",
     dict(speaker="Trưởng ban Dân vận Huyện ủy", topic="thực hiện Chỉ thị 20-CT/ThU")),
    ("Dàn ý phát biểu trước hội viên Hội Cựu chiến binh về phong trào thi đua giai đoạn 2018 - 2020",
     dict(audience="hội viên Hội Cựu chiến binh", topic="phong trào thi đua",
          period="2018-2020")),
]


# The request's head in any order, typed with or without accents, and a "về" phrase joined to the occasion's object.
HEADS = [
    ("Soạn giúp tôi dàn ý bài phát biểu của đồng chí Bí thư Đảng ủy xã tại hội nghị sơ kết phong trào Dân vận khéo",
     dict(speaker="đồng chí Bí thư Đảng ủy xã", topic="phong trào Dân vận khéo")),
    ("Cho tôi các ý chính để phát biểu tại lễ ký kết chương trình phối hợp giữa Mặt trận xã và Hội Nông dân",
     dict(topic="chương trình phối hợp giữa Mặt trận xã và Hội Nông dân")),
    ("lap de cuong bai noi chuyen quan triet Luat Thuc hien dan chu o co so",
     dict(topic="quan triet Luat Thuc hien dan chu o co so")),
    ("Soạn dàn ý phát biểu tại hội nghị sơ kết 01 năm thực hiện Chỉ thị 05 về xây dựng nông thôn mới",
     dict(occasion="hội nghị sơ kết 01 năm thực hiện Chỉ thị 05",
          topic="thực hiện Chỉ thị 05 về xây dựng nông thôn mới")),
]


@pytest.mark.parametrize("request_text, expected", FRAMES + HEADS)
def test_request_frame(request_text, expected):
    frame = read_request(request_text)
    for key, value in expected.items():
        assert getattr(frame, key) == value, (key, frame)


@pytest.mark.parametrize("occasion, act, obj", [
    ("hội nghị sơ kết mô hình Dân vận khéo", "sơ kết", "mô hình Dân vận khéo"),
    ("lễ ký kết chương trình phối hợp", "ký kết", "chương trình phối hợp"),
    ("hội nghị tổng kết 5 năm thực hiện Chỉ thị 20", "tổng kết", "thực hiện Chỉ thị 20"),
    ("buổi tiếp xúc cử tri", "tiếp xúc", "cử tri"),
])
def test_occasion_object(occasion, act, obj):
    assert occasion_object(occasion) == (act, obj)


@pytest.mark.parametrize("text, place", [
    ("đồng bào dân tộc thiểu số tỉnh Lạng Sơn", "tỉnh Lạng Sơn"),
    ("phóng viên Thông tấn xã Việt Nam", None),
    ("chương trình phối hợp ở Nghệ An", "Nghệ An"),
    ("Huyện Cẩm Xuyên tổ chức", "huyện Cẩm Xuyên"),
    ("công tác dân vận ở cơ sở", None),
    ("hội thảo ở Nhà Quốc hội chiều 21/6", None),  # a building named on in lower case ("Quốc hội")
    ("đại lễ cầu siêu tại Nghĩa trang liệt sỹ Quốc gia", None),  # one capitalised word of a common noun
    ("hội nghị ở Huế năm 2019", "Huế"),
])
def test_find_place(text, place):
    found = find_place(text)
    assert (found[0] if found else None) == place


@pytest.mark.parametrize("speaker, place", [
    ("đồng chí Bí thư Huyện ủy Vị Xuyên", "huyện Vị Xuyên"),
    ("Phó Chủ tịch UBMTTQ huyện Bình Sơn", "huyện Bình Sơn"),
    ("Bí thư Tỉnh ủy Hà Tĩnh", "tỉnh Hà Tĩnh"),
    ("đ/c Bí thư HU", ""),
    ("Chủ tịch Ủy ban Mặt trận Tổ quốc huyện", ""),
])
def test_the_place_of_a_speaker_s_unit(speaker, place):
    from assistant.speech.speech_frame import speaker_place
    assert speaker_place(speaker) == place


def test_a_document_number_gives_no_period():
    frame = read_request("Soạn dàn ý phát biểu tại hội nghị phổ biến Nghị định 59/2023/NĐ-CP cho cán bộ thôn")
    assert frame.period == "" and frame.topic.startswith("Nghị định 59/2023/NĐ-CP"), frame


DRAFTING = [
    ("Xã tôi sắp tổng kết phong trào. Soạn giúp tôi dàn ý phát biểu. Cần có kết quả năm nay của xã.", True),
    ("Cho tôi các ý chính để phát biểu tại hội nghị giám sát", True),
    ("Tôi sẽ phát biểu tại hội nghị tổng kết. Vậy cho tôi hỏi năm 2018 có bao nhiêu mô hình?", False),
    ("Đề cương tuyên truyền của tỉnh nêu mấy nhiệm vụ?", False),  # a document asked about
    ("Lap de cuong bai noi chuyen voi cuu chien binh xa", True),
]


@pytest.mark.parametrize("message,drafting", DRAFTING)
def test_a_request_to_draft_is_read_whole(message, drafting):
    """A request to draft anywhere in the message makes it a speech request, read whole (its situation is its
    content); a situation that only mentions speaking does not."""
    from assistant.understand.query import understand
    q = understand(message)
    assert (q.mode == "talking_points") == drafting, q.mode
    if drafting:
        assert q.context == ""


# A request of several sentences: the sentence that asks for the draft gives the frame; the others tell the matter
# (from their first gathering or act on), searched for and matched, never said in the opening.
SEVERAL_SENTENCES = [
    ("Đồng chí Bí thư vừa dự hội nghị sơ kết phong trào Dân vận khéo năm 2021 của huyện Cẩm Xuyên. "
     "Soạn dàn ý để đồng chí phát biểu triển khai nhiệm vụ năm tới cho khối dân vận xã.",
     dict(context="hội nghị sơ kết phong trào Dân vận khéo năm 2021 của huyện Cẩm Xuyên", period="2021",
          place="huyện Cẩm Xuyên")),
    ("Dàn ý phát biểu khai mạc hội nghị giám sát của Mặt trận xã. Tôi muốn mở đầu bằng kết quả tổng kết 5 năm "
     "thực hiện Quyết định 217 về giám sát.",
     dict(topic="khai mạc hội nghị giám sát của Mặt trận xã",
          context="tổng kết 5 năm thực hiện Quyết định 217 về giám sát")),
    ("Thôn sắp họp bàn sửa đổi hương ước. Soạn dàn ý phát biểu tại cuộc họp thôn về hương ước mới.",
     dict(context="Thôn sắp họp bàn sửa đổi hương ước", occasion="cuộc họp thôn")),  # no gathering word: all of it
    ("Soạn dàn ý phát biểu tại hội nghị sơ kết mô hình Dân vận khéo", dict(context="")),  # one sentence: no matter
    # a clause after ";" that says who speaks
    ("Cho tôi dàn ý bài nói chuyện quán triệt Luật Thực hiện dân chủ ở cơ sở tại hội nghị cán bộ chủ chốt các xã; "
     "người trình bày là đồng chí Phó Trưởng ban Dân vận Huyện ủy.",
     dict(occasion="hội nghị cán bộ chủ chốt các xã", speaker="đồng chí Phó Trưởng ban Dân vận Huyện ủy")),
    # "khi …" says what the speaker is there for: the occasion, not the speaker's title
    ("Soạn dàn ý phát biểu của đồng chí Bí thư Đoàn huyện khi thăm chiến sĩ tình nguyện đang làm đường giao thông "
     "nông thôn tại lễ ra quân chiến dịch",
     dict(speaker="đồng chí Bí thư Đoàn huyện")),
]


@pytest.mark.parametrize("request_text, expected", SEVERAL_SENTENCES)
def test_a_request_of_several_sentences(request_text, expected):
    frame = read_request(request_text)
    for key, value in expected.items():
        assert getattr(frame, key) == value, (key, frame)


@pytest.mark.parametrize("request_text, kept, dropped", [
    # who chaired (a name after a form of address) and what a count says are no constraint on the material
    ("hội nghị sơ kết năm 2021 của Ban Dân vận Tỉnh ủy do đồng chí Đinh Văn An chủ trì", {"year"}, {"Đinh Văn An"}),
    # the names of what the speech is about, and its document, stay
    ("vận động giải phóng mặt bằng dự án đoạn Dốc Sỏi - Tịnh Phong", {"name"}, set()),
    ("triển khai Nghị định 61/2023/NĐ-CP ở Nghệ An", {"document"}, set()),
])
def test_a_speech_is_constrained_by_its_scope_only(request_text, kept, dropped):
    from assistant.speech.speech_frame import scope_only
    from assistant.understand.evidence import DOCUMENT
    from assistant.understand.query import understand
    qt = understand(request_text, mode="talking_points")
    scoped = scope_only(qt)
    # the speech's document is met by a report naming it anywhere, not only in the sentence said
    assert all(n.scope == DOCUMENT for n in scoped.needs if n.kind == "document")
    assert kept <= {n.kind for n in scoped.needs}, scoped.needs
    assert not dropped & {n.value for n in scoped.needs}, scoped.needs
    assert dropped <= {n.value for n in qt.needs}, qt.needs  # it was read as a constraint, and is dropped


@pytest.mark.parametrize("request_text, opening", [
    # the occasion's object is said once, what the request adds after it ("về …") follows
    ("Soạn dàn ý phát biểu của đồng chí Trưởng ban Dân vận Thị ủy tại hội nghị sơ kết 01 năm thực hiện Chỉ thị "
     "20-CT/ThU về nâng cao chất lượng hoạt động chi đoàn",
     "Phát biểu của đồng chí Trưởng ban Dân vận Thị ủy tại hội nghị sơ kết 01 năm thực hiện Chỉ thị 20-CT/ThU về "
     "nâng cao chất lượng hoạt động chi đoàn."),
    ("Soạn dàn ý phát biểu tại hội nghị triển khai Luật Thực hiện dân chủ ở cơ sở",
     "Phát biểu tại hội nghị triển khai Luật Thực hiện dân chủ ở cơ sở."),
    # an act, not a gathering: one speaks "khi" doing it, not "tại" it
    ("Giúp tôi dàn ý phát biểu của đồng chí Phó Trưởng ban Dân vận Quận ủy Gò Vấp khi thăm, động viên chiến sĩ Mùa hè "
     "xanh 2018 đang khơi thông rạch Bà Miêng",
     "Phát biểu của đồng chí Phó Trưởng ban Dân vận Quận ủy Gò Vấp khi thăm, động viên chiến sĩ Mùa hè xanh 2018 "
     "đang khơi thông rạch Bà Miêng."),
])
def test_the_opening_says_the_occasion_and_the_topic_once(request_text, opening):
    from assistant.speech.outline import SpeechOptions, _opening
    frame = read_request(request_text)
    said = _opening(frame.topic, SpeechOptions(occasion=frame.occasion, audience=frame.audience), frame.speaker)
    assert said == opening


@pytest.mark.parametrize("request_text, speech", [
    ("Giúp tôi các ý chính để lãnh đạo huyện đối thoại với các hộ còn vướng giải phóng mặt bằng", True),  # spoken
    ("giup toi cac y chinh de doi thoai voi ba con", True),
    ("Nêu các nhiệm vụ trọng tâm công tác dân vận 6 tháng cuối năm 2021", False),  # a list question
    ("Nêu những nội dung chính của quy chế tiếp xúc, đối thoại trực tiếp với nhân dân", False),  # what it is about
    ("Đề nghị nêu các ý chính của buổi đối thoại", False),  # "đề nghị" folds like "để"
])
def test_a_dialogue_is_a_speech(request_text, speech):
    from assistant.speech.speech_frame import SPEECH_RE
    from vntext import folded_form
    assert bool(SPEECH_RE.search(folded_form(request_text))) is speech


def test_a_review_that_sets_next_year_s_tasks_speaks_of_both_years():
    """"tổng kết … năm 2021, triển khai nhiệm vụ năm 2022": the leader's direction for 2022 is the speech's material
    too, so no single year constrains it; a review of one year alone keeps its year."""
    from assistant.speech.speech_frame import speech_query
    from assistant.understand.query import understand

    def kinds(request):
        return {n.kind for n in speech_query(understand(request, mode="talking_points")).needs}
    both = ("Soạn dàn ý phát biểu tại hội nghị tổng kết hoạt động các Ban Chỉ đạo huyện Cẩm Xuyên năm 2021, triển "
            "khai nhiệm vụ năm 2022. Cần nêu kết quả phong trào Dân vận khéo năm 2021.")
    assert "year" not in kinds(both) and "place" in kinds(both)
    assert "year" in kinds("Soạn dàn ý phát biểu tại hội nghị tổng kết phong trào Dân vận khéo năm 2021. Cần nêu "
                           "kết quả phong trào Dân vận khéo năm 2021.")
