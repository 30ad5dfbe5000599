"""Hits only from documents the index lists: chunks of an unfinished write stay unseen.

An index writes a document's chunks in one commit and its document row in the next (LanceDB:
``replace_document`` and ``bulk_load``), and the ingestion journal repairs a write killed in
between only when the next run starts. Until then the chunks of a new file have no document
row: an answer could cite them, and their ``/content`` link would 404 (the content store serves
listed documents only). A reader therefore keeps a hit only when its document is listed.

The listed ids are remembered, so a steady index costs no look-up per query: the list is read
again when a hit names an id it does not hold (a document just added, an upload, shows up at
once), and whenever it is older than ``max_age_s``. An id found unlisted is remembered as such
for ``refresh_s``, so chunks left by a killed write cost at most one read of the list per
``refresh_s``, not one per query.

    >>> listed = ListedDocuments(index)
    >>> listed.keep(hits)  # the hits of a search, less those of unlisted documents
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from ridgeline.protocols import SearchIndex
from ridgeline.types import SearchHit


class ListedDocuments:
    """Filters hits down to those whose document has a document row in ``index``."""

    def __init__(
        self,
        index: SearchIndex,
        *,
        refresh_s: float = 1.0,
        max_age_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._index = index
        self._refresh_s = refresh_s
        self._max_age_s = max_age_s
        self._clock = clock
        self._ids: frozenset[str] = frozenset()
        self._missing: frozenset[str] = frozenset()  # ids the last read found unlisted
        self._read_at: float | None = None
        self._lock = threading.Lock()

    def keep(self, hits: Sequence[SearchHit]) -> list[SearchHit]:
        """``hits`` less those of documents without a document row, in their order."""
        listed = self._listed({hit.chunk.document_id for hit in hits})
        return [hit for hit in hits if hit.chunk.document_id in listed]

    def _listed(self, wanted: set[str]) -> frozenset[str]:
        with self._lock:
            now = self._clock()
            age = None if self._read_at is None else now - self._read_at
            unknown = wanted - self._ids
            if age is not None and age <= self._refresh_s:
                unknown -= self._missing  # found unlisted a moment ago: not worth a new read
            if age is None or age > self._max_age_s or unknown:
                self._ids = frozenset(d.document_id for d in self._index.list_documents())
                self._missing = frozenset(wanted - self._ids)
                self._read_at = now
            return self._ids
