"""Table tests for the pure rules that turn document sentences into talking points."""
from __future__ import annotations

import pytest

from assistant.speech.outline import SpeechOptions, classify
from assistant.speech.speech_text import (MAX_BULLET_WORDS, clean_point, is_headline, near_duplicate, split_long,
                                   topic_of_request, trim_connective, trim_reporting_frame, word_count)


@pytest.mark.parametrize("request_text, topic, occasion", [
    ("Soạn dàn ý phát biểu về nhân rộng mô hình Dân vận khéo", "nhân rộng mô hình Dân vận khéo", ""),
    ("Dàn ý phát biểu tại hội nghị sơ kết về xây dựng nông thôn mới", "xây dựng nông thôn mới", "hội nghị sơ kết"),
    ("Hãy soạn bài phát biểu tại buổi tiếp xúc cử tri về cải cách hành chính", "cải cách hành chính",
     "buổi tiếp xúc cử tri"),
    ("Gợi ý nội dung phát biểu về thực hiện dân chủ ở cơ sở", "thực hiện dân chủ ở cơ sở", ""),
    ("nhân rộng mô hình dân vận khéo", "nhân rộng mô hình dân vận khéo", ""),
])
def test_topic_read_from_the_request(request_text, topic, occasion):
    assert topic_of_request(request_text) == (topic, occasion)


@pytest.mark.parametrize("raw, expected", [
    ("Theo đó, các cấp ủy cần tăng cường công tác dân vận.", "Các cấp ủy cần tăng cường công tác dân vận."),
    ("Bên cạnh đó, Mặt trận vận động nhân dân hiến đất.", "Mặt trận vận động nhân dân hiến đất."),
    ("Đồng thời, tổ chức tốt các phong trào thi đua.", "Tổ chức tốt các phong trào thi đua."),
    ("Theo đó các xã đăng ký mô hình.", "Các xã đăng ký mô hình."),
    ("Theo quy định, cơ sở là xã, phường.", "Theo quy định, cơ sở là xã, phường."),  # not the connective "Theo đó"
    ("Đồng bào tôn giáo tin tưởng vào Đảng.", "Đồng bào tôn giáo tin tưởng vào Đảng."),  # "Đồng" is not "Đồng thời"
])
def test_dangling_connectives_trimmed(raw, expected):
    assert trim_connective(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("Đồng chí Nguyễn Văn A, Phó Bí thư Tỉnh ủy đề nghị các cấp ủy đảng tiếp tục đẩy mạnh phong trào thi đua.",
     "Các cấp ủy đảng tiếp tục đẩy mạnh phong trào thi đua."),
    ("Phát biểu tại hội nghị, đồng chí Trưởng ban Dân vận nhấn mạnh: công tác dân vận phải sát dân, hiểu dân, gần dân.",
     "Công tác dân vận phải sát dân, hiểu dân, gần dân."),
    ("Các mô hình đã góp phần nâng cao đời sống nhân dân trên địa bàn, ông Nguyễn Văn B cho biết.",
     "Các mô hình đã góp phần nâng cao đời sống nhân dân trên địa bàn."),
    # no speaker named: the verb is the claim itself, nothing is cut
    ("Làm tốt việc sơ kết, rút kinh nghiệm, đề nghị khen thưởng các tập thể tiêu biểu trong phong trào.",
     "Làm tốt việc sơ kết, rút kinh nghiệm, đề nghị khen thưởng các tập thể tiêu biểu trong phong trào."),
])
def test_reporting_frames_keep_what_was_said(raw, expected):
    assert trim_reporting_frame(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("Theo ông Đinh Văn Thu, Chủ tịch UBND tỉnh, Quảng Nam phấn đấu có thêm 10 xã đạt chuẩn nông thôn mới.",
     "Quảng Nam phấn đấu có thêm 10 xã đạt chuẩn nông thôn mới."),
    ("4. Được công nhận, tôn trọng, bảo vệ quyền, lợi ích hợp pháp của công dân.",
     "Được công nhận, tôn trọng, bảo vệ quyền, lợi ích hợp pháp của công dân."),
    ("“Triển khai kế hoạch phải chú trọng chọn nội dung trọng tâm.", "Triển khai kế hoạch phải chú trọng chọn nội dung trọng tâm."),
    ("Đăng ký 112 mô hình trong đó có (27 mô hình cấp tỉnh, 85 mô hình cấp thị xã.",
     "Đăng ký 112 mô hình trong đó có 27 mô hình cấp tỉnh, 85 mô hình cấp thị xã."),
])
def test_clean_point(raw, expected):
    assert clean_point(raw) == expected


