"""Speech outlines for the occasions staff speak at (issue 29; issue 26 items 6-9), on a real store.

The store: the five seeds, thirteen articles of Luật 10/2022/QH15 (scope, principles, the four rights, the bodies'
responsibilities, measures, effective date), two articles of Luật 75/2015/QH13 (another law, a distractor), the
Lạng Sơn news article on người có uy tín and a national article on women and ethnic-minority cadres (national
figures a province's speech must not use). The requests are the occasions issue 29 names.
"""
from __future__ import annotations

import re

import pytest

from assistant.speech.outline import SpeechOptions, classify
from assistant.speech.speech_text import MAX_BULLET_WORDS, is_enumeration, stands_alone, word_count
from tests.conftest import LAW, NEWS, SEEDS, corpus_assistant

LAW_10 = [f"phapdien_44.13.LQ.{n}.txt" for n in (1, 3, 5, 8, 11, 15, 25, 30, 86, 87, 88, 89, 90)]
LAW_75 = ["phapdien_35.4.LQ.2.txt", "phapdien_35.4.LQ.3.txt"]
NEWS_FILES = ["baomoi_22496555.txt", "baomoi_22582056.txt"]

LAW_REQUEST = ("Soạn dàn ý bài phát biểu của lãnh đạo Ban Dân vận tại hội nghị triển khai Luật Thực hiện dân chủ "
               "ở cơ sở")
ELDERS = ("Soạn dàn ý phát biểu tại buổi nói chuyện với già làng, người có uy tín trong đồng bào dân tộc thiểu số "
          "tỉnh Lạng Sơn")
SIGNING = "Soạn dàn ý phát biểu tại lễ ký kết chương trình phối hợp công tác dân vận ở Nghệ An"
REVIEW = "Soạn dàn ý phát biểu tại hội nghị sơ kết mô hình Dân vận khéo của thị xã Hồng Lĩnh"


@pytest.fixture(scope="module")
def office(tmp_path_factory, shared_embed_cache):
    files = [SEEDS] + [LAW / f for f in LAW_10 + LAW_75] + [NEWS / f for f in NEWS_FILES]
    a = corpus_assistant(tmp_path_factory.mktemp("occasions-store"), files, shared_embed_cache,
                         added=5 + len(LAW_10) + len(LAW_75) + len(NEWS_FILES))  # the seeds folder holds five
    yield a
    a.close()


def _outline(office, request: str, **speech):
    ans = office.ask(request, mode="auto", speech=SpeechOptions(**speech))
    assert ans.mode == "talking_points", ans.mode
    return ans


def _section(ans, word: str):
    return next((s for s in ans.sections if word in s.title), None)


def _points(ans):
    return [st for sec in ans.sections for st in sec.statements if st.cites]


def _whole_claims(ans):
    """Every sourced point a whole claim a speaker can say: cited, at most 45 words, no list, no invented tag."""
    n = len(ans.citations)
    for st in _points(ans):
        assert all(1 <= c <= n for c in st.cites), st
        assert word_count(st.text) <= MAX_BULLET_WORDS, st.text
        assert not is_enumeration(st.text) and stands_alone(st.text), st.text
        assert "Việt Nam —" not in f"{st.label} —" and not re.search(r"\bxã Việt Nam\b", st.text, re.I), st
    for bullet in ans.bullets:
        assert re.search(r"\[\d+\]$", bullet), bullet


def test_a_law_roll_out_follows_the_instrument(office):
    ans = _outline(office, LAW_REQUEST)
    assert ans.found, ans.answer  # the frame (who speaks, where) is no constraint: never "not found"
    opening = ans.sections[0].statements[0].text
    assert opening.startswith("Phát biểu của lãnh đạo Ban Dân vận tại hội nghị triển khai Luật"), opening
    scope = _section(ans, "hiệu lực")
    assert scope and any("10/2022/QH15" in st.text and "01/07/2023" in st.text for st in scope.statements), ans.answer
    assert _section(ans, "Nguyên tắc"), ans.answer
    rights = _section(ans, "Quyền")
    said = " ".join(st.label for st in rights.statements)
    for article in ("Điều 11 ", "Điều 15 ", "Điều 25 ", "Điều 30 "):  # told, discuss and decide, views, supervise
        assert article in said, (article, said)
    duties = " ".join(st.text for st in _section(ans, "Trách nhiệm").statements)
    for body in ("Mặt trận", "cấp xã", "tổ chức chính trị - xã hội"):
        assert body in duties, (body, duties)
    assert _section(ans, "Nhiệm vụ"), ans.answer
    for sec in ans.sections[1:-1]:  # each point of the instrument cited to its article
        for st in sec.statements:
            assert st.cites and st.label.startswith("Điều ") and "10/2022/QH15" in st.label, st
    assert "75/2015" not in ans.answer  # another law is not this one
    _whole_claims(ans)


