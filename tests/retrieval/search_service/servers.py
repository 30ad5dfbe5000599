"""The local search service on a real uvicorn server on 127.0.0.1 over HTTPS, in a thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from retrieval.search_service.app import create_app
from retrieval.search_service.catalog import IndexCatalog
from retrieval.search_service.tls import self_signed_certificate
from tests.servers import serve_in_thread

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
    tls = {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}
    with serve_in_thread(app, scheme="https", **tls) as endpoint:
        yield RunningService(endpoint, cert, API_KEY)
