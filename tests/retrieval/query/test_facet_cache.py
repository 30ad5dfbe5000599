from __future__ import annotations

import pytest

from retrieval.query.facet_cache import CachedFacets
from ridgeline.types import SearchFilters


class CountingFacets:
    """A facet source whose catalog can change, counting how often it is scanned."""

    def __init__(self) -> None:
        self.values = {"category": {"Tents": 2}}
        self.scans = 0

    def facets(self, field: str, *, filters: SearchFilters | None = None) -> dict[str, int]:
        self.scans += 1
        return dict(self.values.get(field, {}))


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_values_are_scanned_once_while_fresh_and_again_when_stale() -> None:
    source, clock = CountingFacets(), Clock()
    cached = CachedFacets(source, max_age_s=30, clock=clock)
    assert cached.facets("category") == {"Tents": 2}
    source.values["category"]["Stoves"] = 1  # a new catalog row
    clock.now += 29
    assert cached.facets("category") == {"Tents": 2}
    assert source.scans == 1
    clock.now += 2
    assert cached.facets("category") == {"Tents": 2, "Stoves": 1}
    assert source.scans == 2


def test_fields_are_cached_separately_and_filtered_requests_pass_through() -> None:
    source = CountingFacets()
    cached = CachedFacets(source, max_age_s=30, clock=Clock())
    cached.facets("category")
    cached.facets("brand")
    cached.facets("category", filters=SearchFilters(max_price=10))
    cached.facets("category", filters=SearchFilters(max_price=10))
    assert source.scans == 4


def test_a_negative_age_is_refused() -> None:
    with pytest.raises(ValueError, match="max_age_s"):
        CachedFacets(CountingFacets(), max_age_s=-1)
