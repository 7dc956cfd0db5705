"""Optional LLM answers through LangChain (OpenAI-compatible servers or Ollama).

The assistant answers extractively by default; this module is only used when ``settings.llm`` is
set. Provider packages are imported lazily so the app runs without them, and every failure of the
model is turned into :class:`LLMUnavailable` so the caller can fall back with a visible notice.
"""
from __future__ import annotations

import itertools
import re
import time
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Iterator

from assistant.llm.stream import StreamInfo, ThinkFilter, chunk_finish, num_ctx_for, retry_wait, strip_think
from assistant.types import Passage
from config import Settings

PROMPTS_PACKAGE = "prompts"

NOT_FOUND = "Không tìm thấy thông tin này trong tài liệu đã nạp"

MODE_INSTRUCTIONS: dict[str, str] = {
    "qa": (
        "Câu đầu tiên trả lời thẳng vào câu hỏi; các câu sau (nếu cần) bổ sung chi tiết. "
        "Mỗi ý kèm số đoạn nguồn [n]."
    ),
    "lookup": (
        "Nêu ngay ở đầu câu trả lời con số hoặc số hiệu văn bản được hỏi, kèm đối tượng mà nó nói tới "
        "(ví dụ: \"Chỉ thị số …: về …\"), chép nguyên văn như trong tài liệu, rồi ghi số đoạn nguồn [n]."
    ),
    "talking_points": (
        "Trình bày từ 3 đến 7 gạch đầu dòng, mỗi dòng bắt đầu bằng \"- \", mỗi dòng là một ý ngắn gọn "
        "có thể dùng khi nói chuyện với nhân dân, và mỗi dòng đều kèm số đoạn nguồn [n]. "
        "Không viết lời mở đầu hay kết luận."
    ),
}

# History kept in the prompt: enough for follow-ups, small enough for local models' contexts.
MAX_HISTORY_TURNS = 3
MAX_HISTORY_CHARS = 600


class LLMUnavailable(Exception):
    """The configured LLM could not answer (unreachable, timeout, HTTP error, missing package)."""


# ---------------------------------------------------------------------------------------------
# Model construction
# ---------------------------------------------------------------------------------------------

def parse_llm_spec(spec: str | None) -> tuple[str, str]:
    """Split ``openai:<model>`` / ``ollama:<model>`` so a typo fails loudly instead of silently."""
    if not spec or ":" not in spec:
        raise ValueError(f"Cấu hình LLM không hợp lệ (invalid DANVAN_LLM): {spec!r}; dùng openai:<model> hoặc ollama:<model>")
    provider, model = spec.split(":", 1)
    provider, model = provider.strip().lower(), model.strip()
    if provider not in {"openai", "ollama"} or not model:
        raise ValueError(f"Cấu hình LLM không hợp lệ (invalid DANVAN_LLM): {spec!r}; dùng openai:<model> hoặc ollama:<model>")
    return provider, model


def make_chat_model(settings: Settings, num_ctx: int | None = None) -> Any:
    """Build the LangChain chat model; no client retries (ours honour Retry-After, bounded).

    ``num_ctx`` (Ollama): the context to allocate; Ollama's default silently cuts long prompts."""
    provider, model = parse_llm_spec(settings.llm)
    if provider == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise RuntimeError("Thiếu gói langchain-openai (missing package): pip install langchain-openai") from exc
        return ChatOpenAI(
            model=model,
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key,
            temperature=0,
            timeout=settings.llm_timeout,
            max_retries=0,
            # as "max_tokens" in the body: ChatOpenAI's own field goes out as "max_completion_tokens", which
            # llama.cpp's server ignores — it then generates to the end of its context
            **({"extra_body": {"max_tokens": settings.llm_max_tokens}} if settings.llm_max_tokens else {}),
        )
    try:
        from langchain_ollama import ChatOllama
    except ImportError as exc:
        raise RuntimeError("Thiếu gói langchain-ollama (missing package): pip install langchain-ollama") from exc
    kwargs: dict[str, Any] = {
        "model": model,
        "temperature": 0,
        # The ollama client (httpx) does not retry; the timeout covers connect and each read.
        "client_kwargs": {"timeout": settings.llm_timeout},
    }
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if num_ctx:
        kwargs["num_ctx"] = num_ctx
    if settings.llm_max_tokens:
        kwargs["num_predict"] = settings.llm_max_tokens
    return ChatOllama(**kwargs)


