"""The LLM client against what real servers do, played by the loopback fake (tests/fake_openai_server.py).

Each case is one behaviour seen from llama.cpp, vLLM, Ollama or hosted APIs: usage-only last chunk,
SSE comments, finish_reason "length", think blocks, a dropped connection, Retry-After, a slow first
token, and Ollama's native NDJSON stream with num_ctx sized from the prompt.
"""
from __future__ import annotations

import time

import pytest

from assistant.llm.chat import LLMUnavailable, build_messages, condense_question, prompt_chars, stream_llm_answer
from assistant.llm.stream import (MAX_RETRY_WAIT_S, StreamInfo, ThinkFilter, drop_unfinished, num_ctx_for,
                                  parse_bullets, strip_think)
from assistant.types import Passage
from config import Settings

try:
    from tests.fake_openai_server import FakeOpenAIServer
except ImportError:  # tests/ on sys.path instead of the repo root
    from fake_openai_server import FakeOpenAIServer

PASSAGES = [Passage(chunk_id="c1", doc_id="d1", source="002.txt", title="Sơ kết Chỉ thị 20",
                    text="Năm 2018 thị xã đăng ký 112 mô hình dân vận khéo.")]
REPLY = "Thị xã đăng ký 112 mô hình [1]."


def openai_settings(fake, timeout: float = 10) -> Settings:
    return Settings(llm="openai:fake-model", llm_base_url=fake.base_url, llm_timeout=timeout, _env_file=None)


def ollama_settings(fake, timeout: float = 10) -> Settings:
    return Settings(llm="ollama:fake-model", llm_base_url=f"http://127.0.0.1:{fake.port}", llm_timeout=timeout,
                    _env_file=None)


def run(settings, info=None) -> str:
    return "".join(stream_llm_answer(settings, "Có bao nhiêu mô hình?", "qa", PASSAGES, info=info))


@pytest.mark.parametrize("make", [openai_settings, ollama_settings], ids=["openai", "ollama"])
def test_usage_only_last_chunk_and_keepalives(make):
    with FakeOpenAIServer(reply=REPLY, usage_chunk=True, keepalive=True) as fake:
        info = StreamInfo()
        assert run(make(fake), info) == REPLY
    assert info.finish_reason == "stop"
    if make is openai_settings:
        assert fake.requests[0]["json"]["stream"] is True


@pytest.mark.parametrize("make", [openai_settings, ollama_settings], ids=["openai", "ollama"])
def test_finish_reason_length_is_reported(make):
    with FakeOpenAIServer(reply="Thị xã đăng ký 112 mô hình [1]. Ngoài ra còn", finish_reason="length") as fake:
        info = StreamInfo()
        text = run(make(fake), info)
    assert info.truncated
    assert drop_unfinished(text) == "Thị xã đăng ký 112 mô hình [1]."


@pytest.mark.parametrize("make", [openai_settings, ollama_settings], ids=["openai", "ollama"])
def test_think_block_before_the_answer_is_not_shown(make):
    with FakeOpenAIServer(reply=REPLY, think="Người dùng hỏi số mô hình; đoạn [1] nói 999 mô hình?") as fake:
        deltas = list(stream_llm_answer(make(fake), "Hỏi?", "qa", PASSAGES))
    assert "".join(deltas) == REPLY
    assert not any("<" in d or "999" in d for d in deltas)


@pytest.mark.parametrize("make", [openai_settings, ollama_settings], ids=["openai", "ollama"])
def test_disconnect_mid_stream_raises_after_partial_text(make):
    with FakeOpenAIServer(reply=REPLY * 3, n_deltas=6, disconnect_after=2) as fake:
        got: list[str] = []
        with pytest.raises(LLMUnavailable):
            for d in stream_llm_answer(make(fake), "Hỏi?", "qa", PASSAGES):
                got.append(d)
    assert got and "".join(got) != REPLY * 3


@pytest.mark.parametrize("status", [429, 500, 503])
def test_retry_after_is_honoured_with_a_bound(status):
    with FakeOpenAIServer(reply=REPLY, fail_first=[(status, "1"), (status, "0")]) as fake:
        info = StreamInfo()
        t0 = time.monotonic()
        assert run(openai_settings(fake), info) == REPLY
        elapsed = time.monotonic() - t0
    assert len(fake.requests) == 3 and info.retries == 2
    assert 0.9 <= elapsed < 10
    waits = [b["time"] - a["time"] for a, b in zip(fake.requests, fake.requests[1:])]
    assert waits[0] >= 0.9  # waited the second it was told


@pytest.mark.parametrize("failures", [
    [(429, "1"), (429, "1"), (429, "1")],  # more failures than retries
    [(429, str(int(MAX_RETRY_WAIT_S) + 60))],  # asked to wait longer than we will
    [(500, None)],  # no Retry-After: no retry
])
def test_retries_are_bounded(failures):
    with FakeOpenAIServer(reply=REPLY, fail_first=failures) as fake:
        t0 = time.monotonic()
        with pytest.raises(LLMUnavailable):
            run(openai_settings(fake))
        assert time.monotonic() - t0 < 2 * MAX_RETRY_WAIT_S
    assert len(fake.requests) == min(len(failures), 3)


