"""The logged-in user of a request and what the assistant's access rules say about them (no rules here)."""
from __future__ import annotations

from typing import Any


def user_of(request: Any) -> str | None:
    """The login name Gradio's auth dependency gave this request (None: no login configured)."""
    return getattr(request, "username", None) if request is not None else None


def access_of(assistant: Any) -> Any:
    """The assistant's access rules, or None for stand-ins without any (tests of the bare UI)."""
    return getattr(assistant, "access", None)


def scope_of(assistant: Any, request: Any):
    """The collections the request's user may read (None: every one)."""
    access = access_of(assistant)
    return access.scope(user_of(request)) if access is not None else None
