"""Records of ranked chunks, taken at the row addresses their ranking saw, by id otherwise.

Rankings note each row's address (lancedb's ``_rowid``) beside its chunk id, per thread, and
``fetch`` takes the rows at those addresses instead of looking the ids up in the chunk-id
B-tree: at 1M rows, 5 records cost 10.1 ms of CPU taken against 11.8 ms looked up (most of
either is decoding the columns, docs/benchmarks.md). An address holds within a table version
only: a row deleted or moved since (a write, a compaction) is not found at it, each row found
is kept under its own chunk id, and the ids not found are looked up as before. So the answer
is the same: the records of the listed chunks that are still there.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

from lancedb.table import Table

from retrieval import schema
from retrieval.filters import quote_sql_string
from retrieval.lancedb.internals import bare_query, bare_take, run_all
from retrieval.stored_fields import chunk_from_fields
from ridgeline.types import Chunk


class RowAddresses:
    """The row address of each chunk the calling thread's last rankings returned (a search
    ranks, then fetches, in one thread)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def remember(self, rows: Iterable[dict[str, Any]]) -> None:
        self._local.addresses = {row["chunk_id"]: row["_rowid"] for row in rows}

    def known(self, chunk_ids: Iterable[str]) -> list[int]:
        addresses: dict[str, int] = getattr(self._local, "addresses", {})
        return [addresses[c] for c in chunk_ids if c in addresses]


def fetch(
    chunks: Table, chunk_ids: Sequence[str], addresses: RowAddresses | None = None
) -> dict[str, Chunk]:
    """The records of the listed chunks that are still there."""
    unique = list(dict.fromkeys(chunk_ids))
    found: dict[str, Chunk] = {}
    at = addresses.known(unique) if addresses is not None else []
    if at:
        wanted = set(unique)
        query = bare_take(chunks, at).select(schema.RECORD_COLUMNS)
        rows = run_all({"taken": query})["taken"]
        found = {r["chunk_id"]: chunk_from_fields(r) for r in rows if r["chunk_id"] in wanted}
    missing = [chunk_id for chunk_id in unique if chunk_id not in found]
    if missing:
        found.update(_looked_up(chunks, missing))
    return found


def _looked_up(chunks: Table, unique: list[str]) -> dict[str, Chunk]:
    ids = ", ".join(quote_sql_string(chunk_id) for chunk_id in unique)
    # The limit lets the scan stop at the last id (chunk ids are unique): 9 -> 5 ms at 1M rows.
    query = (
        bare_query(chunks)
        .where(f"chunk_id IN ({ids})")
        .select(schema.RECORD_COLUMNS)
        .limit(len(unique))
    )
    rows = run_all({"records": query})["records"]
    return {row["chunk_id"]: chunk_from_fields(row) for row in rows}