def test_elders_of_a_province_get_the_province_s_own_figure(office):
    ans = _outline(office, ELDERS)
    assert ans.found, ans.answer
    assert "2.168" in ans.answer, ans.answer  # how many người có uy tín the province counts
    assert "7.521" not in ans.answer and "17,5%" not in ans.answer, ans.answer  # the nation's cadres, not Lạng Sơn's
    # the national article names Lạng Sơn once, in passing: it is not about the province
    assert all(c.source != "baomoi_22582056.txt" for c in ans.citations), [c.source for c in ans.citations]
    assert "Phát biểu về tại" not in ans.answer
    _whole_claims(ans)


def test_a_signing_leads_with_its_period_and_parties(office):
    ans = _outline(office, SIGNING)
    assert ans.found, ans.answer
    opening = ans.sections[0].statements
    assert opening[0].text == "Phát biểu tại lễ ký kết chương trình phối hợp công tác dân vận ở Nghệ An."
    lead = next(st for st in opening if st.cites)
    assert re.search(r"2018\s*[-–]\s*2020", lead.text) and "ký kết" in lead.text, lead.text
    _whole_claims(ans)


def test_a_review_uses_the_town_s_results(office):
    ans = _outline(office, REVIEW)
    assert ans.found, ans.answer
    results = " ".join(st.text for st in _section(ans, "Kết quả").statements)
    assert "112 mô hình" in results and "8 mô hình" in results, results  # two counts are two points
    _whole_claims(ans)


@pytest.mark.parametrize("request_text", [LAW_REQUEST, ELDERS, SIGNING, REVIEW])
def test_conclusion_and_tasks(office, request_text):
    """Kết luận is a whole sentence (issue 26, item 7); Nhiệm vụ holds only what is to be done (item 8)."""
    ans = _outline(office, request_text)
    closing = ans.sections[-1]
    assert closing.title.endswith("Kết luận") and closing.statements, ans.answer
    for st in closing.statements:
        assert st.text.endswith(".") and word_count(st.text) >= 8 and not st.text.startswith("Góp phần"), st.text
    tasks = _section(ans, "Nhiệm vụ")
    for st in tasks.statements if tasks else []:
        # a task ahead, or the next item of a list of directives ("…; phát triển kinh tế hộ gia đình …"): no deed done
        assert st.label.startswith("Điều ") or (classify(st.text) in ("task", "context", "practice")
                                                 and not re.search(r"\b(?:đã|vừa)\b", st.text)), st.text


def test_a_place_without_material_is_said_to_be_widened(office):
    ans = _outline(office, "Soạn dàn ý phát biểu về mô hình Dân vận khéo của tỉnh Quảng Ninh")
    assert ans.found, ans.answer
    assert "không có tư liệu riêng về tỉnh Quảng Ninh" in ans.answer, ans.answer


SITUATION_FIRST = ("Đồng chí Trưởng ban vừa dự hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2021 của Ban Dân vận "
                   "Tỉnh ủy, do đồng chí Nguyễn Văn Bình chủ trì. Soạn dàn ý để đồng chí phát biểu triển "
                   "khai lại nhiệm vụ trọng tâm 6 tháng cuối năm cho khối dân vận huyện.")


def test_a_request_told_after_its_situation_is_found(office):
    """Issue 29, item 1: the situation told first is the speech's matter; the asking sentence its frame. The
    outline draws on the review the situation names, every point cited (it was "not found": the whole request,
    situation and drafting words, was read as the topic)."""
    ans = _outline(office, SITUATION_FIRST)
    assert ans.found, ans.answer
    assert ans.sections[0].statements[0].text.startswith("Phát biểu"), ans.answer  # the opening says no situation
    cited = {c.source for c in ans.citations}
    assert any(src.startswith("001_") for src in cited), cited  # the seed that reports that review
    _whole_claims(ans)


def test_one_shared_word_pair_does_not_make_a_speech(office):
    """A tangential sentence ("năng lượng sạch") is no outline on nuclear power: not found, nearest named."""
    ans = _outline(office, "Soạn dàn ý phát biểu về phát triển điện hạt nhân và năng lượng nguyên tử")
    assert not ans.found, ans.answer


def test_a_topic_the_collection_does_not_cover_is_not_found(office):
    ans = _outline(office, "Soạn dàn ý phát biểu tại hội nghị về phát triển điện hạt nhân và năng lượng nguyên tử")
    assert not ans.found, ans.answer


def test_docx_reads_the_request_as_phrases(office, tmp_path):
    from docx import Document

    from assistant.speech.docx_export import talking_points_docx
    ans = _outline(office, REVIEW)
    path = talking_points_docx(ans, tmp_path / "dan-y.docx")
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "Chủ đề: mô hình Dân vận khéo" in text and "Chủ đề: tại" not in text, text
    assert "Dịp phát biểu: hội nghị sơ kết mô hình Dân vận khéo của thị xã Hồng Lĩnh" in text, text


