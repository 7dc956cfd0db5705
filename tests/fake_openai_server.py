"""A fake OpenAI-compatible (and Ollama-native) chat server on loopback, for tests only.

Standard library, no network. It answers ``POST /v1/chat/completions`` with a scripted reply,
streamed as SSE when the request asks for ``stream: true``, and ``POST /api/chat`` (Ollama's native
API) as an NDJSON stream; it records every request (so tests can read the prompt and options).

It also plays what real servers do and an idealised double does not: a final usage-only chunk with
empty ``choices``, SSE comment and keep-alive lines, ``finish_reason: "length"``, a
``<think>…</think>`` block before the answer, a disconnect mid-stream, 429/500 with Retry-After
before succeeding, and a slow first token.
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
                 status: int = 200, model: str = "fake-model", usage_chunk: bool = False,
                 keepalive: bool = False, finish_reason: str = "stop", think: str | None = None,
                 disconnect_after: int | None = None, fail_first: list[tuple[int, str | None]] | None = None,
                 first_delay: float = 0.0, replies: list[str] | None = None):
        self.reply = reply
        self.replies = list(replies or [])  # successive replies, one per request (then ``reply``)
        self.delay = delay
        self.n_deltas = n_deltas
        self.status = status
        self.model = model
        self.usage_chunk = usage_chunk  # final chunk: "choices": [] and only "usage"
        self.keepalive = keepalive  # ": keep-alive" comment lines and blank events between chunks
        self.finish_reason = finish_reason
        self.think = think  # a reasoning block streamed before the answer
        self.disconnect_after = disconnect_after  # content chunks sent before the connection drops
        self.fail_first = list(fail_first or [])  # (status, Retry-After) answered to the first requests
        self.first_delay = first_delay  # seconds between the stream's headers and its first token
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

    def _next_reply(self) -> str:
        with self._lock:
            return self.replies.pop(0) if self.replies else self.reply

    def _full_text(self, reply: str) -> str:
        return (f"<think>{self.think}</think>\n" if self.think else "") + reply

    def _completion(self, reply: str) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [{"index": 0, "finish_reason": self.finish_reason,
                         "message": {"role": "assistant", "content": self._full_text(reply)}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    def _pieces(self, reply: str) -> list[str]:
        pieces = split_deltas(reply, self.n_deltas)
        if self.think:  # the tags split across chunks, as real servers send them
            pieces = ["<thi", f"nk>{self.think[:len(self.think) // 2]}", f"{self.think[len(self.think) // 2:]}</th",
                      "ink>\n"] + pieces
        return pieces

    def _chunks(self, reply: str) -> list[dict[str, Any]]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                    "model": self.model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        out = [chunk({"role": "assistant", "content": ""})]
        out += [chunk({"content": piece}) for piece in self._pieces(reply)]
        out.append(chunk({}, self.finish_reason))
        if self.usage_chunk:
            out.append({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                        "model": self.model, "choices": [],
                        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}})
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
                path = self.path.rstrip("/")
                ollama = path.endswith("/api/chat")
                if not (path.endswith("/chat/completions") or ollama):
                    self._send_json(404, {"error": {"message": "not found"}})
                    return
                if fake.delay and fake._closing.wait(fake.delay):
                    return  # server closing: drop the connection
                try:
                    with fake._lock:
                        failure = fake.fail_first.pop(0) if fake.fail_first else None
                    if failure:
                        self._send_error(*failure)
                    elif fake.status != 200:
                        self._send_json(fake.status, {"error": {"message": "fake error", "type": "server_error"}})
                    elif ollama:
                        self._ollama(body)
                    elif body.get("stream"):
                        self._stream()
                    else:
                        self._send_json(200, fake._completion(fake._next_reply()))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # client gave up (timeout): nothing to do

            def _send_error(self, status: int, retry_after: str | None) -> None:
                data = json.dumps({"error": {"message": "fake overload", "type": "rate_limit"}}).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if retry_after is not None:
                    self.send_header("Retry-After", retry_after)
                self.end_headers()
                self.wfile.write(data)

            def _write(self, data: bytes) -> None:
                self.wfile.write(data)
                self.wfile.flush()

            def _drop(self) -> None:
                """Close the socket mid-response, as a crashed or restarted server does."""
                self.close_connection = True
                try:
                    self.connection.shutdown(2)
                except OSError:
                    pass

            def _stream(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                if fake.keepalive:
                    self._write(b": keep-alive\n\n")
                content_sent = 0
                for i, c in enumerate(fake._chunks(fake._next_reply())):
                    if i == 1 and fake.first_delay and fake._closing.wait(fake.first_delay):
                        return
                    if fake.disconnect_after is not None and content_sent >= fake.disconnect_after:
                        self._drop()
                        return
                    self._write(f"data: {json.dumps(c, ensure_ascii=False)}\n\n".encode("utf-8"))
                    if c.get("choices") and c["choices"][0]["delta"].get("content"):
                        content_sent += 1
                    if fake.keepalive:
                        self._write(b": ping\n\n:\n\n")
                self._write(b"data: [DONE]\n\n")

            def _ollama(self, body: dict[str, Any]) -> None:
                """Ollama's native /api/chat: NDJSON lines, the last with done and its counts."""
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.end_headers()
                now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                reply = fake._next_reply()
                if not body.get("stream", True):
                    self._write((json.dumps({"model": fake.model, "created_at": now, "done": True,
                                             "done_reason": fake.finish_reason,
                                             "message": {"role": "assistant", "content": fake._full_text(reply)}},
                                            ensure_ascii=False) + "\n").encode("utf-8"))
                    return
                for i, piece in enumerate(fake._pieces(reply)):
                    if i == 0 and fake.first_delay and fake._closing.wait(fake.first_delay):
                        return
                    if fake.disconnect_after is not None and i >= fake.disconnect_after:
                        self._drop()
                        return
                    line = {"model": fake.model, "created_at": now, "done": False,
                            "message": {"role": "assistant", "content": piece}}
                    self._write((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
                done_reason = "length" if fake.finish_reason == "length" else "stop"
                last = {"model": fake.model, "created_at": now, "done": True, "done_reason": done_reason,
                        "message": {"role": "assistant", "content": ""}, "total_duration": 1000,
                        "prompt_eval_count": 11, "eval_count": 7}
                self._write((json.dumps(last) + "\n").encode("utf-8"))

        return Handler


def assistant_with_fake_llm(assistant, base_url: str):
    """An Assistant over ``assistant``'s open store whose LLM is the fake server at ``base_url``."""
    from assistant.service import Assistant
    settings = assistant.settings.model_copy(update={"llm": "openai:fake-model", "llm_base_url": base_url,
                                                     "llm_timeout": 20})
    a = Assistant(settings)
    a._store = assistant.store  # same open store
    return a
