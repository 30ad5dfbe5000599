"""The private parts of lancedb that the index relies on, in one place.

lancedb's sync query builders read the table schema on each query and hop to its event loop
once per query; the index builds native queries (and takes rows by address) directly and runs
a search's rankings together in that loop, which halves a hybrid query's latency
(docs/benchmarks.md). Both need attributes lancedb does not promise to keep, so the version is
pinned in pyproject.toml and
``tests/retrieval/lancedb/test_internals.py`` fails loudly when an upgrade moves them.
"""

from __future__ import annotations

import asyncio
from typing import Any

import lancedb
from lancedb.background_loop import LOOP
from lancedb.query import AsyncQuery, AsyncTakeQuery
from lancedb.table import LanceTable, Table

# The version these internals were checked against (pyproject.toml pins the same).
PINNED_LANCEDB_VERSION = "0.40.0"


def bare_query(table: Table) -> AsyncQuery:
    """A native query on ``table`` that skips lancedb's per-query Python look-ups.

    Built without a table handle, the query still sees the latest version (checked once, when
    it runs), but reads no schema and infers no vector column: callers name it.
    """
    return AsyncQuery(table._table._inner.query(), None)  # type: ignore[attr-defined]  # private, pinned


def bare_take(table: Table, row_ids: list[int]) -> AsyncTakeQuery:
    """A native query of the rows at ``row_ids`` (lancedb's ``_rowid``) in the table's latest
    version; addresses no live row holds (a deleted or moved row) are skipped silently."""
    return AsyncTakeQuery(table._table._inner.take_row_ids(row_ids), None)  # type: ignore[attr-defined]  # private, pinned


def run_all(queries: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows of each named async query, all run at once in lancedb's event loop.

    The queries run concurrently in native code (no GIL), so several rankings cost about the
    slowest of them, with one hop to the loop.
    """
    if not queries:
        return {}

    async def gathered() -> list[Any]:
        return await asyncio.gather(*(query.to_arrow() for query in queries.values()))

    tables = LOOP.run(gathered())
    return {name: table.to_pylist() for name, table in zip(queries, tables, strict=True)}


def installed_version() -> str:
    return str(lancedb.__version__)


def small_fragments(table: Table) -> int:
    """How many small data files ``table`` holds. lancedb 0.40 annotates ``stats()`` as a
    ``TableStatistics`` class but returns a dict: read it as the dict it is."""
    stats: Any = table.stats()
    return int(stats["fragment_stats"]["num_small_fragments"])


def table_location(table: Table) -> str:
    """Where ``table`` lives, for messages (the local table class has a ``uri``; a remote one
    only its name)."""
    return table.uri if isinstance(table, LanceTable) else table.name