@pytest.mark.parametrize("make", [openai_settings, ollama_settings], ids=["openai", "ollama"])
def test_slow_first_token_within_timeout(make):
    with FakeOpenAIServer(reply=REPLY, first_delay=1.5) as fake:
        t0 = time.monotonic()
        assert run(make(fake, timeout=10)) == REPLY
        assert time.monotonic() - t0 >= 1.4


def test_slow_first_token_past_timeout_is_unavailable():
    with FakeOpenAIServer(reply=REPLY, first_delay=5) as fake:
        with pytest.raises(LLMUnavailable):
            run(openai_settings(fake, timeout=1))


def test_ollama_native_chat_with_num_ctx_from_prompt_size():
    long_passages = [Passage(chunk_id=f"c{i}", doc_id="d", source="s.txt", title="T",
                             text="Năm 2018 thị xã đăng ký 112 mô hình dân vận khéo. " * 40) for i in range(8)]
    with FakeOpenAIServer(reply=REPLY) as fake:
        text = "".join(stream_llm_answer(ollama_settings(fake), "Hỏi?", "qa", long_passages))
        short = "".join(stream_llm_answer(ollama_settings(fake), "Hỏi?", "qa", PASSAGES))
    assert text == short == REPLY
    assert [r["path"] for r in fake.requests] == ["/api/chat", "/api/chat"]
    big, small = (r["json"]["options"]["num_ctx"] for r in fake.requests)
    chars = prompt_chars(build_messages("Hỏi?", "qa", long_passages))
    assert big == num_ctx_for(chars) and big > small and big * 2.5 > chars  # the prompt fits: not cut silently
    assert fake.requests[0]["json"]["stream"] is True


@pytest.mark.parametrize("chars, expected", [(0, 4096), (10_000, 5120), (60_000, 25600), (10**7, 32768)])
def test_num_ctx_sizing(chars, expected):
    assert num_ctx_for(chars) == expected


@pytest.mark.parametrize("pieces, expected", [
    (["<think>a</think>Trả lời"], "Trả lời"),
    (["<thi", "nk>suy nghĩ</th", "ink>\nTrả", " lời [1]"], "Trả lời [1]"),
    (["Trả lời < 5 [1]"], "Trả lời < 5 [1]"),
    (["Không suy nghĩ", " <", "b>"], "Không suy nghĩ <b>"),
    (["<think>chưa đóng"], ""),
])
def test_think_filter_across_chunks(pieces, expected):
    f = ThinkFilter()
    out = "".join(f.feed(p) for p in pieces) + f.flush()
    assert out == expected


@pytest.mark.parametrize("reply, bullets", [
    ("- Ý một [1]\n- Ý hai [2]", ["Ý một [1]", "Ý hai [2]"]),
    ("* Ý một [1]\n* Ý hai [2]", ["Ý một [1]", "Ý hai [2]"]),
    ("• Ý một [1]\n•  Ý hai [2]", ["Ý một [1]", "Ý hai [2]"]),
    ("Các ý chính:\n1. Ý một [1]\n2) Ý hai [2]\n\nKết: hết.", ["Ý một [1]", "Ý hai [2]"]),
    ("Không có gạch đầu dòng.", []),
])
def test_bullets_parsed_from_any_list_style(reply, bullets):
    assert parse_bullets(reply) == bullets


HISTORY = [("Chỉ thị 20-CT/ThU là gì?", "Là chỉ thị về Dân vận khéo [1].")]


@pytest.mark.parametrize("reply", [
    "<think>Người dùng hỏi 'nó' là Chỉ thị 20.</think>\nChỉ thị 20-CT/ThU được sơ kết khi nào?",
    "Đây là câu hỏi đã viết lại:\nChỉ thị 20-CT/ThU được sơ kết khi nào?",
    "Sure, here is the standalone question:\n\n\"Chỉ thị 20-CT/ThU được sơ kết khi nào?\"",
    "Câu hỏi độc lập:\n- Chỉ thị 20-CT/ThU được sơ kết khi nào?",
])
def test_condensing_ignores_preambles_and_think_blocks(reply):
    with FakeOpenAIServer(reply=reply) as fake:
        out = condense_question(openai_settings(fake), "Nó được sơ kết khi nào?", HISTORY)
    assert out == "Chỉ thị 20-CT/ThU được sơ kết khi nào?"


def test_strip_think():
    assert strip_think("<think>x</think>\nKết quả") == "Kết quả"
    assert strip_think("<think>không đóng") == ""


def test_the_answer_length_cap_is_sent_as_max_tokens():
    """llama.cpp's server (and others) read "max_tokens" and ignore "max_completion_tokens", which ChatOpenAI
    sends for its own field: without "max_tokens" in the body such a server generates to the end of its
    context (seen against the real llama-cpp-python server)."""
    with FakeOpenAIServer(reply=REPLY) as fake:
        settings = openai_settings(fake).model_copy(update={"llm_max_tokens": 64})
        assert run(settings) == REPLY
    body = fake.requests[0]["json"]
    assert body.get("max_tokens") == 64
    assert "max_completion_tokens" not in body