def test_long_sentence_split_at_clause_boundaries_or_skipped():
    clause = "các cấp ủy đảng lãnh đạo chính quyền và đoàn thể làm tốt công tác vận động nhân dân ở cơ sở"
    long = "; ".join([clause.capitalize()] * 4) + "."
    pieces = split_long(long)
    assert len(pieces) == 4 and all(word_count(p) <= MAX_BULLET_WORDS for p in pieces)
    assert all(p[0].isupper() and p.endswith(".") for p in pieces)
    unsplittable = " ".join(["vận động nhân dân"] * 20) + "."
    assert split_long(unsplittable) == []
    # the words before a colon announce the points; they are one only when they give a count
    assert split_long("Chi bộ đề ra các nhiệm vụ trọng tâm: " + "; ".join([clause] * 3) + ".", 25) == \
        [clause[0].upper() + clause[1:] + "."] * 3
    assert split_long("Chi bộ đề ra 2 nhiệm vụ trọng tâm: " + "; ".join([clause] * 3) + ".", 25) == \
        ["Chi bộ đề ra 2 nhiệm vụ trọng tâm."] + [clause[0].upper() + clause[1:] + "."] * 3
    assert split_long("Nhiệm kỳ tới, Chi bộ đề ra các nhiệm vụ sau:") == []


def test_a_long_sentence_no_clause_boundary_cuts_is_said_to_its_last_comma_within_the_limit():
    """Its head and an ellipsis; a comma inside quotes or brackets is no cut; no comma leaving a claim: nothing."""
    motto = "theo phương châm “rõ người, rõ việc, rõ địa chỉ, rõ kết quả”"
    s = (f"Đổi mới nội dung, phương thức hoạt động {motto} và hiệu quả các phong trào thi đua, các cuộc vận động "
         "hiện nay đang triển khai ở các chi đoàn, chi hội tại các thôn, tổ dân phố, thu hút quần chúng vào tham gia "
         "các đoàn thể, tổ chức sinh hoạt.")
    head = split_long(s)
    assert len(head) == 1 and head[0].endswith(" …") and motto in head[0], head
    assert word_count(head[0]) <= MAX_BULLET_WORDS and s.startswith(head[0][:-2])
    assert split_long(s, 20) == []  # the first comma outside the quotes is past 20 words
    reported = ("Về việc thực hiện Quyết định 218 của Bộ Chính trị về việc Mặt trận và các tổ chức nhân dân góp ý xây "
                "dựng Đảng, chính quyền, Chủ tịch Nguyễn Thiện Nhân cho rằng, trong thời gian tới, các cấp cần làm "
                "từng bước, vừa làm vừa rút kinh nghiệm để đủ sức đeo bám đến cùng với những việc đã giám sát.")
    assert split_long(reported) == []  # what he said is past the cut: no point of it


@pytest.mark.parametrize("sentence, titles, doc, expected", [
    ("Xây dựng mô hình “dân vận khéo” gắn với các khâu đột phá của tỉnh",
     ["Xây dựng mô hình “dân vận khéo” gắn với các khâu đột phá của tỉnh"], "", True),
    ("Công tác nắm tình hình nhân dân", [], "", True),  # short line without end punctuation
    ("Kết quả thực hiện phong trào thi đua dân vận khéo trên địa bàn huyện trong năm qua và những bài học kinh nghiệm",
     [], "Mở đầu.\nKết quả thực hiện phong trào thi đua dân vận khéo trên địa bàn huyện trong năm qua và những bài học "
     "kinh nghiệm\nNội dung.", True),
    ("Năm 2018 thị xã đăng ký 112 mô hình dân vận khéo.", ["Sơ kết Chỉ thị 20"], "", False),
])
def test_headlines_recognised(sentence, titles, doc, expected):
    assert is_headline(sentence, titles, doc) is expected


