"""A tiny round-robin HTTP proxy in front of several app replicas, for trying the server profile on one
machine (scripts/server-stack.sh); a real deployment puts nginx or the like there.

Sticky where the app needs it: Gradio's queue joins with a POST and streams the result on a GET that
carry the same ``session_hash``, and a login session lives in the replica that made it. So a request goes
to the replica named by its ``danvan-replica`` cookie (set on the first answer, as browsers keep it), else
to the one its ``session_hash`` hashes to, else to the next replica in turn.
"""
from __future__ import annotations

import argparse
import itertools
import json
import zlib

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

COOKIE = "danvan-replica"
HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization",
       "proxy-authenticate", "host", "content-length"}


def _session_hash(request: Request, body: bytes) -> str | None:
    found = request.query_params.get("session_hash")
    if found or not body or b"session_hash" not in body:
        return found
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data.get("session_hash") if isinstance(data, dict) else None


def make_app(backends: list[str]) -> Starlette:
    turn = itertools.cycle(range(len(backends)))
    client = httpx.AsyncClient(timeout=httpx.Timeout(None, connect=10.0), follow_redirects=False)

    def choose(request: Request, body: bytes) -> int:
        cookie = request.cookies.get(COOKIE, "")
        if cookie.isdigit() and int(cookie) < len(backends):
            return int(cookie)
        session = _session_hash(request, body)
        if session:
            return zlib.crc32(session.encode()) % len(backends)
        return next(turn)

    async def forward(request: Request) -> Response:
        body = await request.body()
        i = choose(request, body)
        url = backends[i] + request.url.path + (("?" + request.url.query) if request.url.query else "")
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP]
        upstream = await client.send(client.build_request(request.method, url, headers=headers, content=body),
                                     stream=True)
        out = {k: v for k, v in upstream.headers.items() if k.lower() not in HOP}
        response = StreamingResponse(upstream.aiter_raw(), status_code=upstream.status_code, headers=out,
                                     background=BackgroundTask(upstream.aclose))
        if request.cookies.get(COOKIE) != str(i):
            response.set_cookie(COOKIE, str(i), httponly=True, samesite="lax")
        return response

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
    return Starlette(routes=[Route("/{path:path}", forward, methods=methods)])


def main() -> None:
    ap = argparse.ArgumentParser(description="Round-robin proxy over app replicas")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--backends", required=True, help="http://127.0.0.1:7861,http://127.0.0.1:7862")
    args = ap.parse_args()
    uvicorn.run(make_app([b.rstrip("/") for b in args.backends.split(",")]), host=args.host, port=args.port,
                log_level="warning")


if __name__ == "__main__":
    main()
