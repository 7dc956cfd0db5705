"""Work done once per question (issue 28): the sentences are scored once for a question, and composing reads
the scores reranking gave them; a speech outline scores its topic once, even when it widens its scope."""
from __future__ import annotations

import pytest

import assistant.answer.compose as compose_mod
import assistant.answer.sentences as sentences_mod
import assistant.speech.outline as outline_mod
from assistant.answer.compose import compose
from assistant.answer.sentences import score_sentences


@pytest.fixture
def scorings(monkeypatch):
    calls: list[str] = []
    real = sentences_mod.score_sentences

    def counted(q, passages, doc_texts):
        calls.append(q.text)
        return real(q, passages, doc_texts)

    for mod in (sentences_mod, compose_mod, outline_mod):
        monkeypatch.setattr(mod, "score_sentences", counted)
    return calls


@pytest.mark.parametrize("question", ["Năm 2021 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình Dân vận khéo?",
                                      "Chỉ thị 20-CT/ThU nói về gì?", "giá vàng hôm nay bao nhiêu?"])
def test_a_question_is_scored_once(seeds_assistant, scorings, question):
    seeds_assistant.ask(question)
    assert len(scorings) == 1, scorings


def test_an_outline_scores_its_request_and_its_topic_once_each(seeds_assistant, scorings):
    answer = seeds_assistant.ask("Soạn dàn ý phát biểu tại hội nghị sơ kết phong trào thi đua Dân vận khéo "
                                 "của huyện Cẩm Xuyên giai đoạn 2021-2023", mode="talking_points")
    assert answer.sections and len(scorings) == 2, scorings


def test_scores_reranking_gives_are_the_scores_a_second_scoring_would_give(seeds_assistant):
    """The reused scores are exact: after reranking, every sentence's score equals, to the last bit, the
    score of scoring the reranked passages afresh (the passage's place counts in it)."""
    for question in ("Năm 2021 huyện Cẩm Xuyên đăng ký bao nhiêu mô hình Dân vận khéo?",
                     "Ai là Trưởng Ban Dân vận Thành ủy?", "QCDC o co so la gi"):
        r = seeds_assistant.pipeline(question)
        fresh = score_sentences(r.q, r.passages, r.doc_texts)
        assert [(s.text, s.passage_index, s.score, s.base_score, s.typed) for s in r.sentences] == \
               [(s.text, s.passage_index, s.score, s.base_score, s.typed) for s in fresh]
        a = compose(r.q, r.passages, r.doc_texts, r.q.mode, sentences=r.sentences)
        b = compose(r.q, r.passages, r.doc_texts, r.q.mode)
        assert a.to_dict() == b.to_dict()