@pytest.mark.parametrize("a, b, expected", [
    ("Các mô hình Dân vận khéo bước đầu đã tạo sức lan tỏa trong cộng đồng.",
     "Các mô hình “Dân vận khéo” đã tạo sức lan tỏa trong cộng đồng dân cư.", True),
    ("Huyện đăng ký 155 mô hình.", "Tỉnh tăng cường công tác tuyên truyền trong nhân dân.", False),
])
def test_near_duplicates(a, b, expected):
    assert near_duplicate(a, b) is expected


@pytest.mark.parametrize("point, kind", [
    ("Có lúc, có nơi còn tình trạng vi phạm dân chủ gây bức xúc.", "limitation"),
    ("Công tác phối hợp chưa thường xuyên, hiệu quả chưa cao.", "limitation"),
    ("Nhiều khó khăn được nhân dân bàn bạc, tháo gỡ, giải quyết có hiệu quả.", "practice"),  # solved: not a limitation
    ("Các cấp ủy cần tăng cường lãnh đạo công tác dân vận.", "task"),
    ("Thời gian tới, các đại biểu sẽ tiếp tục tuyên truyền Luật Tín ngưỡng, tôn giáo.", "task"),
    ("Tiếp tục đẩy mạnh phong trào thi đua Dân vận khéo.", "task"),
    ("Các mô hình Dân vận khéo đã tạo sức lan tỏa trong cộng đồng.", "practice"),
    ("Bộ mặt nông thôn đã có nhiều chuyển biến tích cực.", "result"),
    ("Góp phần củng cố niềm tin của nhân dân với Đảng.", "conclusion"),
    ("Cơ sở là xã, phường, thị trấn.", "context"),
])
def test_section_cue_classes(point, kind):
    assert classify(point) == kind


@pytest.mark.parametrize("length, n", [("ngắn", 2), ("vừa", 3), ("dài", 5), ("không rõ", 3)])
def test_length_sets_points_per_section(length, n):
    assert SpeechOptions(length=length).per_section() == n


def test_period_parsed():
    assert SpeechOptions(period="2020-2025").years() == (2020, 2025)
    assert SpeechOptions(period="năm 2021").years() == (2021, 2021)
    assert SpeechOptions().years() is None


# ---- DOCX in the administrative format (Nghị định 30/2020/NĐ-CP) and the text renderings ----------

def _outline_answer():
    from assistant.types import Answer, Citation, Section, Statement
    cites = [Citation(n=1, doc_id="d1", source="003.txt", title="Cẩm Xuyên cần nhân rộng mô hình", outlet="Báo Hà Tĩnh",
                      date="2021-03-02", quote="Đầu năm 2021 đăng ký 155 mô hình.", score=0.9,
                      passage="Đầu năm 2021 đăng ký 155 mô hình.")]
    sections = [
        Section("I. Mở đầu", [Statement("Phát biểu về nhân rộng mô hình Dân vận khéo.")]),
        Section("II. Kết quả nổi bật", [Statement("Đầu năm 2021 đăng ký 155 mô hình.", [1], "huyện Cẩm Xuyên",
                                                  "155 mô hình")]),
    ]
    return Answer(question="Soạn dàn ý phát biểu về nhân rộng mô hình Dân vận khéo", mode="talking_points",
                  found=True, answer="", citations=cites, sections=sections,
                  bullets=["Huyện Cẩm Xuyên — Đầu năm 2021 đăng ký 155 mô hình. [1]"])


def test_docx_page_font_and_margins_read_back(tmp_path):
    from docx import Document
    from docx.shared import Mm, Pt

    from assistant.speech.docx_export import talking_points_docx
    path = talking_points_docx(_outline_answer(), tmp_path / "d.docx",
                               SpeechOptions(occasion="hội nghị sơ kết", audience="cán bộ cơ sở"))
    doc = Document(str(path))
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(0.5) and abs(sec.page_height - Mm(297)) < Mm(0.5)  # A4
    assert Mm(20) - Mm(0.1) <= sec.top_margin <= Mm(25) and Mm(20) - Mm(0.1) <= sec.bottom_margin <= Mm(25)
    assert Mm(30) - Mm(0.1) <= sec.left_margin <= Mm(35) and Mm(15) - Mm(0.1) <= sec.right_margin <= Mm(20)
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size == Pt(14)
    texts = [p.text for p in doc.paragraphs]
    assert texts[:5] == ["Dàn ý phát biểu", "Chủ đề: nhân rộng mô hình Dân vận khéo",
                         "Người phát biểu: ……………………………………",
                         "Dịp phát biểu: hội nghị sơ kết — người nghe: cán bộ cơ sở", "Thời gian: ngày … tháng … năm ……"]
    assert "II. Kết quả nổi bật" in texts and "Huyện Cẩm Xuyên — Đầu năm 2021 đăng ký 155 mô hình. [1]" in texts
    src = texts.index("Nguồn trích dẫn")
    assert texts[src + 1] == "[1] Cẩm Xuyên cần nhân rộng mô hình — Báo Hà Tĩnh, 2021-03-02 (003.txt)"
    for i, p in enumerate(doc.paragraphs):
        for run in p.runs:
            assert run.font.name == "Times New Roman"
            assert run.font.size == (Pt(13) if i > src else Pt(14)), p.text


