"""Facet values remembered for a short while, so planning a query does not scan the index.

The query planner matches category and brand names in a question against the index's facet
values. Listing them scans the index (about 8 ms for the demo catalog, more for a large one),
which would double the cost of a chat turn; catalogs change far less often than they are
queried, so values up to ``max_age_s`` old are good enough.

    >>> planner = QueryPlanner(facets=CachedFacets(index, max_age_s=30))
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from retrieval.query.planner import FacetSource
from ridgeline.types import SearchFilters


class CachedFacets:
    """A :class:`FacetSource` answering unfiltered facet requests from a cache.

    Filtered requests are passed through (their answers depend on the filter). A value list is
    refreshed from ``source`` when older than ``max_age_s``; ``clock`` is for tests.
    """

    def __init__(
        self,
        source: FacetSource,
        *,
        max_age_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_age_s < 0:
            raise ValueError(f"max_age_s must be at least 0, got {max_age_s}")
        self._source = source
        self._max_age_s = max_age_s
        self._clock = clock
        self._lock = threading.Lock()  # chat requests run in a thread pool
        self._cached: dict[str, tuple[float, Any]] = {}

    def facets(self, field: str, *, filters: SearchFilters | None = None) -> Any:
        if filters is not None:
            return self._source.facets(field, filters=filters)
        now = self._clock()
        with self._lock:
            cached = self._cached.get(field)
        if cached is not None and now - cached[0] <= self._max_age_s:
            return cached[1]
        answer = self._source.facets(field)
        with self._lock:
            self._cached[field] = (now, answer)
        return answer