# Outline items in the eval format (assistant/speech/outline_eval.py). Written by the developer with the corpus open:
# a check of the scorer and of these four occasions, not the held-out eval issue 29 asks for.
OUTLINE_ITEMS = [
    {"id": "o-law", "kind": "outline", "question": LAW_REQUEST,
     "must_cover": ["10/2022/QH15", ["01/07/2023", "01 tháng 7 năm 2023"], "công khai", "bàn và quyết định",
                    "tham gia ý kiến", "kiểm tra, giám sát", "Mặt trận Tổ quốc"],
     "forbidden": ["75/2015"]},
    {"id": "o-elders", "kind": "outline", "question": ELDERS,
     "must_cover": ["2.168", "người có uy tín"], "forbidden": ["7.521", "17,5%"]},
    {"id": "o-signing", "kind": "outline", "question": SIGNING,
     "must_cover": [["2018-2020", "2018 - 2020"], "ký kết"], "forbidden": []},
    {"id": "o-review", "kind": "outline", "question": REVIEW,
     "must_cover": ["112 mô hình", "Dân vận khéo"], "forbidden": ["155 mô hình"]},  # Cẩm Xuyên's, not Hồng Lĩnh's
]


def test_outline_eval_scores(office):
    from assistant.evaluate import evaluate_one, summarise
    results = [evaluate_one(office, item) for item in OUTLINE_ITEMS]
    for r in results:
        assert r.passed, (r.id, r.reasons, r.answer)
    totals = summarise(results)
    assert totals["outlines"] == 4 and totals["outline_found"] == 1.0 and totals["outline_sourced"] == 1.0
    assert totals["outline_cover"] >= 0.8 and totals["outline_forbidden"] == 0 and totals["outline_fragments"] == 0


def test_outline_eval_counts_a_forbidden_figure(office):
    from assistant.evaluate import evaluate_one
    r = evaluate_one(office, {**OUTLINE_ITEMS[1], "id": "o-bad", "forbidden": ["2.168"]})
    assert not r.passed and r.outline["forbidden"] == ["2.168"] and r.wrong_confident


def test_a_law_the_collection_lacks_is_not_found_and_the_nearest_is_named(seeds_assistant):
    """Seeds only (no law loaded): the occasion's act ("triển khai") in another document is no speech on the law."""
    ans = seeds_assistant.ask(LAW_REQUEST, mode="auto")
    assert not ans.found and ans.nearest, ans.answer


def test_the_outline_scorer_reads_a_fact_however_its_dashes_are_spaced():
    """"2018 - 2020" as the writer copied it is held by an outline that writes "2018-2020"; a fact it lacks is not."""
    from assistant.speech.outline_eval import score_outline
    from assistant.types import Answer, Section, Statement
    ans = Answer(question="q", mode="talking_points", found=True,
                 answer="Ký kết các nội dung phối hợp giai đoạn 2018-2020 [1]; Kết luận số 120-KL/TW [1].",
                 sections=[Section("I. Mở đầu", [Statement("Ký kết giai đoạn 2018-2020.", [1])]),
                           Section("Kết luận", [Statement("Kết luận số 120-KL/TW.", [1])])])
    scores = score_outline({"must_cover": ["2018 - 2020", "120 - KL / TW", "2015 - 2018"],
                            "forbidden": ["2021 - 2025"]}, ans)
    assert scores["cover"] == round(2 / 3, 3) and scores["missing"] == ["2015 - 2018"] and not scores["forbidden"]


def test_a_speech_citing_a_resolution_draws_on_the_whole_report_at_the_level_asked(office):
    """The request names a resolution to quote and a level ("ở cấp huyện"): the report that names the resolution
    once is the material (its district figure, said in another sentence, leads the results), and its province's
    total is not used. The parties of the working session ("giữa Thường trực Huyện ủy với …") constrain nothing."""
    ans = _outline(office, "Lập đề cương phát biểu của đồng chí Bí thư Huyện ủy tại buổi làm việc giữa Thường trực "
                           "Huyện ủy với Hội Liên hiệp Phụ nữ huyện về công tác cán bộ nữ; dẫn mục tiêu của Nghị quyết "
                           "11 của Bộ Chính trị và thực trạng cán bộ nữ lãnh đạo, quản lý ở cấp huyện")
    assert ans.found, ans.answer
    assert "11-NQ/TW" in ans.answer and "249 người" in ans.answer, ans.answer
    assert "5.814" not in ans.answer, ans.answer  # the province's cadres
    assert all(st.cites and word_count(st.text) <= MAX_BULLET_WORDS for st in _points(ans))