# ---------------------------------------------------------------------------------------------
# Prompts
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def load_prompt(name: str) -> str:
    """Read ``prompts/<name>.txt`` (package data) so wording can be edited without touching code."""
    return resources.files(PROMPTS_PACKAGE).joinpath(f"{name}.txt").read_text(encoding="utf-8")


_PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


def fill_template(template: str, **values: str) -> str:
    """Substitute ``{name}`` in one pass, so braces inside inserted text are never re-expanded."""
    return _PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), template)


# Any spelling of the delimiter tag a document could use to close or reopen the context block.
_DELIM_RE = re.compile(r"<\s*/?\s*tai[\s_\-]*lieu\b[^>]*>", re.IGNORECASE)


def sanitize_block_text(text: str) -> str:
    """Neutralise ``<tai_lieu>``/``</tai_lieu>`` inside untrusted text so it cannot end the block."""
    text = unicodedata.normalize("NFC", text or "")
    return _DELIM_RE.sub("[thẻ đã lược bỏ]", text)


def passage_header(n: int, p: Passage) -> str:
    """``[n] (title — outlet, date)``: what the model needs to name a source."""
    title = (p.title or p.source or "").strip()
    article = str(p.meta.get("article") or "").strip() if p.meta else ""
    if article and article.lower() not in title.lower():
        title = f"{article} — {title}" if title else article
    where = ", ".join(x.strip() for x in (p.outlet, p.date) if x and x.strip())
    label = f"{title} — {where}" if where else title
    return sanitize_block_text(f"[{n}] ({label})")


def format_context(passages: list[Passage]) -> str:
    """Numbered passages, one after another, ready to sit inside the ``<tai_lieu>`` block."""
    parts = [f"{passage_header(i, p)}\n{sanitize_block_text(p.text).strip()}" for i, p in enumerate(passages, 1)]
    return "\n\n".join(parts)


def _strip_markers(text: str) -> str:
    """Old answers' [n] refer to old passages; drop them so the model cannot reuse stale numbers."""
    return re.sub(r"\s*" + _MARKER_RE.pattern, "", text)


def normalize_history(history: Iterable[tuple[str, str]] | None) -> list[tuple[str, str]]:
    """Accept ``(role, content)`` or Gradio-style ``(question, answer)`` pairs → ``(role, content)``."""
    roles = {"user": "user", "human": "user", "assistant": "assistant", "ai": "assistant"}
    out: list[tuple[str, str]] = []
    for a, b in history or []:
        if isinstance(a, str) and a.strip().lower() in roles:
            if b:
                out.append((roles[a.strip().lower()], str(b)))
            continue
        if a:
            out.append(("user", str(a)))
        if b:
            out.append(("assistant", str(b)))
    return out


def _trimmed_history(history: Iterable[tuple[str, str]] | None) -> list[tuple[str, str]]:
    """Last few turns, long answers shortened and citation markers removed."""
    msgs = normalize_history(history)[-2 * MAX_HISTORY_TURNS:]
    out = []
    for role, content in msgs:
        content = sanitize_block_text(_strip_markers(content) if role == "assistant" else content).strip()
        if len(content) > MAX_HISTORY_CHARS:
            content = content[:MAX_HISTORY_CHARS].rstrip() + " …"
        out.append((role, content))
    return out


def _lc_messages() -> Any:
    try:
        from langchain_core import messages
    except ImportError as exc:
        raise RuntimeError("Thiếu gói langchain-core (missing package): pip install langchain-core") from exc
    return messages


