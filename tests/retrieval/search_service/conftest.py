"""One local search service per test module, reached through the real azure-search-documents SDK."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.retrieval.search_service.servers import RunningService, serve_search_service


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    with serve_search_service(Path(tmp_path_factory.mktemp("search-service"))) as running:
        yield running
