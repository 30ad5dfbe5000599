"""A stdlib HTTP server on 127.0.0.1 that records each request and answers from a handler."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


# (request) -> (status, JSON body)
Responder = Callable[[Recorded], tuple[int, Any]]


@dataclass
class RecordingServer:
    url: str
    requests: list[Recorded] = field(default_factory=list)


@contextmanager
def recording_server(respond: Responder) -> Iterator[RecordingServer]:
    """Serve on a free loopback port until the block ends; every request is kept in order."""
    state = RecordingServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            request = Recorded("POST", self.path, dict(self.headers), self.rfile.read(length))
            state.requests.append(request)
            status, body = respond(request)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
