"""Vietnamese for Gradio's own texts (upload area, tables, chat buttons, footer), for every browser language."""
from __future__ import annotations

VI = {
    "common": {"clear": "Xoá", "download": "Tải về", "download_all": "Tải về tất cả", "edit": "Sửa",
               "empty": "Trống", "error": "Lỗi", "loading": "Đang tải", "or": "hoặc", "remove": "Bỏ",
               "settings": "Cấu hình", "share": "Chia sẻ", "submit": "Gửi", "undo": "Hoàn tác",
               "progress": "Tiến độ", "built_with_gradio": "Xây dựng bằng Gradio", "built_with": "xây dựng bằng",
               "language": "Ngôn ngữ", "display_theme": "Giao diện"},
    "upload_text": {"click_to_upload": "Bấm để chọn tệp", "drop_file": "Kéo thả tệp vào đây",
                    "drop_csv": "Kéo thả tệp CSV vào đây"},
    "chatbot": {"copy_message": "Sao chép", "copied_message": "Đã sao chép", "retry": "Hỏi lại",
                "undo": "Hoàn tác", "clear": "Xoá", "edit": "Sửa", "submit": "Gửi", "cancel": "Huỷ"},
    "dataframe": {"sort_ascending": "Xếp tăng dần", "sort_descending": "Xếp giảm dần",
                  "sort_column": "Sắp xếp cột"},
    "blocks": {"lost_connection": "Mất kết nối, đang vào lại hàng đợi…",
               "waiting_for_inputs": "Đang chờ tải tệp lên xong, hãy thử lại."},
    "upload": {"uploading": "Đang tải lên…"},
    "login": {"login": "Đăng nhập", "username": "Tên đăng nhập", "password": "Mật khẩu",
              "incorrect_credentials": "Sai tên đăng nhập hoặc mật khẩu"},
}


def translations() -> dict[str, dict]:
    """The same Vietnamese texts under the browser languages Gradio would otherwise show in English."""
    return {"vi": VI, "en": VI}
