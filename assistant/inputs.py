"""Checks on what a user types, before any work is done: one message per problem, in Vietnamese."""
from __future__ import annotations

EMPTY_QUESTION = "Hãy nhập câu hỏi trước khi gửi."
TOO_LONG = ("Câu hỏi dài {n} ký tự, quá giới hạn {limit} ký tự. Hãy rút gọn câu hỏi "
            "(chỉ giữ điều cần hỏi; không dán cả văn bản vào ô hỏi).")


def question_problem(question: str | None, max_chars: int) -> str | None:
    """Why ``question`` cannot be asked (empty, or longer than ``max_chars``), or None when it can."""
    text = (question or "").strip()
    if not text:
        return EMPTY_QUESTION
    if len(text) > max_chars:
        return TOO_LONG.format(n=len(text), limit=max_chars)
    return None
