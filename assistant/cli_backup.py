"""`danvan backup PATH` and `danvan restore PATH`: a whole store (catalogue, lexical index, facts, accounts,
grants, sessions, history, vectors) copied out and back, on either profile (vectorstore/backup.py does it;
this module only prints)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

DB = typer.Option(None, "--db", help="Thư mục dữ liệu (mặc định DANVAN_DATA_DIR hoặc ./data)")


def _settings(db: Optional[Path]):
    from config import Settings
    return Settings().with_db(db)


def _counts(manifest: dict) -> str:
    return ", ".join(f"{n}: {c} véc-tơ" for n, c in manifest["collections"].items()) or "không có véc-tơ"


def backup(path: Path = typer.Argument(..., help="Thư mục sao lưu (mới hoặc trống)"), db: Optional[Path] = DB):
    """Sao lưu toàn bộ kho (chạy được khi ứng dụng đang phục vụ)."""
    from vectorstore.backup import BackupError, backup as run
    try:
        manifest = run(_settings(db), path)
    except BackupError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Đã sao lưu ({manifest['profile']}; {_counts(manifest)}).")


def restore(path: Path = typer.Argument(..., help="Thư mục sao lưu"), db: Optional[Path] = DB,
            force: bool = typer.Option(False, "--force", help="Ghi đè một kho đã có dữ liệu")):
    """Khôi phục kho từ một bản sao lưu (vào kho trống, trừ khi có --force)."""
    from vectorstore.backup import BackupError, restore as run
    try:
        manifest = run(_settings(db), path, force=force)
    except BackupError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Đã khôi phục ({manifest['profile']}; {_counts(manifest)}).")
