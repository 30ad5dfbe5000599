"""Running an ASGI app on a real uvicorn server on 127.0.0.1, in a background thread (shared by
the chat, eval, CLI and search-service tests)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn


@contextmanager
def serve_in_thread(app: object, *, scheme: str = "http", **options: object) -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yields its base URL, stops the server on exit.

    ``options`` go to ``uvicorn.Config`` (``ssl_certfile``/``ssl_keyfile`` with ``"https"``).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    config = uvicorn.Config(app, log_level="warning", **options)  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the uvicorn test server did not start")
        time.sleep(0.01)
    try:
        yield f"{scheme}://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
