"""The ``danvan`` command: the core's commands (assistant/cli.py) plus ``serve``, which starts the web app.

``serve`` is added here, not in assistant/cli.py, so that assistant/ never imports the UI: the console script
points at ``ui.cli:main``. Gradio is imported only when ``serve`` runs, so the other commands stay fast.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from assistant.cli import DB, app, run_once


@app.command()
def serve(db: Optional[Path] = DB, host: Optional[str] = typer.Option(None, help="Địa chỉ nghe"),
          port: Optional[int] = typer.Option(None, help="Cổng")):
    """Chạy ứng dụng web."""
    from ui.server import serve as run_server
    from config import Settings
    settings = Settings().with_db(db)
    if host:
        settings = settings.model_copy(update={"host": host})
    if port:
        settings = settings.model_copy(update={"port": port})
    run_server(settings)


def main() -> None:
    run_once()


if __name__ == "__main__":
    main()
