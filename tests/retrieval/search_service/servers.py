"""The local search service on a real uvicorn server on 127.0.0.1 over HTTPS, in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from retrieval.search_service.app import create_app
from retrieval.search_service.catalog import IndexCatalog
from retrieval.search_service.tls import self_signed_certificate

API_KEY = "test-admin-key"


@dataclass(frozen=True)
class RunningService:
    endpoint: str  # https://127.0.0.1:PORT
    cert_path: Path  # pass as connection_verify= to the SDK clients
    api_key: str


@contextmanager
def serve_search_service(directory: Path) -> Iterator[RunningService]:
    cert, key = self_signed_certificate(directory / "tls")
    app = create_app(IndexCatalog(directory / "data"), api_key=API_KEY)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    config = uvicorn.Config(app, log_level="warning", ssl_certfile=str(cert), ssl_keyfile=str(key))  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the search service test server did not start")
        time.sleep(0.01)
    try:
        yield RunningService(f"https://{host}:{port}", cert, API_KEY)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
