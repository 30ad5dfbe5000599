"""A stdlib HTTP server on 127.0.0.1 speaking the chat-completions wire format, for tests that
drive the real ``openai`` SDK: OpenAI paths (``/v1/chat/completions``) and Azure ones
(``/openai/deployments/<name>/chat/completions?api-version=...``), plain or streamed replies,
scripted failures (``fail_first``) with a ``retry-after-ms`` hint, a delay, and every request
kept (path, query, headers, body)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

USAGE = {"prompt_tokens": 321, "completion_tokens": 12, "total_tokens": 333}


@dataclass
class Received:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict[str, Any]


class ChatCompletionsServer(ThreadingHTTPServer):
    """Answers with ``reply`` (a text, or a function of the request body) or fails as told.

    ``fail_first``: statuses to answer, one per request, before answering normally (e.g.
    ``[429, 500]``); ``status``: a status every request gets; ``usage=None``: no token counts.
    """

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[Received] = []
        self.reply: str | Callable[[dict[str, Any]], str] = (
            "The tent costs $250.00. [products.csv#id=7]"
        )
        self.status = 200
        self.fail_first: list[int] = []
        self.retry_after_ms = 10
        self.delay_s = 0.0
        self.fail_mid_stream = False
        self.usage: dict[str, int] | None = USAGE

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def text_for(self, body: dict[str, Any]) -> str:
        return self.reply(body) if callable(self.reply) else self.reply

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is what a test wanted, not noise to print


class _Handler(BaseHTTPRequestHandler):
    server: ChatCompletionsServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        parts = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        received = Received(parts.path, parse_qs(parts.query), headers, body)
        self.server.requests.append(received)
        time.sleep(self.server.delay_s)
        status = self.server.fail_first.pop(0) if self.server.fail_first else self.server.status
        if status != 200:
            self._error(status)
        elif body.get("stream"):
            self._stream(body)
        else:
            self._json(200, self._completion(body))

    def _error(self, status: int) -> None:
        error = {"error": {"message": "model overloaded", "type": "server_error"}}
        self._json(status, error, {"retry-after-ms": str(self.server.retry_after_ms)})

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _completion(self, body: dict[str, Any]) -> dict[str, Any]:
        message = {"role": "assistant", "content": self.server.text_for(body)}
        answer: dict[str, Any] = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": body.get("model", "deployment-model"),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        }
        if self.server.usage is not None:
            answer["usage"] = self.server.usage
        return answer

    def _stream(self, body: dict[str, Any]) -> None:
        """Server-sent chunks as the chat-completions protocol streams them."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        model = body.get("model", "deployment-model")
        words = self.server.text_for(body).split(" ")
        pieces = [w if i == 0 else f" {w}" for i, w in enumerate(words)]
        events = [_chunk(model, {"role": "assistant", "content": ""})]
        events += [_chunk(model, {"content": piece}) for piece in pieces]
        if self.server.fail_mid_stream:
            events = [*events[:2], {"error": {"message": "upstream broke", "type": "server_error"}}]
        else:
            events.append(_chunk(model, {}, finish="stop"))
            events.append({**_chunk(model, None), "usage": self.server.usage})
        for event in events:
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            self.wfile.flush()
        if not self.server.fail_mid_stream:
            self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


def _chunk(model: str, delta: dict[str, Any] | None, finish: str | None = None) -> dict[str, Any]:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": model,
        "choices": choices,
    }


@contextmanager
def chat_completions_server() -> Iterator[ChatCompletionsServer]:
    """Serve on a free loopback port until the block ends."""
    server = ChatCompletionsServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
