"""The «Cấu hình» tab: what the app runs with (read-only)."""
from __future__ import annotations

import gradio as gr

TAB_NAME = "Cấu hình"


def describe(settings) -> dict[str, str]:
    """The settings a user may ask about, in Vietnamese."""
    return {
        "Mô hình nhúng": settings.embed_model,
        "Kho véc-tơ Chroma": settings.chroma_url or f"chạy cùng ứng dụng, tại {settings.chroma_path}",
        "Mô hình ngôn ngữ": settings.llm or "không dùng (trả lời bằng trích dẫn nguyên văn)",
        "Thư mục dữ liệu": str(settings.data_dir),
        "Câu hỏi dài nhất": f"{settings.max_question_chars} ký tự",
        "Tệp lớn nhất": f"{settings.max_file_mb:g} MB",
        "Đăng nhập": "bật" if settings.auth else "tắt",
    }


def build():
    """The read-only settings panel (filled on page load)."""
    return gr.Markdown(elem_id="settings")
