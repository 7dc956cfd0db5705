"""Which words of a quote are marked for a question: content words, numbers, references — never function words."""
from __future__ import annotations

import re

import pytest

from assistant.answer.highlight import content_runs, fold, highlight_terms, mark_spans, mark_spans_unaccented
from ui.render import highlight_html


@pytest.mark.parametrize("question, runs", [
    ("Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?",
     [["thị", "xã", "hồng", "lĩnh", "đăng", "ký"], ["mô", "hình", "dân", "vận", "khéo"]]),
    ("Soạn ý chính bài phát biểu về vấn đề nhận thức của cán bộ cơ sở",
     [["vấn", "đề", "nhận", "thức"], ["cán", "bộ", "cơ", "sở"]]),
    ("Ai được bầu làm Bí thư?", [["bầu"], ["bí", "thư"]]),
    ("Cho biết là gì?", []),
])
def test_content_runs(question, runs):
    assert content_runs(question) == runs


@pytest.mark.parametrize("question, must, must_not", [
    ("Chỉ thị 20-CT/ThU nói về nội dung gì?", ["20-ct/thu", "chỉ thị"], ["về", "nội dung"]),
    ("Năm 2018 Hồng Lĩnh có bao nhiêu mô hình?", ["2018", "hồng lĩnh", "mô hình"], ["năm", "có", "mô", "hình"]),
    ("Soạn ý phát biểu về vấn đề nhận thức", ["vấn đề nhận thức", "vấn đề"], ["vấn", "nhận", "phát biểu", "về"]),
])
def test_highlight_terms(question, must, must_not):
    terms = highlight_terms(question)
    assert all(t in terms for t in must), terms
    assert not any(t in terms for t in must_not), terms


@pytest.mark.parametrize("text, question, marked", [
    # Function words of the question are never marked, even where the passage has them.
    ("Cán bộ cơ sở phát biểu về vấn đề nhận thức.", "Soạn ý phát biểu về vấn đề nhận thức của cán bộ cơ sở",
     ["Cán bộ cơ sở", "vấn đề nhận thức"]),
    # A syllable the question only uses inside a longer word is not marked alone.
    ("Cơ quan nhận được vấn tin.", "vấn đề nhận thức cơ sở", []),
    ("Năm 2018 đăng ký 112 mô hình Dân vận khéo.", "Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?",
     ["2018", "đăng ký", "mô hình Dân vận khéo"]),
    ("Chỉ thị số 20-CT/ThU của Ban Thường vụ", "Chỉ thị 20-CT/ThU là gì?", ["Chỉ thị", "20-CT/ThU"]),
    ("dân  vận\nkhéo", "dân vận khéo", ["dân  vận\nkhéo"]),
])
def test_mark_spans(text, question, marked):
    assert [text[a:b] for a, b in mark_spans(text, highlight_terms(question))] == marked


def test_highlight_html_escapes():
    assert highlight_html("<b>dân vận</b>", "dân vận") == "&lt;b&gt;<mark>dân vận</mark>&lt;/b&gt;"


def test_unaccented_question_marks_the_restored_words(seeds_assistant):
    """Issue 26 item 5: a question typed without accents marks the restored words in the sources, not only
    the year."""
    from ui.render import sources_html
    answer = seeds_assistant.ask("nam 2018 thi xa hong linh dang ky bao nhieu mo hinh dan van kheo", mode="qa")
    assert answer.restored_question, answer
    marked = {m.lower() for m in re.findall(r"<mark>(.*?)</mark>", sources_html(answer))}
    assert {"2018", "đăng ký", "mô hình", "dân vận khéo", "thị xã"} <= marked, marked  # before: only "2018"
    assert "năm" not in marked, marked  # "nam" typed is not marked as every "năm"
    accented = seeds_assistant.ask("Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?", mode="qa")
    assert accented.restored_question is None


def test_unaccented_terms_match_any_accents():
    text = "Năm 2018, thị xã Hồng Lĩnh đăng ký 112 mô hình “Dân vận khéo”."
    spans = mark_spans_unaccented(text, highlight_terms("nam 2018 thi xa hong linh dang ky mo hinh dan van kheo"))
    assert [text[a:b] for a, b in spans] == ["2018", "thị xã Hồng Lĩnh đăng ký", "mô hình", "Dân vận khéo"]
    assert fold("Đảng ủy") == "Dang uy" and len(fold(text)) == len(text)