def test_markdown_and_plain_text_rendered_from_sections():
    from assistant.answer.render import outline_markdown, outline_text
    a = _outline_answer()
    md = outline_markdown(a)
    assert md.startswith("# Dàn ý phát biểu\n") and "## II. Kết quả nổi bật" in md
    assert "- Huyện Cẩm Xuyên — Đầu năm 2021 đăng ký 155 mô hình. [1]" in md and "## Nguồn trích dẫn" in md
    assert outline_text(a).splitlines()[:2] == ["I. Mở đầu", "- Phát biểu về nhân rộng mô hình Dân vận khéo."]


@pytest.mark.parametrize("raw, expected", [
    ("Bên cạnh những mặt hạn chế, việc thực hiện quy chế dân chủ đã có nhiều chuyển biến tích cực.",
     "Việc thực hiện quy chế dân chủ đã có nhiều chuyển biến tích cực."),
    ("Bên cạnh đó, các đoàn thể vận động hội viên tham gia.", "Các đoàn thể vận động hội viên tham gia."),
])
def test_concessive_openings_trimmed(raw, expected):
    assert trim_connective(raw) == expected


@pytest.mark.parametrize("point, expected", [
    ("Nêu lên những khó khăn, hạn chế trong quá trình thực hiện ở cơ sở.", True),
    ("Đề nghị Ban Tôn giáo Chính phủ xem xét, kiến nghị cấp có thẩm quyền giải quyết.", True),
    ("Các cấp ủy đề nghị khen thưởng tập thể tiêu biểu.", False),
])
def test_clause_opening_with_a_report_verb(point, expected):
    from assistant.speech.speech_text import starts_with_report
    assert starts_with_report(point) is expected


@pytest.mark.parametrize("text, place", [
    ("Huyện Cẩm Xuyên tổ chức hội nghị. Lãnh đạo huyện Cẩm Xuyên dự. Xã Cẩm Bình Nguyễn Văn A phát biểu.",
     "huyện Cẩm Xuyên"),
    ("Ban Dân vận Thành uỷ TP. HCM tổ chức lễ. Tất cả đại biểu dự lễ tại TP. HCM.", "TP. HCM"),
    ("Không nêu địa bàn nào.", ""),
])
def test_document_place(text, place):
    from assistant.speech.outline import document_place
    assert document_place(text) == place


@pytest.mark.parametrize("raw, expected", [
    ("Ảnh: Trí Dũng/TTXVN Tổng Bí thư chỉ rõ, tuy còn nhiều khó khăn.", "Tổng Bí thư chỉ rõ, tuy còn nhiều khó khăn."),
    ("Ảnh: VGP/Huy Thắng Tại buổi tọa đàm, ông nói.", "Tại buổi tọa đàm, ông nói."),  # the agency first
    ("Ảnh: VGP/Nhật Bắc Thủ tướng Nguyễn Xuân Phúc phát biểu.", "Thủ tướng Nguyễn Xuân Phúc phát biểu."),
    ("(Ảnh: Văn Điệp/TTXVN) Ngày 23/5, tại Hà Nội.", "Ngày 23/5, tại Hà Nội."),
    ("Ảnh: DUYÊN PHAN.", "Ảnh: DUYÊN PHAN."),  # a credit alone: the caption check leaves it out
    ("Các đại biểu dự hội nghị, 2018/2019.", "Các đại biểu dự hội nghị, 2018/2019."),
])
def test_a_photo_credit_glued_to_a_sentence_is_cut(raw, expected):
    from assistant.speech.speech_text import trim_photo_credit
    assert trim_photo_credit(raw) == expected
