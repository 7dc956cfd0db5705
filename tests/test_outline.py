"""Speech outlines on a real store: the five seeds plus a small selection of law and news files.

The selection (six news articles, five articles of Luật Thực hiện dân chủ ở cơ sở) covers the five
topics below and keeps the store CI-sized (~16 documents, under a minute to embed); the whole
seeds + law + news corpus takes ~10 minutes to embed on a free machine.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from assistant.speech.outline import SpeechOptions
from assistant.speech.speech_text import is_headline, near_duplicate, word_count
from tests.conftest import LAW, NEWS, REPO, SEEDS, corpus_assistant
from fake_openai_server import assistant_with_fake_llm

NEWS_FILES = ["test_003072.txt", "baomoi_21481254.txt", "train_090704.txt", "test_003795.txt",
              "train_071532.txt", "test_015300.txt"]
LAW_FILES = [f"phapdien_44.13.LQ.{n}.txt" for n in (1, 2, 3, 5, 6)]
# (request, does a document on this topic hold figures?)
TOPICS = [
    ("Soạn dàn ý phát biểu về nhân rộng mô hình Dân vận khéo", True),
    ("Dàn ý phát biểu về xây dựng nông thôn mới", True),
    ("Soạn dàn ý phát biểu về thực hiện dân chủ ở cơ sở", False),
    ("Dàn ý phát biểu về công tác vận động đồng bào tôn giáo", True),
    ("Gợi ý nội dung phát biểu về cải cách hành chính", False),
]
MAX_WORDS = 60


@pytest.fixture(scope="module")
def speech_assistant(tmp_path_factory, shared_embed_cache):
    files = [SEEDS] + [NEWS / f for f in NEWS_FILES] + [LAW / f for f in LAW_FILES]
    a = corpus_assistant(tmp_path_factory.mktemp("speech-store"), files, shared_embed_cache, added=16)
    a.headlines = []
    for d in a.documents():
        text = "\n".join(c.text for c in a.store.catalogue.chunks_of(d.doc_id))
        a.headlines.append((d.title, text))
    yield a
    a.close()


def _statements(ans):
    return [st for sec in ans.sections for st in sec.statements]


@pytest.mark.parametrize("request_text, has_figures", TOPICS)
def test_outline_shape_and_bullet_rules(speech_assistant, request_text, has_figures):
    ans = speech_assistant.ask(request_text, mode="talking_points")
    assert ans.found and ans.mode == "talking_points"
    titles = [s.title for s in ans.sections]
    assert len(titles) >= 3, ans.answer
    assert titles[0] == "I. Mở đầu"
    assert all(re.match(r"^(?:[IVX]+\. )?(Mở đầu|Quy định liên quan|Kết quả nổi bật|Cách làm hay, mô hình tiêu biểu|Hạn chế, tồn tại|Ý kiến chỉ đạo|"
                        r"Nhiệm vụ, giải pháp thời gian tới|Kết luận)$", t) for t in titles), titles
    opening = ans.sections[0].statements[0].text
    assert "Soạn" not in opening and "dàn ý" not in opening.lower() and not re.search(r"\d", opening)
    points = [st for st in _statements(ans) if st.cites]
    assert points and len(ans.bullets) == len(points)
    n_cites = len(ans.citations)
    # titles and every document's first line (the headline a news page repeats)
    all_titles = [t for t, _ in speech_assistant.headlines] + \
        [next(ln for ln in text.splitlines() if ln.strip()) for _, text in speech_assistant.headlines]
    for st in points:
        assert all(1 <= n <= n_cites for n in st.cites)
        assert word_count(st.text) <= MAX_WORDS, st.text
        assert not is_headline(st.text, all_titles), st.text
        assert not st.text.startswith(("Theo đó", "Bên cạnh đó", "Đồng thời")), st.text
        # the point is the cited passage's words (cleaned), not ours
        cited = next(c for c in ans.citations if c.n == st.cites[0])
        core = re.sub(r"\W+", " ", st.text).strip().split()[2:8]
        assert " ".join(core) in re.sub(r"\W+", " ", cited.passage), (st.text, cited.passage[:200])
    for i, a in enumerate(points):
        for b in points[i + 1:]:
            # two different counts sharing their words are two facts, not a rewording
            assert not near_duplicate(a.text, b.text) or (a.figure and b.figure and a.figure != b.figure), \
                (a.text, b.text)
    assert all(re.search(r"\[\d+\]$", b) for b in ans.bullets)
    if has_figures:
        figs = [st for st in points if st.figure]
        assert figs, ans.answer
        for st in figs:
            assert st.figure in st.text


def test_registered_models_are_the_results(speech_assistant):
    ans = speech_assistant.ask("Soạn dàn ý phát biểu về nhân rộng mô hình Dân vận khéo", mode="talking_points")
    results = next(s for s in ans.sections if s.title.endswith("Kết quả nổi bật"))
    figures = {st.figure for st in results.statements}
    assert {"155 mô hình", "112 mô hình"} <= figures, ans.answer
    cam_xuyen = next(st for st in results.statements if st.figure == "155 mô hình")
    assert "Cẩm Xuyên" in cam_xuyen.label and "2021" in cam_xuyen.text  # place and year said


def test_options_occasion_length_place_period(speech_assistant):
    req = "Soạn dàn ý phát biểu về nhân rộng mô hình Dân vận khéo"
    short = speech_assistant.ask(req, mode="talking_points",
                                 speech=SpeechOptions(occasion="hội nghị sơ kết", audience="cán bộ cơ sở",
                                                      length="ngắn"))
    assert short.sections[0].statements[0].text == \
        "Phát biểu tại hội nghị sơ kết trước cán bộ cơ sở về nhân rộng mô hình Dân vận khéo."
    long = speech_assistant.ask(req, mode="talking_points", speech=SpeechOptions(length="dài"))
    assert all(len(s.statements) <= 3 for s in short.sections)  # 2 per section (results: one more)
    assert len(long.bullets) > len(short.bullets)
    placed = speech_assistant.ask(req, mode="talking_points", speech=SpeechOptions(place="Cẩm Xuyên"))
    assert placed.found and {c.source for c in placed.citations} == {"003_1a7fc85f422d364f.txt"}
    dated = speech_assistant.ask(req, mode="talking_points", speech=SpeechOptions(period="2018"))
    assert dated.found and any(st.figure == "112 mô hình" for st in _statements(dated))
    assert not any(st.figure == "155 mô hình" for st in _statements(dated))  # 2021: outside the period


def test_cli_writes_docx_and_markdown(speech_assistant, tmp_path):
    from docx import Document
    out = tmp_path / "dan-y.docx"
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    db = speech_assistant.settings.data_dir
    r = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "Dàn ý phát biểu về xây dựng nông thôn mới",
                        "--db", str(db), "--mode", "talking_points", "--occasion", "hội nghị tổng kết",
                        "--length", "ngắn", "--docx", str(out), "--markdown"],
                       capture_output=True, text=True, timeout=300, cwd=REPO, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# Dàn ý phát biểu") and "## I. Mở đầu" in r.stdout and "## Nguồn trích dẫn" in r.stdout
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "Dịp phát biểu: hội nghị tổng kết" in texts and "I. Mở đầu" in texts
    bad = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "x", "--db", str(db), "--length", "rất dài"],
                         capture_output=True, text=True, timeout=120, cwd=REPO, env=env)
    assert bad.returncode == 2 and "--length không hợp lệ" in bad.stdout + bad.stderr


# ---- with an LLM (the loopback fake plays the model) --------------------------------------------

REQ = "Soạn dàn ý phát biểu về nhân rộng mô hình Dân vận khéo"


def test_llm_writes_each_section_from_its_own_points(speech_assistant):
    from fake_openai_server import FakeOpenAIServer
    extractive = speech_assistant.ask(REQ, mode="talking_points")
    drafted_sections = [s for s in extractive.sections if any(st.cites for st in s.statements)]
    results = next(s for s in extractive.sections if s.title.endswith("Kết quả nổi bật"))
    n155 = next(st.cites[0] for st in results.statements if st.figure == "155 mô hình")
    other = max(c.n for c in extractive.citations) + 5
    replies = []
    for sec in drafted_sections:
        n = sec.statements[0].cites[0]
        if sec is results:
            replies.append(f"Đầu năm 2021 đăng ký 155 mô hình [{n155}]. Con số lên tới 999 mô hình [{n155}]. "
                           f"Một câu dẫn nguồn không có [{other}].")
        else:
            replies.append(f"<think>nháp</think>Nội dung của mục này được trình bày từ các ý đã dẫn [{n}].")
    with FakeOpenAIServer(replies=replies, usage_chunk=True) as fake:
        a = assistant_with_fake_llm(speech_assistant, fake.base_url)
        events = list(a.ask_stream(REQ, mode="talking_points"))
    ans = events[-1][1]
    assert [k for k, _ in events[:-1]] and all(k == "delta" for k, _ in events[:-1])
    assert len(fake.requests) == len(drafted_sections)  # one call per section
    # each call saw only its section's points and only the passages they cite
    for sec, req in zip(drafted_sections, fake.requests):
        user = req["json"]["messages"][-1]["content"]
        own = {n for st in sec.statements for n in st.cites}
        assert sec.title.split(". ", 1)[-1] in user
        block = user.split("<tai_lieu>")[1]
        assert set(int(x) for x in re.findall(r"^\[(\d+)\] \(", block, re.M)) == own
    drafted_results = next(s for s in ans.sections if s.title.endswith("Kết quả nổi bật"))
    texts = [st.text for st in drafted_results.statements]
    assert texts == ["Đầu năm 2021 đăng ký 155 mô hình."]  # 999: not in the passage; [other]: no such source
    assert "999" in ans.notice and "nguồn hợp lệ" in ans.notice
    assert all("nháp" not in st.text for st in _statements(ans))
    assert ans.bullets and all(re.search(r"\[\d+\]$", b) for b in ans.bullets)


def test_llm_failure_keeps_the_extractive_outline(speech_assistant):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    a = assistant_with_fake_llm(speech_assistant, f"http://127.0.0.1:{port}/v1")
    ans = a.ask(REQ, mode="talking_points")
    extractive = speech_assistant.ask(REQ, mode="talking_points")
    assert ans.found and ans.notice and "LLM" in ans.notice
    assert [s.title for s in ans.sections] == [s.title for s in extractive.sections]
    assert ans.bullets == extractive.bullets


def test_a_list_question_gets_the_points_not_a_speech(speech_assistant):
    ans = speech_assistant.ask("Nêu các nhiệm vụ trọng tâm công tác dân vận 6 tháng cuối năm 2021.")
    assert ans.mode == "talking_points" and ans.found
    assert [s.title for s in ans.sections] == [""]  # one untitled list, no speech sections
    assert all(re.search(r"\[\d+\]$", b) for b in ans.bullets)
    assert all(not b.startswith(("Theo đó", "Phát biểu")) for b in ans.bullets)


@pytest.mark.parametrize("point, direction", [
    ("Phó Bí thư Thường trực Huyện ủy Cẩm Xuyên Hà Thị Việt Ánh phát biểu chỉ đạo tại hội nghị.", True),
    ("Tổng Bí thư yêu cầu các cấp ủy phải thực hiện dân chủ thực chất.", True),
    ("Các xã, thị trấn đã đăng ký 155 mô hình trên các lĩnh vực.", False),
    ("Ban Dân vận đề nghị các xã rà soát mô hình.", False),  # a body's request, no titled speaker
    ("Chủ tịch Ủy ban nhân dân xã ký quyết định công nhận.", False),  # "dân" folds like "dặn"
    ("Trưởng Ban Chỉ đạo phong trào đã ký kế hoạch năm.", False),  # a body's name, not a direction
])
def test_is_direction(point, direction):
    from assistant.speech.outline_kinds import is_direction
    assert is_direction(point) is direction


def test_provision_clause_opening_a_chunk_is_sayable():
    """A chunk of an article may open with its clause ("c) …"): that is no news headline, and a quorum ("đại diện
    … tham dự họp") is no attendance line."""
    from types import SimpleNamespace
    from assistant.speech.outline import SpeechOptions, _sayable
    from assistant.types import Passage
    text = ("c) Xem xét, giải quyết kịp thời các kiến nghị của Ban Thanh tra nhân dân, thông báo kết quả giải quyết "
            "trong thời hạn 15 ngày kể từ ngày nhận được kiến nghị;\nd) Phải có đại diện của trên 50% tổng số hộ gia "
            "đình tại cộng đồng dân cư tham dự họp;")
    law = Passage(chunk_id="c1", doc_id="d1", text=text, score=1.0, source="phapdien.txt", title="Điều 40",
                  meta={"kind": "law", "article": "Điều 40"})
    for line in text.splitlines():
        assert _sayable(SimpleNamespace(text=line, passage_index=0), [law], {"d1": text}, SpeechOptions())
    news = Passage(chunk_id="c2", doc_id="d2", text=text, score=1.0, source="tin.txt", title="Tin")
    assert not _sayable(SimpleNamespace(text=text.splitlines()[0], passage_index=0), [news], {"d2": text},
                        SpeechOptions())  # a news chunk's first line is its headline


@pytest.mark.parametrize("request_text, kinds", [
    ("Soạn dàn ý phát biểu triển khai nhiệm vụ trọng tâm 6 tháng cuối năm 2021", {"task"}),
    ("dan y phat bieu tai hoi nghi danh gia ket qua thuc hien Ket luan 120", {"result"}),  # typed without accents
    ("Dàn ý phát biểu nêu kết quả, hạn chế của phong trào", {"result", "limitation"}),
    ("Dàn ý phát biểu: kết quả, hạn chế, bài học kinh nghiệm và nhiệm vụ năm tới", set()),  # a whole report
    ("Soạn dàn ý phát biểu về nhân rộng mô hình Dân vận khéo", set()),  # a topic, no section asked for
])
def test_the_sections_a_request_asks_for(request_text, kinds):
    from assistant.speech.outline_kinds import asked_kinds
    assert asked_kinds(request_text) == kinds


def test_the_section_a_request_asks_for_gets_more_room(speech_assistant):
    """Asked for the tasks ahead, the outline's task section holds more points than a plain speech's."""
    plain = speech_assistant.ask("Soạn dàn ý phát biểu về công tác dân vận 6 tháng cuối năm 2021",
                                 mode="talking_points")
    asked = speech_assistant.ask("Soạn dàn ý phát biểu triển khai nhiệm vụ trọng tâm công tác dân vận 6 tháng "
                                 "cuối năm 2021", mode="talking_points")

    def tasks(ans):
        return next((len(s.statements) for s in ans.sections if s.title.endswith("Nhiệm vụ, giải pháp thời gian tới")), 0)
    assert asked.found and tasks(asked) > max(tasks(plain), 3), (asked.answer, plain.answer)


@pytest.mark.parametrize("text, levels", [
    ("thực trạng cán bộ nữ lãnh đạo, quản lý ở cấp huyện", {"huyen"}),
    ("Trong khi đó, ở cấp tỉnh, tổng số cán bộ nữ là 5.814 người", {"tinh"}),
    ("Các đơn vị đã hỗ trợ các xã nghèo 10 tỷ đồng", set()),  # "các xã" are places, no level
])
def test_levels_a_text_states(text, levels):
    from assistant.speech.outline_kinds import stated_levels
    assert stated_levels(text) == levels
