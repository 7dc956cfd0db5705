"""The «Cấu hình» tab: what the app runs with (read-only)."""
from __future__ import annotations

import gradio as gr

TAB_NAME = "Cấu hình"


def build():
    """The read-only settings panel (filled on page load)."""
    return gr.Markdown(elem_id="settings")
