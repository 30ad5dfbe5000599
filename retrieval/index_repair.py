"""Finds the damage older versions could leave in a LanceDB index directory.

Before writers took the index lock (:mod:`ingestion.index_lock`), two ingest runs on one index
could both append the same new files: a document row twice, and its chunk ids twice. A run
killed between a chunk commit and its document row, without a journal note to repair it (an
upload), leaves chunks no document row describes. This module only reads the ``document_id``
and ``chunk_id`` columns (no vectors) and names the documents concerned; the ingestion pipeline,
holding the lock, removes them through the index's ``delete_document`` and ingests their files
again.

    >>> damage = find_damage(Path(".ridgeline/index"))
    >>> sorted(damage.documents)
    ['3f2a...', '9c01...']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import lancedb
import pyarrow as pa
import pyarrow.compute as pc

from retrieval import schema


@dataclass(frozen=True)
class IndexDamage:
    """Document ids whose rows or chunks are duplicated, or whose chunks have no document row."""

    duplicate_rows: frozenset[str] = frozenset()
    duplicate_chunks: frozenset[str] = frozenset()
    orphaned_chunks: frozenset[str] = frozenset()

    @property
    def documents(self) -> frozenset[str]:
        return self.duplicate_rows | self.duplicate_chunks | self.orphaned_chunks

    def reason(self, document_id: str) -> str:
        """What is wrong with one damaged document, in words for the ingest report."""
        reasons = [
            label
            for label, ids in (
                ("its document row was stored more than once", self.duplicate_rows),
                ("some of its chunks were stored more than once", self.duplicate_chunks),
                ("its chunks had no document row", self.orphaned_chunks),
            )
            if document_id in ids
        ]
        return "; ".join(reasons)


class LanceIndexDoctor:
    """Looks for :class:`IndexDamage` in the LanceDB index in ``directory`` (read-only)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def damage(self) -> IndexDamage:
        return find_damage(self.directory)


def find_damage(directory: Path) -> IndexDamage:
    """The damage in the index in ``directory``; none when it has no tables yet."""
    if not Path(directory).is_dir():
        return IndexDamage()
    db = lancedb.connect(directory, read_consistency_interval=timedelta(0))
    try:
        documents = db.open_table(schema.DOCUMENTS_TABLE)
        chunk_table = db.open_table(schema.CHUNKS_TABLE)
    except ValueError:  # lancedb reports a missing table as ValueError: nothing written yet
        return IndexDamage()
    rows = _columns(documents, ["document_id"])["document_id"]
    chunks = _columns(chunk_table, ["chunk_id", "document_id"])
    return IndexDamage(
        duplicate_rows=_repeated(rows),
        duplicate_chunks=_owners_of_repeated(chunks["chunk_id"], chunks["document_id"]),
        orphaned_chunks=frozenset(_unique(chunks["document_id"]) - _unique(rows)),
    )


def _columns(table: Any, columns: list[str]) -> pa.Table:
    # Only the id columns are read: no vectors, no text.
    return table.search().select(columns).limit(None).to_arrow()


def _unique(values: pa.ChunkedArray) -> set[str]:
    return set(pc.unique(values).to_pylist())


def _repeated(values: pa.ChunkedArray) -> frozenset[str]:
    counts = pc.value_counts(values)
    more_than_once = pc.greater(counts.field("counts"), 1)
    return frozenset(pc.filter(counts.field("values"), more_than_once).to_pylist())


def _owners_of_repeated(
    chunk_ids: pa.ChunkedArray, document_ids: pa.ChunkedArray
) -> frozenset[str]:
    repeated = pa.array(sorted(_repeated(chunk_ids)), type=pa.string())
    if len(repeated) == 0:
        return frozenset()
    owners = pc.filter(document_ids, pc.is_in(chunk_ids, value_set=repeated))
    return frozenset(_unique(owners))
