"""Fixtures of the backend contract suite: each test runs once per backend in ``BACKENDS``.

The Azure AI Search backend talks through the real azure-search-documents SDK to the local
search service (``ridgeline search-service``'s app), started once for the session on a real
HTTPS server on 127.0.0.1, and only when an Azure case runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ridgeline.protocols import SearchIndex
from tests.fakes import HashingEmbedder
from tests.retrieval.contract.backends import BACKENDS, new_index
from tests.retrieval.contract.corpus import DIMENSION, IMAGE_DIMENSION, write_corpus
from tests.retrieval.search_service.servers import RunningService, serve_search_service

NewIndex = Callable[..., SearchIndex]


@pytest.fixture(scope="session")
def search_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    with serve_search_service(Path(tmp_path_factory.mktemp("contract-service"))) as running:
        yield running


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_index(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> NewIndex:
    """``make_index(dimension=64, image_dimension=3, bm25_titles=False)``: a new empty index of
    this backend."""
    service = request.getfixturevalue("search_service") if backend == "azure" else None
    count = iter(range(1000))

    def make(
        *,
        dimension: int = DIMENSION,
        image_dimension: int | None = IMAGE_DIMENSION,
        bm25_titles: bool = False,
    ):
        directory = tmp_path / f"index-{next(count)}"
        return new_index(
            backend,
            directory=directory,
            service=service,
            dimension=dimension,
            image_dimension=image_dimension,
            bm25_titles=bm25_titles,
        )

    return make


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder(dimension=DIMENSION)


@pytest.fixture
def index(make_index: NewIndex, embedder: HashingEmbedder) -> SearchIndex:
    """An index of this backend holding the contract corpus."""
    index = make_index()
    write_corpus(index, embedder)
    return index


@pytest.fixture(scope="module")
def corpus_index(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> SearchIndex:
    """One index of this backend holding the contract corpus, shared by a module's read-only
    tests (writing tests use ``index``)."""
    service = request.getfixturevalue("search_service") if backend == "azure" else None
    index = new_index(
        backend,
        directory=tmp_path_factory.mktemp(f"corpus-{backend}"),
        service=service,
        dimension=DIMENSION,
        image_dimension=IMAGE_DIMENSION,
    )
    write_corpus(index, HashingEmbedder(dimension=DIMENSION))
    return index
