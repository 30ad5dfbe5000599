"""Filtered rankings over large tables: rank unfiltered, filter the rows found, fall back.

In LanceDB a ranking masked by a filter can cost several times the same ranking unfiltered, even
when the filter lets most rows through: at 1M rows, HNSW masked by an access scope that lets 56%
of the rows through took about 97 ms against 18 ms for 150 rows unfiltered, and BM25 masked by a
category (10% of the rows) 40 to 89 ms against 21 ms for 2,000 rows unfiltered
(docs/benchmarks.md, "Filters checked after a large ranking"). So over a large table a filtered
ranking may instead ask for ``margin / share`` times its rows with the filter applied to the
rows found only (lancedb's postfilter), ``share`` being the estimated share of rows the filter
lets through. If fewer than the rows wanted pass (a filter that correlates with the query, a
stale estimate), the ranking runs again masked. Either way it answers the first rows of the
ranking that pass the whole filter, access lists included: no allowed row is dropped by a cut.

The extra rows cost little in BM25 but a lot in HNSW (its search list must hold them all), so a
vector ranking checks after only when the rows it asks for fit its usual search list.

    >>> PostFilter().fetch(field="text", top=150, rows=10**6, share=lambda: 0.1, vector_max=256)
    3000
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from ridgeline.ranking import RankingField


@dataclass(frozen=True)
class PostFilter:
    """When a filtered ranking ranks unfiltered and checks the filter on the rows found.

    ``min_rows``: tables smaller than this always mask (their masked rankings are cheap: 100k
    rows met the 20 ms target masked). ``margin``: how many times the rows expected to pass
    are wanted, so that a filter that favours other rows than the query does still leaves
    enough. ``text_max_fetch``: the most rows a BM25 ranking asks for before masking is the
    cheaper way (4,000 unfiltered rows cost about 34 ms at 1M, the masked search 40 or more).
    """

    min_rows: int = 250_000
    margin: float = 2.0
    text_max_fetch: int = 4_000

    def fetch(
        self,
        *,
        field: RankingField,
        top: int,
        rows: int,
        share: Callable[[], float],
        vector_max: int,
    ) -> int | None:
        """How many rows to rank unfiltered for ``top`` that pass, or None: mask instead.

        ``share()`` estimates the share of the ``rows`` rows that pass (asked only for a large
        table); ``vector_max`` is the most rows a vector ranking may ask for at no extra cost
        (its HNSW search list).
        """
        if rows < self.min_rows:
            return None
        passing = share()
        if passing <= 0.0:
            return None
        wanted = math.ceil(top * self.margin / min(passing, 1.0))
        limit = self.text_max_fetch if field == "text" else vector_max
        return wanted if wanted <= limit else None


Count = Callable[[str | None], int]  # rows passing a SQL predicate (all rows for None)


class FilterShares:
    """The share of a table's rows each filter lets through, counted at most every
    ``max_age_s`` seconds per filter (the counts only choose a plan, so a stale one is safe).

    ``count`` counts the rows passing a predicate: about 4 to 6 ms at 1M rows through the
    scalar indexes. The ``size`` filters used last are kept.
    """

    def __init__(self, *, max_age_s: float = 60.0, size: int = 1024) -> None:
        self._max_age_s = max_age_s
        self._size = size
        self._counted: OrderedDict[str | None, tuple[float, int]] = OrderedDict()
        self._lock = threading.Lock()

    def rows(self, count: Count) -> int:
        return self._counted_rows(None, count)

    def share(self, where: str, count: Count) -> float:
        total = self.rows(count)
        return self._counted_rows(where, count) / total if total else 0.0

    def _counted_rows(self, where: str | None, count: Count) -> int:
        now = time.monotonic()
        with self._lock:
            known = self._counted.get(where)
        if known is None or now - known[0] > self._max_age_s:
            known = (now, count(where))  # outside the lock: searches in parallel may count
        with self._lock:  # the chat serves searches from several threads
            self._counted[where] = known
            self._counted.move_to_end(where)
            while len(self._counted) > self._size:
                self._counted.popitem(last=False)
        return known[1]
