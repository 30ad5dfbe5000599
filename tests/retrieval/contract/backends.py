"""Every SearchIndex implementation the contract suite runs against, built fresh per test.

A new backend joins by adding one entry to ``BACKENDS`` and a branch to ``new_index``; it is
done when ``tests/retrieval/contract/`` passes for it.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from retrieval.azure.search_index import AzureSearchIndex
from retrieval.lancedb import LanceDbIndex
from ridgeline.protocols import SearchIndex
from tests.fakes import MemoryIndex
from tests.retrieval.search_service.servers import RunningService

BACKENDS = ["lancedb", "azure", "memory"]
_names = itertools.count()


def new_index(
    backend: str,
    *,
    directory: Path,
    service: RunningService | None,
    dimension: int,
    image_dimension: int | None,
    bm25_titles: bool = False,
) -> SearchIndex:
    """An empty index of ``backend``; Azure's lives in the local search service (``service``)."""
    if backend == "lancedb":
        return LanceDbIndex(
            directory, dimension=dimension, image_dimension=image_dimension, bm25_titles=bm25_titles
        )
    if backend == "azure":
        assert service is not None
        return AzureSearchIndex(
            service.endpoint,
            index_name=f"contract-{next(_names)}",
            credential=service.api_key,
            dimension=dimension,
            image_dimension=image_dimension,
            connection_verify=str(service.cert_path),
            bm25_titles=bm25_titles,
        )
    if backend == "memory":
        return MemoryIndex(bm25_titles=bm25_titles)
    raise ValueError(f"unknown backend {backend!r}")
