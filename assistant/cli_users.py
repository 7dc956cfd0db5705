"""`danvan user …`: accounts from the command line (the first admin, and anything the admin page does).

The work is done by vectorstore/accounts.py (the same store the app's admin page uses); this module only
reads the password safely (a prompt, or one line on stdin for scripts) and prints.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from vectorstore.accounts import ROLES, AccountError, Accounts, open_database

users = typer.Typer(no_args_is_help=True, help="Người dùng, bộ tài liệu và quyền đọc.")
DB = typer.Option(None, "--db", help="Thư mục dữ liệu (mặc định DANVAN_DATA_DIR hoặc ./data)")


def _accounts(db: Optional[Path]) -> Accounts:
    from config import Settings
    return Accounts(open_database(Settings().with_db(db)))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")


def _do(fn) -> None:
    try:
        msg = fn()
    except AccountError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(2) from None
    if msg:
        typer.echo(msg)


@users.command("add")
def add(name: str, role: str = typer.Option("reader", "--role", help="admin | editor | reader"),
        password_stdin: bool = typer.Option(False, "--password-stdin", help="Đọc mật khẩu từ một dòng stdin"),
        db: Optional[Path] = DB):
    """Thêm người dùng (mật khẩu hỏi khi chạy, hoặc --password-stdin)."""
    if role not in ROLES:
        typer.echo("Lỗi: vai trò phải là một trong: " + ", ".join(ROLES) + ".", err=True)
        raise typer.Exit(2)
    acc = _accounts(db)
    pw = _password(password_stdin)
    _do(lambda: f"Đã thêm người dùng «{acc.add_user(name, pw, role).name}» ({role}).")


@users.command("list")
def list_users(db: Optional[Path] = DB):
    """Liệt kê người dùng (với bộ được đọc, được nạp), bộ tài liệu và quyền."""
    acc = _accounts(db)
    known = [c for c, _ in acc.collections()]
    typer.echo("Người dùng (tên, vai trò, được đọc, được nạp):")
    for u in acc.users():
        scope = acc.read_scope(u.name)
        reads = "tất cả" if scope is None else (", ".join(sorted(scope)) or "—")
        typer.echo(f"  {u.name}\t{u.role}\tđọc: {reads}\tnạp: {', '.join(acc.writable(u.name, known)) or '—'}")
    typer.echo("Bộ tài liệu (tên, tên gọi):")
    for name, title in acc.collections():
        typer.echo(f"  {name}\t{title or '—'}")
    typer.echo("Quyền (ai, bộ, quyền):")
    for g in acc.grants():
        typer.echo(f"  {g.subject}\t{g.collection}\t{'đọc và nạp' if g.write else 'đọc'}")


@users.command("remove")
def remove(name: str, db: Optional[Path] = DB):
    """Xoá người dùng."""
    acc = _accounts(db)
    _do(lambda: acc.remove_user(name) or f"Đã xoá «{name}».")


@users.command("collection")
def collection(name: str, title: str = typer.Option("", "--title"), db: Optional[Path] = DB):
    """Thêm bộ tài liệu."""
    acc = _accounts(db)
    _do(lambda: acc.add_collection(name, title) or f"Đã thêm bộ «{name}».")


@users.command("grant")
def grant(subject: str = typer.Argument(..., help="TÊN, user:TÊN hoặc role:VAI_TRÒ"), collection: str = typer.Argument(...),
          write: bool = typer.Option(False, "--write", help="Cho phép nạp tài liệu vào bộ"), db: Optional[Path] = DB):
    """Cho người dùng hoặc vai trò đọc (và nạp vào) một bộ tài liệu."""
    acc = _accounts(db)
    _do(lambda: acc.grant(subject, collection, write)
        or f"Đã cấp quyền {'đọc và nạp' if write else 'đọc'} cho «{acc.subject(subject)}» trên «{collection}».")


@users.command("revoke")
def revoke(subject: str, collection: str, db: Optional[Path] = DB):
    """Thu hồi quyền của người dùng hoặc vai trò trên một bộ tài liệu."""
    acc = _accounts(db)
    _do(lambda: "Đã thu hồi." if acc.revoke(subject, collection)
        else f"«{acc.subject(subject)}» không có quyền trên «{collection}».")