def build_messages(
    question: str,
    mode: str,
    passages: list[Passage],
    history: list[tuple[str, str]] | None = None,
) -> list:
    """System rules + earlier turns + one user message holding the delimited passages and the question."""
    lc = _lc_messages()
    instruction = MODE_INSTRUCTIONS.get(mode, MODE_INSTRUCTIONS["qa"])
    user = fill_template(
        load_prompt("answer_user_vi"),
        context=format_context(passages),
        mode_instruction=instruction,
        question=sanitize_block_text(question).strip(),
    )
    msgs: list = [lc.SystemMessage(content=load_prompt("answer_system_vi").strip())]
    for role, content in _trimmed_history(history):
        msgs.append(lc.HumanMessage(content=content) if role == "user" else lc.AIMessage(content=content))
    msgs.append(lc.HumanMessage(content=user.strip()))
    return msgs


# ---------------------------------------------------------------------------------------------
# Citation and figure checks
# ---------------------------------------------------------------------------------------------

# "[3]", "[1, 3]", "[1;2]", "[2-4]" — bracket groups made only of numbers.
_MARKER_RE = re.compile(r"\[\s*\d+(?:\s*(?:[,;]|[-–])\s*\d+)*\s*\]")


def _marker_numbers(marker: str) -> list[int]:
    """Numbers in one bracket group; a range ``[2-4]`` expands (bounded) to 2, 3, 4."""
    body = marker.strip("[] \t")
    nums: list[int] = []
    for part in re.split(r"\s*[,;]\s*", body):
        m = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", part)
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
            nums.extend(range(lo, hi + 1) if 0 <= hi - lo <= 20 else (lo, hi))
        elif part.isdigit():
            nums.append(int(part))
    return nums


def cited_numbers(text: str) -> list[int]:
    """Passage numbers cited in ``text``, unique, in order of first appearance."""
    seen: dict[int, None] = {}
    for m in _MARKER_RE.finditer(text or ""):
        for n in _marker_numbers(m.group(0)):
            seen.setdefault(n, None)
    return list(seen)


_UNITS = r"(?i:%|phần\s+trăm|nghìn|ngàn|triệu|tỷ|tỉ)"
# A figure: number with separators, optional code parts (20-CT/ThU, 12/2022/QH15, 15/3/2023), optional unit.
_FIGURE_RE = re.compile(
    r"(?<![\w.,])\d+(?:[.,]\d+)*"
    r"(?:\s?[/\-–]\s?[0-9A-ZĐ][0-9A-Za-zÀ-ỹĐđ]*)*"
    r"(?:\s*" + _UNITS + r"(?!\w))?"
)
_ORDINAL_LINE_RE = re.compile(r"(?m)^\s*\d{1,2}[.)]\s")


def normalize_figure_text(text: str) -> str:
    """Canonical spelling for comparing figures: case, spacing around / and -, units, leading zeros."""
    t = unicodedata.normalize("NFC", text).lower()
    t = t.replace("–", "-").replace("\u00a0", " ")
    t = re.sub(r"(?<=\w)\s*([/\-])\s*(?=\w)", r"\1", t)
    t = re.sub(r"\bphần\s+trăm\b", "%", t)
    t = re.sub(r"\btỉ\b", "tỷ", t)
    t = re.sub(r"\bngàn\b", "nghìn", t)
    t = re.sub(r"(\d)\s*%", r"\1%", t)
    t = re.sub(r"(\d)\s*(nghìn|triệu|tỷ)(?!\w)", r"\1 \2", t)
    t = re.sub(r"(?<![\d.,])0+(\d)", r"\1", t)
    return re.sub(r"\s+", " ", t)


def extract_figures(text: str) -> list[str]:
    """Figures written in a reply (markers and list ordinals excluded; lone digits are counts, skipped)."""
    body = _MARKER_RE.sub(" ", text or "")
    body = _ORDINAL_LINE_RE.sub(" ", body)
    out: dict[str, None] = {}
    for m in _FIGURE_RE.finditer(body):
        fig = m.group(0).strip()
        if re.fullmatch(r"\d", fig):
            continue
        out.setdefault(fig, None)
    return list(out)


