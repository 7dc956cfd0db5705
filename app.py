"""Trợ lý Dân vận — the web app. A thin launcher kept so that ``python app.py`` works; the app is ``ui/``.

Settings come from ``DANVAN_*`` environment variables or ``.env`` (see README); ``danvan serve`` does the same.
"""
from assistant.cli import set_process_defaults
from ui.server import serve

if __name__ == "__main__":
    set_process_defaults()
    serve()
