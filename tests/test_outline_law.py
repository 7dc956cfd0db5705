"""Pure rules of the law outline (assistant/speech/outline_law.py) and of whole-claim points: table tests."""
import pytest

from assistant.speech.outline import classify
from assistant.speech.outline_law import article_clauses, as_point, choose_instrument, issued_line, named_instrument, section_of
from assistant.speech.speech_text import MAX_BULLET_WORDS, claim_before_list, clean_point, is_enumeration, split_long, stands_alone, word_count
from assistant.types import Passage


@pytest.mark.parametrize("heading, key", [
    ("Phạm vi điều chỉnh", "scope"), ("Hiệu lực thi hành", "scope"), ("Nguyên tắc thực hiện dân chủ ở cơ sở", "principle"),
    ("Quyền của công dân trong thực hiện dân chủ ở cơ sở", "rights"),
    ("Những nội dung Nhân dân bàn và quyết định", "rights"),
    ("Trách nhiệm của Ủy ban Mặt trận Tổ quốc Việt Nam các cấp", "duty"),
    ("Trách nhiệm trong việc tổ chức để Nhân dân tham gia ý kiến", ""),
    ("Các biện pháp bảo đảm thực hiện dân chủ ở cơ sở", "task"),
    ("Giải thích từ ngữ", ""),
    ("Quy định chuyển tiếp", "scope"),  # what becomes of the acts made under the instrument it replaces
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
    # several named: the first the retrieved passages hold
    assert choose_instrument("bám theo Chỉ thị 20-CT/ThU và Nghị định 59/2023/NĐ-CP", ps) == "Nghị định số 59/2023/NĐ-CP"
    # typed without the Đ ("QD", "ND"): one form
    assert choose_instrument("Nghị định 59/2023/ND-CP", ps) == "Nghị định số 59/2023/NĐ-CP"


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



def test_issued_line_of_a_long_title_keeps_number_dates_and_issuer():
    """A title too long for one point (over MAX_BULLET_WORDS with its dates) is left out: the number, the date of
    issue, the issuer and the effective date say which instrument it is."""
    title = " ".join(["Quy định chế độ chi đón tiếp, thăm hỏi, chúc mừng đối với một số đối tượng"] * 3)
    p = Passage(chunk_id="c", doc_id="d", source="", title="", text=(
        f"Điều 35.4.QĐ.3.1. Phạm vi\n\n(Điều 1 Quyết định số 04/2024/QĐ-TTg {title} ngày 22/03/2024 của Thủ tướng "
        "Chính phủ, có hiệu lực thi hành kể từ ngày 15/05/2024)\n\nQuyết định này quy định …"))
    line = issued_line(p)
    assert line == ("Quyết định số 04/2024/QĐ-TTg ngày 22/03/2024 của Thủ tướng Chính phủ, có hiệu lực thi hành kể từ "
                    "ngày 15/05/2024.")
    assert word_count(line) <= MAX_BULLET_WORDS


@pytest.mark.parametrize("piece, is_list", [
    ("Cán bộ nghỉ hưu, bí thư chi bộ, cán bộ công chức, nhân sĩ trí thức; chức sắc, chức việc tôn giáo; thầy cúng…", True),
    ("Các mô hình Dân vận khéo bước đầu đã tạo sức lan tỏa trong cộng đồng, được nhân dân đồng tình.", False),
    ("Đoàn gồm 35 đại biểu là người có uy tín trong đồng bào các dân tộc thiểu số Tày, Nùng, Dao… của tỉnh Lạng Sơn.",
     False),  # a claim that ends in a list
    ("Già làng, trưởng bản, người có uy tín, chức sắc tôn giáo, nhân sĩ trí thức.", True),
    ("Khi phát hiện dấu hiệu vi phạm pháp luật gây ảnh hưởng đến sản xuất, an ninh, văn hóa, xã hội …", True),
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


@pytest.mark.parametrize("sentence, point", [
    # a quotation keeps its speaker (issue 26, item 9)
    ("Đồng chí Chủ tịch UBND xã Cẩm Bình nhấn mạnh: “Dân vận khéo phải bắt đầu từ việc lắng nghe dân”.",
     "Đồng chí Chủ tịch UBND xã Cẩm Bình nhấn mạnh: “Dân vận khéo phải bắt đầu từ việc lắng nghe dân”."),
    # a reported directive loses its reporter, as before
    ("Đồng chí Nguyễn Văn A đề nghị các cấp ủy tiếp tục đổi mới phương thức vận động quần chúng ở cơ sở.",
     "Các cấp ủy tiếp tục đổi mới phương thức vận động quần chúng ở cơ sở."),
    # "Ban chỉ đạo", "và yêu cầu nhiệm vụ": nouns, not a report to cut
    ("Tại hội nghị, Ban chỉ đạo phong trào thi đua dân vận khéo Thị xã đã biểu dương 8 mô hình tiêu biểu năm 2018./",
     "Tại hội nghị, Ban chỉ đạo phong trào thi đua dân vận khéo Thị xã đã biểu dương 8 mô hình tiêu biểu năm 2018."),
    ("Trên cơ sở kết quả đạt được và yêu cầu nhiệm vụ của hai đơn vị, hội nghị đã ký kết Chương trình phối hợp.",
     "Trên cơ sở kết quả đạt được và yêu cầu nhiệm vụ của hai đơn vị, hội nghị đã ký kết Chương trình phối hợp."),
    # an outlet's dateline and a list item's ";" are no part of the claim
    ("(Baonghean.vn) - Hai bên cùng phối hợp lãnh đạo thực hiện có hiệu quả công tác dân vận;",
     "Hai bên cùng phối hợp lãnh đạo thực hiện có hiệu quả công tác dân vận."),
])
def test_clean_point_keeps_the_claim_and_its_speaker(sentence, point):
    assert clean_point(sentence) == point


@pytest.mark.parametrize("piece, alone", [
    ("Là chỗ dựa quan trọng của các cấp ủy, chính quyền tỉnh trong việc vận động con cháu.", False),
    ("Đó là nội dung được nhấn mạnh tại Lễ ký kết Chương trình phối hợp công tác dân vận.", False),
    ("Có 17,5% giữ chức vụ lãnh đạo, quản lý từ cấp vụ trở lên.", False),
    ("Có 112 mô hình dân vận khéo được đăng ký trong năm 2018 trên địa bàn thị xã.", True),
    ("Các đại biểu tiếp tục phát huy những phẩm chất đạo đức, uy tín.", True),
    # a clause of time or of topic with no main clause after it
    ("Khi phát biểu chỉ đạo Hội nghị toàn quốc đánh giá kết quả thực hiện Kết luận số 120 …", False),
    ("Về phương hướng xây dựng và thực hiện quy chế dân chủ cơ sở trong thời gian tới …", False),
    ("Về phong trào thi đua Dân vận khéo, đầu năm 2021, các xã đã đăng ký 155 mô hình.", True),
    ("Khi có yêu cầu, Ban Giám sát báo cáo kết quả giám sát.", True),
])
def test_a_point_stands_alone(piece, alone):
    assert stands_alone(piece) is alone


def test_words_are_counted_as_spoken():
    assert word_count("giai đoạn 2015 - 2018 – nay") == 5


@pytest.mark.parametrize("point, place, here", [
    ("Năm 2017, số người có uy tín trên địa bàn tỉnh là 2.168 người.", "tỉnh Lạng Sơn", True),
    ("Tổng số cán bộ nữ ở các cơ quan, đơn vị trực thuộc Trung ương là 7.521 người.", "tỉnh Lạng Sơn", False),
    ("Huyện Cẩm Xuyên có 45 mô hình dân vận khéo được công nhận.", "tỉnh Lạng Sơn", False),
    ("Huyện Cẩm Xuyên có 45 mô hình dân vận khéo được công nhận.", "huyện Cẩm Xuyên", True),
    # the place named before its figure, though the sentence also names the province it lies in
    ("Nghĩa trang liệt sỹ Quốc gia Vị Xuyên, tỉnh Hà Giang hiện có 1.756 ngôi mộ anh hùng, liệt sỹ.",
     "huyện Vị Xuyên", True),
    ("Huyện Cẩm Xuyên có 155 mô hình, huyện Kỳ Anh có 120 mô hình.", "huyện Kỳ Anh", False),  # another's, first
])
def test_a_place_s_speech_keeps_its_own_figures(point, place, here):
    from assistant.speech.outline import _figure_here
    assert _figure_here(point, {}, "", place) is here


def test_related_article_notes_are_no_clause():
    p = Passage(chunk_id="c", doc_id="d", source="", title="Điều 12 Luật số 75/2015/QH13 — Nguyên tắc tập hợp", text=(
        "Điều 35.4.LQ.12. Nguyên tắc tập hợp\n\n(Điều 12 Luật số 75/2015/QH13, có hiệu lực thi hành kể từ ngày "
        "01/01/2016)\n\nMặt trận Tổ quốc Việt Nam phát triển đa dạng các hình thức tổ chức, hoạt động để tập hợp, "
        "đoàn kết mọi người Việt Nam.(Điều này có nội dung liên quan đến Điều 38.1.LQ.4. Trách nhiệm của Mặt trận)"))
    assert article_clauses(p) == ["Mặt trận Tổ quốc Việt Nam phát triển đa dạng các hình thức tổ chức, hoạt động để "
                                  "tập hợp, đoàn kết mọi người Việt Nam."]
    assert issued_line(p) == "Luật số 75/2015/QH13, có hiệu lực thi hành kể từ ngày 01/01/2016."


@pytest.mark.parametrize("point, kind", [
    # a state that went on, or a sentence looking back, is no task ahead (issue 26, item 8)
    ("Từ việc chú trọng thi đua phong trào dân vận khéo trong suốt 10 năm qua, công tác dân vận TP tiếp tục có "
     "nhiều chuyển biến tích cực.", "practice"),
    ("Các cấp ủy tiếp tục được củng cố, kiện toàn theo hướng tinh gọn.", "context"),
    ("Tiếp tục đẩy mạnh phong trào thi đua Dân vận khéo trong thời gian tới.", "task"),
])
def test_only_what_is_to_be_done_is_a_task(point, kind):
    assert classify(point) == kind


def test_a_document_naming_a_place_in_a_list_is_not_about_it():
    from assistant.speech.outline_scope import _about_place
    p = Passage(chunk_id="c", doc_id="d", source="", title="Công tác cán bộ nữ", text="", meta={})
    listed = ("Chất lượng cán bộ đã được nâng lên. Một số tỉnh có tỉ lệ nữ lãnh đạo đạt cao như: Lạng Sơn (24,4%), "
              "Lào Cai (19,1%), Hải Phòng (18,3%), Cần Thơ (18%).")
    assert not _about_place(p, "Chất lượng cán bộ đã được nâng lên.", listed + " " + listed, "tỉnh Lạng Sơn")
    once = "Hai bên ký kết chương trình. Thực hiện có hiệu quả chương trình giúp đỡ các xã nghèo miền Tây Nghệ An."
    assert _about_place(p, "Hai bên ký kết chương trình.", once, "Nghệ An")


def test_a_count_of_many_places_gets_no_one_place_s_tag():
    from assistant.speech.outline_scope import _place_year_label
    p = Passage(chunk_id="c", doc_id="d", source="", title="", text="", meta={})
    doc = "Xã Dân Lý cấm bán thịt lợn. Chính quyền xã Dân Lý giải thích. Người dân xã Dân Lý thắc mắc."
    assert "Dân Lý" not in _place_year_label(
        "Dịch tả lợn châu Phi xuất hiện tại 123 xã thuộc 18 huyện, phải tiêu huỷ hơn 8.000 con.", {}, p, doc)


def test_a_law_outline_says_what_the_instrument_ends():
    """The article on the instrument's effect names what it ends: said after the issued line, a long clause's
    dates and titles left out behind an ellipsis (the words kept are the article's own), within the bullet length;
    the next article's header glued to a clause in the code's file is cut off."""
    from conftest import LAW
    from assistant.speech.outline_law import _ended
    out = []
    for name in ("phapdien_44.13.LQ.90.txt", "phapdien_35.4.LQ.40.txt"):
        p = Passage(chunk_id=name, doc_id=name, source=name, title="Điều — Hiệu lực thi hành",
                    text=(LAW / name).read_text(encoding="utf-8"))
        out += [text for _, text, _ in _ended([p], {name: [0]})]
    assert "34/2007/PL-UBTVQH11 … và Nghị quyết số 55/1998/NQ-UBTVQH10 … hết hiệu lực" in out[0], out
    assert out[1].startswith("Luật Mặt trận Tổ quốc Việt Nam số 14/1999/QH10 hết hiệu lực") and "Điều 35" not in out[1]
    assert all(word_count(t) <= MAX_BULLET_WORDS for t in out)
    decree = "phapdien_44.13.NĐ.2.25.txt"  # a decree's effect article is headed "Điều khoản thi hành"
    p = Passage(chunk_id=decree, doc_id=decree, source=decree, title="Điều — Điều khoản thi hành",
                text=(LAW / decree).read_text(encoding="utf-8"))
    assert [text[:31] for _, text, _ in _ended([p], {decree: [0]})] == ["Quyết định số 22/2018/QĐ-TTg ng"]


def test_an_article_s_clauses_end_where_the_code_s_list_of_articles_begins():
    from conftest import LAW
    f = LAW / "phapdien_44.13.NĐ.2.24.txt"
    assert f.exists(), f
    p = Passage(chunk_id="c", doc_id="d", source="", title="", text=f.read_text(encoding="utf-8"))
    clauses = article_clauses(p)
    assert clauses and all("Danh sách" not in c and "Chương" not in c for c in clauses), clauses
    assert clauses[0].startswith("Hương ước, quy ước đã được phê duyệt")


def test_a_wrapped_source_line_is_one_line():
    """The code's file wraps some articles' source line: read whole, it gives the issued line and no clause."""
    from conftest import LAW
    from assistant.speech.outline_law import article_lines
    f = LAW / "phapdien_35.4.NL.2.1.txt"
    assert f.exists(), f
    p = Passage(chunk_id="c", doc_id="d", source="", title="", text=f.read_text(encoding="utf-8"))
    assert issued_line(p).startswith("Nghị quyết liên tịch số 403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN ngày 15/06/2017")
    assert not any(c.startswith("(Điều") or c.startswith("của Mặt trận") for c in article_clauses(p))
    assert article_lines("(Điều 1 Luật số 1/2020/QH14 …\ncó hiệu lực thi hành kể từ ngày 01/01/2021)\n1. Một.") == \
        ["(Điều 1 Luật số 1/2020/QH14 … có hiệu lực thi hành kể từ ngày 01/01/2021)", "1. Một."]


def test_articles_no_heading_names_make_the_main_section_by_the_speech_s_matter():
    """'Thông qua hương ước, quy ước' is no scope, principle, right, duty or measure: it joins the outline when it
    speaks of the speech's matter (half the best article's score or more), best first; an article far off it does
    not, and without scores there is no such section."""
    from assistant.speech.outline_law import law_points

    def article(n, heading, clause):
        text = f"Điều 44.13.NĐ.2.{n}. {heading}\n\n1. {clause}"
        return Passage(chunk_id=f"c{n}", doc_id=f"d{n}", source="", title=f"Điều {n} Nghị định số 61/2023/NĐ-CP — "
                       f"{heading}", text=text, meta={"instrument": "Nghị định số 61/2023/NĐ-CP", "article": str(n)})
    ps = [article(3, "Mục đích xây dựng và thực hiện hương ước, quy ước", "Góp phần giữ gìn thuần phong mỹ tục của "
                  "cộng đồng dân cư ở thôn, tổ dân phố."),
          article(10, "Thông qua hương ước, quy ước", "Hương ước, quy ước được thông qua khi có trên 50% tổng số đại "
                  "diện hộ gia đình trong cộng đồng dân cư tán thành."),
          article(23, "Kinh phí", "Kinh phí bảo đảm cho việc xây dựng và thực hiện hương ước do ngân sách bảo đảm.")]
    out = law_points(ps, "", 3, {"d3": 0.9, "d10": 1.2, "d23": 0.3})
    assert [ps[i].doc_id for i, _, _ in out["main"]] == ["d10", "d3"]
    assert "trên 50%" in out["main"][0][1] and out["main"][0][1].startswith("Thông qua hương ước, quy ước: ")
    assert "main" not in law_points(ps, "", 3)


@pytest.mark.parametrize("sentence, claim", [
    ("Hương ước, quy ước được thông qua khi có trên 50% tổng số đại diện hộ gia đình trong cộng đồng dân cư tán thành "
     "và được thực hiện bằng một trong các hình thức như sau:",
     "Hương ước, quy ước được thông qua khi có trên 50% tổng số đại diện hộ gia đình trong cộng đồng dân cư tán thành."),
    ("Nhân dân bàn và quyết định các nội dung sau:", ""),  # a lead-in alone
    # no figure: the head shares its verb with the list ("hướng dẫn và tổ chức …"), it says nothing alone
    ("Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã có trách nhiệm hướng dẫn và tổ chức các hoạt động như sau:", ""),
])
def test_the_claim_before_a_list_s_lead_in(sentence, claim):
    from assistant.speech.speech_text import claim_before_lead_in
    assert claim_before_lead_in(sentence) == claim
    assert split_long(sentence) == ([claim] if claim else [])


def test_a_clause_says_its_heading_without_the_words_it_repeats():
    """Heading and clause over the bullet length: the heading's tail the clause says again goes ("Nguyên tắc thực
    hiện dân chủ ở cơ sở: … trong thực hiện dân chủ ở cơ sở" → "Nguyên tắc: …"); a heading the clause does not
    repeat is kept whole (a long clause is then cut, or not said)."""
    clause = ("Bảo đảm sự lãnh đạo của Đảng, quản lý của Nhà nước, vai trò nòng cốt của Mặt trận Tổ quốc Việt Nam và "
              "các tổ chức chính trị - xã hội trong thực hiện dân chủ ở cơ sở.")
    point = as_point("Nguyên tắc thực hiện dân chủ ở cơ sở", clause)
    assert point.startswith("Nguyên tắc: bảo đảm sự lãnh đạo của Đảng") and word_count(point) <= MAX_BULLET_WORDS
    funds = ("Kinh phí bảo đảm hoạt động giám sát, phản biện xã hội hằng năm của Mặt trận Tổ quốc Việt Nam và các tổ "
             "chức chính trị - xã hội do ngân sách nhà nước bảo đảm.")
    assert as_point("Kinh phí bảo đảm hoạt động giám sát, phản biện xã hội", funds) == funds  # it opens with its heading
    short = "Trách nhiệm của Ủy ban Mặt trận Tổ quốc Việt Nam các cấp"
    assert as_point(short, "tổ chức vận động Nhân dân thực hiện dân chủ ở cơ sở.").startswith(short + ": ")
