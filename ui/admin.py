"""The «Quản trị» tab (admins only): users, collections and read grants.

Shown only to admins (ui/app.py), and every handler asks the access rules again
(``Access.admin(user)`` refuses anyone else): hiding the tab is a convenience, not the protection.
"""
from __future__ import annotations

import html
from typing import Callable

import gradio as gr

from assistant.accounts.access import AccessDenied
from vectorstore.accounts import ROLES, AccountError
from ui.user import access_of, user_of

TAB_NAME = "Quản trị"


def _run(assistant, request, action: Callable) -> tuple:
    """Run ``action(admin)``; (message, users, collections, grants, subject choices) afterwards."""
    access = access_of(assistant)
    try:
        if access is None:
            raise AccessDenied("Ứng dụng này không có kho tài khoản.")
        admin = access.admin(user_of(request))
    except AccessDenied as exc:
        return (f"⚠️ {exc}", *(gr.skip(),) * 4)
    try:
        msg = action(admin) if action else ""
    except AccountError as exc:
        msg = f"⚠️ {exc}"
    view = admin.overview()
    return (html.escape(msg, quote=False), view["users"], view["collections"], view["grants"],
            gr.update(choices=admin.subjects()))


def build(assistant, tab) -> None:
    """Lay out the tab inside the current Blocks and wire its events (the tables load when ``tab`` opens)."""
    msg = gr.Markdown(elem_id="admin-msg")
    refresh = gr.Button("Tải lại", size="sm", elem_id="admin-refresh")
    with gr.Row():
        with gr.Column():
            users = gr.Dataframe(headers=["Tên đăng nhập", "Vai trò"], interactive=False, label="Người dùng",
                                 elem_id="admin-users")
            name = gr.Textbox(label="Tên đăng nhập", elem_id="admin-name")
            password = gr.Textbox(label="Mật khẩu (ít nhất 8 ký tự)", type="password", elem_id="admin-password")
            role = gr.Dropdown(list(ROLES), value="reader", label="Vai trò", elem_id="admin-role")
            with gr.Row():
                add_user = gr.Button("Thêm người dùng", variant="primary", elem_id="admin-add-user")
                set_role = gr.Button("Đổi vai trò", elem_id="admin-set-role")
                set_password = gr.Button("Đổi mật khẩu", elem_id="admin-set-password")
                remove_user = gr.Button("Xoá người dùng", variant="stop", elem_id="admin-remove-user")
        with gr.Column():
            collections = gr.Dataframe(headers=["Bộ tài liệu", "Tên gọi", "Số tài liệu"], interactive=False,
                                       label="Bộ tài liệu", elem_id="admin-collections")
            coll_name = gr.Textbox(label="Tên bộ (không dấu, ví dụ van-phong)", elem_id="admin-coll-name")
            coll_title = gr.Textbox(label="Tên gọi", elem_id="admin-coll-title")
            add_coll = gr.Button("Thêm bộ tài liệu", elem_id="admin-add-coll")
    grants = gr.Dataframe(headers=["Ai", "Bộ tài liệu", "Quyền"], interactive=False, label="Quyền đọc",
                          elem_id="admin-grants")
    with gr.Row():
        subject = gr.Dropdown([], label="Người dùng hoặc vai trò", elem_id="admin-subject", allow_custom_value=True)
        grant_coll = gr.Textbox(label="Bộ tài liệu", elem_id="admin-grant-coll")
        write = gr.Checkbox(False, label="Được nạp tài liệu vào bộ này", elem_id="admin-write")
    with gr.Row():
        grant = gr.Button("Cấp quyền", variant="primary", elem_id="admin-grant")
        revoke = gr.Button("Thu hồi", variant="stop", elem_id="admin-revoke")

    outs = [msg, users, collections, grants, subject]
    ui = dict(api_visibility="undocumented")

    def wire(button, fn, inputs, api_name):
        def handler(request: gr.Request, *args):  # the request first: Gradio fills it, args are the inputs
            return _run(assistant, request, (lambda admin: fn(admin, *args)) if fn else None)
        button.click(handler, inputs, outs, api_name=api_name, **ui)

    wire(refresh, None, [], "admin_overview")

    def on_open(request: gr.Request):
        return _run(assistant, request, None)

    tab.select(on_open, None, outs, api_name=False, **ui)
    wire(add_user, lambda a, n, p, r: a.add_user(n, p, r), [name, password, role], "admin_add_user")
    wire(set_role, lambda a, n, r: a.set_role(n, r), [name, role], "admin_set_role")
    wire(set_password, lambda a, n, p: a.set_password(n, p), [name, password], "admin_set_password")
    wire(remove_user, lambda a, n: a.remove_user(n), [name], "admin_remove_user")
    wire(add_coll, lambda a, n, t: a.add_collection(n, t), [coll_name, coll_title], "admin_add_collection")
    wire(grant, lambda a, s, c, w: a.grant(s, c, w), [subject, grant_coll, write], "admin_grant")
    wire(revoke, lambda a, s, c: a.revoke(s, c), [subject, grant_coll], "admin_revoke")
