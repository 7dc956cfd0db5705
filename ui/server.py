"""Serving the app: Gradio mounted in a FastAPI app that owns the login (Vietnamese page, failed-login
throttling from assistant.accounts.auth, sessions in the accounts store so that any replica knows them) and /healthz
(for a front proxy), then uvicorn on settings.host:settings.port."""
from __future__ import annotations

import logging
import os

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from assistant.accounts.auth import Authenticator, LoginRefused, parse_auth
from config import Settings

log = logging.getLogger("danvan.app")

QUEUE_MAX = 256
SESSION_COOKIE = "danvan-session"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
TOO_MANY = 429
WRONG_LOGIN = 400


def _client(request) -> str:
    return request.client.host if request.client else "?"


def _add_login(app, auth: Authenticator, title: str) -> None:
    """Routes /login (page, form post) and /logout, and a redirect to the login page for anonymous visitors
    of the app page; the API itself answers 401 to them (Gradio's auth_dependency)."""

    from ui.login import login_page

    @app.get("/login", response_class=HTMLResponse)
    def login_form() -> str:
        return login_page(title)

    @app.post("/login")
    def login(request: Request, username: str = Form(""), password: str = Form("")):
        try:
            token = auth.login(username, password, _client(request))
        except LoginRefused as exc:
            headers = {"Retry-After": str(int(exc.retry_after) + 1)} if exc.retry_after else None
            return JSONResponse({"detail": exc.message}, status_code=TOO_MANY if exc.retry_after else WRONG_LOGIN,
                                headers=headers)
        response = JSONResponse({"success": True})
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax")
        return response

    @app.get("/logout")
    def logout(request: Request):
        auth.logout(request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse("./login", status_code=302)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.middleware("http")
    async def to_login(request: Request, call_next):
        if request.method == "GET" and request.url.path == "/" and \
                auth.user(request.cookies.get(SESSION_COOKIE)) is None:
            return RedirectResponse("./login", status_code=302)
        return await call_next(request)


def _add_health(app, assistant) -> None:
    """GET /healthz, open to all (the front proxy polls it): 200 when this replica's store answers (the
    catalogue's database, Chroma and the accounts database), else 503 and the proxy takes it out."""

    @app.get("/healthz")
    def healthz():
        try:
            store = getattr(assistant, "store", None)
            if store is not None:
                store.health()
            access = getattr(assistant, "access", None)
            if access is not None:
                access.has_users()
        except Exception as exc:  # any engine down: say which kind, never a path or a URL
            log.warning("Kiểm tra sức khoẻ thất bại: %s", type(exc).__name__)
            return JSONResponse({"ok": False, "detail": "Kho dữ liệu không trả lời."}, status_code=503)
        return {"ok": True}


def create_server(assistant, settings: Settings):
    """The FastAPI app serving the UI around ``assistant`` (with the login when accounts are configured)."""
    import gradio as gr

    from ui.app import TITLE, build_app
    from ui.style import CSS, GRADIO_VI, PAGE_JS

    accounts = parse_auth(settings.auth)
    access = getattr(assistant, "access", None)  # the accounts store: login checks its users too
    store_users = access is not None and access.has_users()
    if access is not None:
        access.login_required = bool(accounts or store_users)  # no user on a request then means no rights
    demo = build_app(assistant, login=bool(accounts or store_users))
    demo.queue(default_concurrency_limit=settings.concurrency, max_size=QUEUE_MAX)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    _add_health(app, assistant)
    dependency = None
    if accounts or store_users:
        auth = Authenticator(accounts or [], session_ttl_s=settings.session_idle_minutes * 60,
                             verify=access.verify if store_users else None,
                             sessions=access.sessions if access is not None else None)
        _add_login(app, auth, TITLE)
        dependency = lambda request: auth.user(request.cookies.get(SESSION_COOKIE))  # noqa: E731
    return gr.mount_gradio_app(app, demo, path="", auth_dependency=dependency, footer_links=[],
                               max_file_size=int(settings.max_file_mb * 1024 * 1024), css=CSS, js=PAGE_JS,
                               i18n=gr.I18n(vi=GRADIO_VI, en=GRADIO_VI), show_error=True,
                               server_name=settings.host,
                               server_port=settings.port)


def serve(settings: Settings | None = None) -> None:
    """Serve the app on settings.host:settings.port (blocking)."""
    import uvicorn

    from assistant.service import Assistant
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per Chroma call (a proxy's health checks)
    settings = settings or Settings()
    assistant = Assistant(settings)
    if settings.host not in LOCAL_HOSTS and not parse_auth(settings.auth) and not assistant.access.has_users():
        log.warning("Ứng dụng mở trên %s mà KHÔNG có mật khẩu: ai trong mạng cũng đọc và sửa được kho tài liệu. "
                    "Tạo tài khoản bằng `danvan user add` hoặc đặt DANVAN_AUTH=tên:mật_khẩu.", settings.host)
    log.info("Đang tải mô hình nhúng %s…", settings.embed_model)
    assistant.warm_up()
    assistant.start_refiner()  # e5 vectors for passages ingested with static ones (two-phase ingest)
    app = create_server(assistant, settings)
    log.info("Trợ lý Dân vận: http://%s:%s", settings.host, settings.port)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
