"""The LLM path through the service (the same functions the CLI and app use), against the
loopback OpenAI-protocol test double: streaming, citation validation, fallback when unreachable."""
from __future__ import annotations

import socket

from fake_openai_server import FakeOpenAIServer, assistant_with_fake_llm


QUESTION = "Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?"


def test_llm_answer_streams_and_citations_are_validated(seeds_assistant):
    reply = "Năm 2018 thị xã đăng ký 112 mô hình [1]. Theo một nguồn khác là 999 mô hình [9]."
    with FakeOpenAIServer(reply=reply) as fake:
        a = assistant_with_fake_llm(seeds_assistant, fake.base_url)
        events = list(a.ask_stream(QUESTION))
    deltas = [v for k, v in events if k == "delta"]
    answer = events[-1][1]
    assert len(deltas) >= 2 and "".join(deltas) == reply
    assert "[9]" not in answer.answer and "[1]" in answer.answer  # unknown marker removed
    assert answer.citations and answer.citations[0].n == 1
    assert "999" in (answer.notice or "")  # a figure in no cited passage is flagged
    user_message = fake.requests[-1]["json"]["messages"][-1]["content"]
    assert "<tai_lieu>" in user_message and "112 mô hình" in user_message  # the passages were numbered in


def test_unreachable_llm_falls_back_to_the_extractive_answer(seeds_assistant):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    a = assistant_with_fake_llm(seeds_assistant, f"http://127.0.0.1:{port}/v1")
    events = list(a.ask_stream(QUESTION))
    assert [k for k, _ in events] == ["answer"]  # nothing streamed before the fallback
    answer = events[-1][1]
    assert answer.found and "112" in answer.answer
    assert answer.notice and "LLM" in answer.notice