def figure_in_text(figure: str, normalized_text: str) -> bool:
    """Whole-token match of a normalised figure (so 12 does not match 112 or 1.12)."""
    fig = normalize_figure_text(figure)
    pattern = r"(?<![\w])(?<!\d[.,])" + re.escape(fig) + r"(?!\w)(?![.,]\d)"
    if re.search(pattern, normalized_text):
        return True
    # A range "2018-2020" is grounded when both ends are.
    m = re.fullmatch(r"(\d+)-(\d+)", fig)
    return bool(m) and all(figure_in_text(x, normalized_text) for x in m.groups())


_SPACED_MARKER_RE = re.compile(r"([ \t]*)(" + _MARKER_RE.pattern + ")")


def _drop_invalid(marker: str, n_passages: int, removed: list[int]) -> str:
    nums = _marker_numbers(marker)
    bad = [n for n in nums if not 1 <= n <= n_passages]
    if not bad:
        return marker
    removed.extend(bad)
    good = [n for n in dict.fromkeys(nums) if 1 <= n <= n_passages]
    return f"[{', '.join(map(str, good))}]" if good else ""


def _grounding_text(p: Passage) -> str:
    """Everything the model was shown for a passage: its header (title, outlet, date, article) and text."""
    meta = " ".join(str(p.meta.get(k) or "") for k in ("instrument", "article", "effective_date")) if p.meta else ""
    return "\n".join(x for x in (p.title, p.outlet, p.date, meta, p.text) if x)


def validate_citations(text: str, n_passages: int, passages: list[Passage]) -> tuple[str, list[str]]:
    """Remove citations of passages that do not exist and flag figures no cited passage contains."""
    removed: list[int] = []

    def repl(m: re.Match) -> str:
        new = _drop_invalid(m.group(2), n_passages, removed)
        return m.group(1) + new if new else ""  # a vanished marker takes its leading space along

    cleaned = _SPACED_MARKER_RE.sub(repl, text or "")
    warnings: list[str] = []
    if removed:
        bad = ", ".join(f"[{n}]" for n in dict.fromkeys(removed))
        warnings.append(f"Đã bỏ trích dẫn không hợp lệ {bad} (chỉ có {n_passages} đoạn tài liệu).")
    cited = [n for n in cited_numbers(cleaned) if 1 <= n <= min(n_passages, len(passages))]
    haystack = normalize_figure_text("\n".join(_grounding_text(passages[n - 1]) for n in cited))
    for fig in extract_figures(cleaned):
        if not figure_in_text(fig, haystack):
            warnings.append(f"Số liệu chưa được kiểm chứng: {fig}")
    return cleaned, warnings


# ---------------------------------------------------------------------------------------------
# Calls
# ---------------------------------------------------------------------------------------------

def _unavailable(exc: BaseException) -> LLMUnavailable:
    """One user-facing message for every way the model can fail."""
    detail = f"{type(exc).__name__}: {exc}".strip()
    return LLMUnavailable(f"Không gọi được mô hình ngôn ngữ (LLM unavailable) — {detail}")


def _chunk_text(chunk: Any) -> str:
    content = getattr(chunk, "content", chunk)
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content or "")


def _deltas(model: Any, messages: list, info: StreamInfo) -> Iterator[str]:
    """Visible text of the reply: think blocks dropped; a 429/5xx with Retry-After retried (bounded)
    while nothing has been shown yet; every other failure → LLMUnavailable."""
    attempt = 0
    while True:
        think = ThinkFilter()
        shown = False
        try:
            for chunk in model.stream(messages):
                chunk_finish(chunk, info)
                text = think.feed(_chunk_text(chunk))
                if text:
                    shown = True
                    yield text
            rest = think.flush()
            if rest:
                yield rest
            if info.finish_reason is None:
                # the client libraries end quietly when the server drops the connection mid-stream;
                # every complete reply names why it ended
                raise LLMUnavailable("Không gọi được mô hình ngôn ngữ (LLM unavailable) — kết nối bị ngắt "
                                     "giữa chừng, câu trả lời chưa trọn (stream ended before completion)")
            return
        except LLMUnavailable:
            raise
        except Exception as exc:  # any provider/network error → caller falls back
            wait = None if shown else retry_wait(exc, attempt)
            if wait is None:
                raise _unavailable(exc) from exc
            time.sleep(wait)
            attempt += 1
            info.retries = attempt


