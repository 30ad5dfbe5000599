"""Price ranges checked on a ranking's entries after the ranking, instead of inside it.

A B-tree range over a large share of the rows is the dearest part of a filtered query (13 ms
for half of 1M rows in LanceDB), and an HNSW search masked down to a few percent of its rows
costs twice one masked by the category alone (docs/benchmarks.md). So a ranking asks for
``overfetch`` times the entries it needs (at least ``min_fetch``) under the rest of the filter,
access lists included, keeps those in the range, and runs again with the range inside when too
few pass: the same entries as the range inside, for less. BM25 rankings always check after;
vector rankings only over ``vector_min_rows`` chunks or more, below which the masked search
is the cheaper one. A price bound cannot hide a chunk from a user: access lists stay inside.

    >>> plan = PriceCheck().plan(filters, fields=["text", "vector"], depth=10, rows=lambda: n)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ridgeline.ranking import RankedChunk, RankingField
from ridgeline.types import SearchFilters


@dataclass(frozen=True)
class PriceBounds:
    low: float | None
    high: float | None

    def admits(self, price: float | None) -> bool:
        """Whether an entry with ``price`` passes (one without a price never does)."""
        if price is None:
            return False
        return (self.low is None or price >= self.low) and (self.high is None or price <= self.high)


def without_price(filters: SearchFilters | None) -> tuple[SearchFilters | None, PriceBounds | None]:
    """``filters`` less its price bounds, and those bounds (None when there are none)."""
    if filters is None or (filters.min_price is None and filters.max_price is None):
        return filters, None
    rest = filters.model_copy(update={"min_price": None, "max_price": None})
    return rest, PriceBounds(low=filters.min_price, high=filters.max_price)


@dataclass(frozen=True)
class PricePlan:
    """How each ranking of one search is filtered: ``after`` fields check the price after."""

    filters: SearchFilters | None  # the whole filter, for rankings that keep it inside
    rest: SearchFilters | None  # less the price range, for the ``after`` rankings
    bounds: PriceBounds | None
    after: frozenset[RankingField]
    fetch: int  # entries an ``after`` ranking asks for

    def kept(self, entries: Sequence[RankedChunk], *, depth: int) -> list[RankedChunk] | None:
        """The first ``depth`` entries in range, or None when too few passed (run it again)."""
        assert self.bounds is not None
        bounds = self.bounds
        kept = [entry for entry in entries if bounds.admits(entry.price)]
        if len(kept) >= depth or len(entries) < self.fetch:  # enough, or all there are
            return kept[:depth]
        return None


class PriceCheck:
    """When a ranking checks the price after instead of inside (see the module docstring).

    ``rows`` tells the index's size; it is asked at most every ``rows_max_age_s`` seconds.
    """

    def __init__(
        self,
        *,
        overfetch: int = 3,
        min_fetch: int = 50,
        vector_min_rows: int = 250_000,
        rows_max_age_s: float = 30.0,
    ) -> None:
        self._overfetch = max(overfetch, 1)
        self._min_fetch = min_fetch
        self._vector_min_rows = vector_min_rows
        self._rows_max_age_s = rows_max_age_s
        self._rows: tuple[float, int] | None = None

    def plan(
        self,
        filters: SearchFilters | None,
        *,
        fields: Sequence[RankingField],
        depth: int,
        rows: Callable[[], int],
    ) -> PricePlan:
        rest, bounds = without_price(filters)
        after: set[RankingField] = set()
        if bounds is not None:
            after = {f for f in fields if f == "text"}
            vectors = [f for f in fields if f != "text"]
            if vectors and self._row_count(rows) >= self._vector_min_rows:
                after.update(vectors)
        fetch = max(depth * self._overfetch, self._min_fetch)
        return PricePlan(filters, rest, bounds, frozenset(after), fetch)

    def _row_count(self, rows: Callable[[], int]) -> int:
        now = time.monotonic()
        if self._rows is None or now - self._rows[0] > self._rows_max_age_s:
            self._rows = (now, rows())
        return self._rows[1]
