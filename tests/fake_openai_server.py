"""A fake OpenAI-compatible chat server on loopback, for tests only (standard library, no network).

It answers ``POST /v1/chat/completions`` with a scripted reply, streamed as SSE when the request
asks for ``stream: true``, records every request it receives (so tests can read the prompt), and
can wait before answering (to exercise client timeouts) or answer with an HTTP error.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def split_deltas(text: str, n: int) -> list[str]:
    """Cut ``text`` into up to ``n`` non-empty pieces that join back to it."""
    if not text:
        return []
    n = max(1, min(n, len(text)))
    size = -(-len(text) // n)
    return [text[i:i + size] for i in range(0, len(text), size)]


class FakeOpenAIServer:
    """Scripted OpenAI-protocol test double; ``with FakeOpenAIServer(reply="…") as fake: fake.base_url``."""

    def __init__(self, reply: str = "Xin chào [1].", *, delay: float = 0.0, n_deltas: int = 4,
                 status: int = 200, model: str = "fake-model"):
        self.reply = reply
        self.delay = delay
        self.n_deltas = n_deltas
        self.status = status
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-openai", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def close(self) -> None:
        """Stop serving; a handler still waiting out ``delay`` is released at once."""
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FakeOpenAIServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- request handling ------------------------------------------------------------------

    def _record(self, path: str, headers: dict[str, str], body: Any) -> None:
        with self._lock:
            self.requests.append({"path": path, "headers": headers, "json": body, "time": time.monotonic()})

    def _completion(self) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": self.reply}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    def _chunks(self) -> list[dict[str, Any]]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                    "model": self.model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        out = [chunk({"role": "assistant", "content": ""})]
        out += [chunk({"content": piece}) for piece in split_deltas(self.reply, self.n_deltas)]
        out.append(chunk({}, "stop"))
        return out

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send_json(self, code: int, obj: Any) -> None:
                data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send_json(200, {"object": "list", "data": [{"id": fake.model, "object": "model"}]})
                else:
                    self._send_json(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw.decode("utf-8")) if raw else {}
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                fake._record(self.path, dict(self.headers), body)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send_json(404, {"error": {"message": "not found"}})
                    return
                if fake.delay and fake._closing.wait(fake.delay):
                    return  # server closing: drop the connection
                try:
                    if fake.status != 200:
                        self._send_json(fake.status, {"error": {"message": "fake error", "type": "server_error"}})
                    elif body.get("stream"):
                        self._stream()
                    else:
                        self._send_json(200, fake._completion())
                except (BrokenPipeError, ConnectionResetError):
                    pass  # client gave up (timeout): nothing to do

            def _stream(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                for c in fake._chunks():
                    self.wfile.write(f"data: {json.dumps(c, ensure_ascii=False)}\n\n".encode("utf-8"))
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        return Handler