def prompt_chars(messages: list) -> int:
    return sum(len(_chunk_text(m)) for m in messages)


def stream_messages(settings: Settings, messages: list, info: StreamInfo | None = None) -> Iterator[str]:
    """Text deltas for prepared messages; the first is fetched here so failures raise before any text."""
    info = info if info is not None else StreamInfo()
    try:
        model = make_chat_model(settings, num_ctx=num_ctx_for(prompt_chars(messages)))
    except (RuntimeError, ValueError) as exc:
        raise LLMUnavailable(str(exc)) from exc
    it = _deltas(model, messages, info)
    first = next(it, None)
    if first is None:
        return iter(())
    return itertools.chain((first,), it)


def stream_llm_answer(
    settings: Settings,
    question: str,
    mode: str,
    passages: list[Passage],
    history: list[tuple[str, str]] | None = None,
    info: StreamInfo | None = None,
) -> Iterator[str]:
    """Text deltas of the LLM answer.

    The first delta is fetched before returning, so an unreachable endpoint, a timeout or an HTTP
    error raises :class:`LLMUnavailable` here, before the caller shows anything. Later failures
    (mid-stream) raise :class:`LLMUnavailable` from the iterator. ``info`` receives the finish
    reason (``"length"`` = cut) and usage.
    """
    try:
        parse_llm_spec(settings.llm)
        messages = build_messages(question, mode, passages, history)
    except (RuntimeError, ValueError) as exc:
        raise LLMUnavailable(str(exc)) from exc
    return stream_messages(settings, messages, info)


def format_history_text(history: list[tuple[str, str]] | None) -> str:
    """Conversation as plain lines for the condense prompt."""
    names = {"user": "Cán bộ", "assistant": "Trợ lý"}
    return "\n".join(f"{names[r]}: {c}" for r, c in _trimmed_history(history))


def condense_question(settings: Settings, question: str, history: list[tuple[str, str]] | None) -> str:
    """Rewrite a follow-up as a standalone question; the question unchanged if no history or no LLM."""
    if not normalize_history(history):
        return question
    prompt = fill_template(
        load_prompt("condense_vi"),
        history=format_history_text(history),
        question=sanitize_block_text(question).strip(),
    )
    try:
        model = make_chat_model(settings, num_ctx=num_ctx_for(len(prompt)))
        lc = _lc_messages()
    except (RuntimeError, ValueError):
        return question
    try:
        try:
            reply = model.invoke([lc.HumanMessage(content=prompt)])
        except Exception as exc:
            raise _unavailable(exc) from exc
    except LLMUnavailable:
        return question
    return clean_condensed(_chunk_text(reply)) or question


# "Đây là câu hỏi đã viết lại:", "Sure, here is the rewritten question:", "Câu hỏi độc lập:" alone.
_PREAMBLE_RE = re.compile(r"^(?:đây là|dưới đây là|sau đây là|câu hỏi (?:độc lập|đã viết lại)|here is|here's|sure|okay|"
                          r"ok|được|vâng|standalone question)\b.*:\s*$|^(?:sure|okay|vâng|được rồi)[,.!]?\s*$",
                          re.IGNORECASE)


def clean_condensed(text: str) -> str:
    """The rewritten question: think blocks, preamble lines, a label and quotes the model may add, removed."""
    for line in strip_think(text).splitlines():
        line = line.strip().lstrip("-*• ").strip()
        if not line or _PREAMBLE_RE.match(line):
            continue
        line = re.sub(r"^(câu hỏi( độc lập| đã viết lại)?|standalone question)\s*:\s*", "", line, flags=re.IGNORECASE)
        line = line.strip().strip('"“”\'*').strip()
        if line:
            return line
    return ""
