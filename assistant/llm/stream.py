"""What real LLM servers do that an idealised one does not, handled in one place (pure helpers).

- reasoning models put ``<think>…</think>`` before the answer, split across stream chunks;
- a 429/5xx may carry ``Retry-After``: wait (bounded) and try again, only before any text was shown;
- Ollama's default context is small and cuts long prompts silently: ``num_ctx`` from the prompt size;
- ``finish_reason: "length"`` means the answer was cut: say so;
- replies list points as "- ", "* ", "•" or "1." lines.
"""
from __future__ import annotations

import email.utils
import re
import time
from dataclasses import dataclass, field
from typing import Any

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"
# Statuses worth a retry when the server says when (Retry-After); anything else fails at once.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRIES = 2
MAX_RETRY_WAIT_S = 5.0  # a longer Retry-After is not waited out: the extractive answer is shown instead
# Ollama context sizing: Vietnamese runs ~2.5 characters per token in common tokenizers.
CHARS_PER_TOKEN = 2.5
ANSWER_TOKENS = 1024
NUM_CTX_STEP = 1024
NUM_CTX_MIN = 4096
NUM_CTX_MAX = 32768
TRUNCATED_NOTICE = "Câu trả lời của LLM bị cắt do giới hạn độ dài; các câu chưa trọn đã được bỏ."
_BULLET_RE = re.compile(r"^\s*(?:[-*•+–]|\d{1,2}[.)])\s+(?P<text>\S.*)$")
_THINK_BLOCK_RE = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)


@dataclass
class StreamInfo:
    """Filled while a reply streams: why it ended, tokens used, retries made."""
    finish_reason: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)
    retries: int = 0

    @property
    def truncated(self) -> bool:
        return self.finish_reason == "length"


class ThinkFilter:
    """Drops ``<think>…</think>`` from streamed text, even when a tag is split between chunks."""

    def __init__(self) -> None:
        self._buf = ""
        self._inside = False

    def feed(self, text: str) -> str:
        self._buf += text
        out: list[str] = []
        while self._buf:
            if self._inside:
                end = self._buf.find(THINK_CLOSE)
                if end < 0:
                    self._buf = self._buf[-(len(THINK_CLOSE) - 1):]  # keep a possible partial close tag
                    break
                self._buf = self._buf[end + len(THINK_CLOSE):].lstrip("\n")
                self._inside = False
                continue
            start = self._buf.find(THINK_OPEN)
            if start >= 0:
                out.append(self._buf[:start])
                self._buf = self._buf[start + len(THINK_OPEN):]
                self._inside = True
                continue
            keep = _partial_tag_suffix(self._buf, THINK_OPEN)
            out.append(self._buf[:len(self._buf) - keep])
            self._buf = self._buf[len(self._buf) - keep:]
            break
        return "".join(out)

    def flush(self) -> str:
        rest, self._buf = ("" if self._inside else self._buf), ""
        return rest


def _partial_tag_suffix(text: str, tag: str) -> int:
    """Length of the longest end of ``text`` that could begin ``tag``."""
    for k in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-k:]):
            return k
    return 0


def strip_think(text: str) -> str:
    """A whole reply without its think blocks (an unclosed one runs to the end)."""
    return _THINK_BLOCK_RE.sub("", text or "").strip()


def retry_after_seconds(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait, when the error is worth a retry; None otherwise."""
    response = getattr(exc, "response", None)
    status = getattr(exc, "status_code", None) or getattr(response, "status_code", None)
    if status not in RETRY_STATUSES or response is None:
        return None
    headers = getattr(response, "headers", {}) or {}
    raw = headers.get("retry-after") or headers.get("Retry-After")
    if raw is None:
        return None
    raw = str(raw).strip()
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def retry_wait(exc: BaseException, attempt: int) -> float | None:
    """How long to wait before attempt ``attempt + 1``; None when no retry should be made."""
    if attempt >= MAX_RETRIES:
        return None
    wait = retry_after_seconds(exc)
    if wait is None or wait > MAX_RETRY_WAIT_S:
        return None
    return wait


def num_ctx_for(prompt_chars: int) -> int:
    """A context that holds the prompt and the answer, in NUM_CTX_STEP steps, within bounds."""
    need = int(prompt_chars / CHARS_PER_TOKEN) + ANSWER_TOKENS
    need = -(-need // NUM_CTX_STEP) * NUM_CTX_STEP
    return max(NUM_CTX_MIN, min(NUM_CTX_MAX, need))


def chunk_finish(chunk: Any, info: StreamInfo) -> None:
    """Record finish reason and usage from a LangChain message chunk (OpenAI or Ollama wording)."""
    meta = getattr(chunk, "response_metadata", None) or {}
    reason = meta.get("finish_reason") or meta.get("done_reason")
    if reason:
        info.finish_reason = str(reason)
    usage = getattr(chunk, "usage_metadata", None)
    if usage:
        info.usage = dict(usage)


def parse_bullets(text: str) -> list[str]:
    """The points of a reply written as "- ", "* ", "•", "+" or "1." / "1)" lines."""
    out = []
    for line in (text or "").splitlines():
        m = _BULLET_RE.match(line)
        if m:
            out.append(m.group("text").strip())
    return out


def drop_unfinished(text: str) -> str:
    """A reply cut by the length limit without its last, unfinished sentence."""
    text = text.rstrip()
    if not text or text[-1] in ".!?…]\"”)":
        return text
    cut = max(text.rfind(". "), text.rfind("\n"), text.rfind("] "))
    return text[:cut + 1].rstrip() if cut > 0 else ""
