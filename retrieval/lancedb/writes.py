"""Writing chunks and documents, and keeping the tables fast after writes.

A write that leaves ``refresh_rows`` rows outside the full-text index, or ``max_small_files``
small fragments, triggers ``optimize()``: lancedb still finds unindexed rows (it scans them flat
and merges), but that scan and many small files cost query time. Below ``ann_min_rows`` chunks
the vector search is flat and exact; from there an IVF-HNSW-SQ index is built once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from lancedb.table import Table

from retrieval import schema
from retrieval.chunk_checks import check_document_chunks
from retrieval.filters import quote_sql_string
from retrieval.lancedb.internals import small_fragments
from retrieval.lancedb.tables import TableSet, ann_config, fts_index_name, has_index_on
from retrieval.rows import checked_vector_block, chunk_to_row, chunks_to_table, document_to_row
from ridgeline.types import Chunk, NewDocument, SourceDocument

# optimize() never deletes a version younger than this: a reader may still be scanning it.
MIN_CLEANUP_AGE = timedelta(minutes=1)


def id_predicate(document_id: str) -> str:
    return f"document_id = {quote_sql_string(document_id)}"


@dataclass(frozen=True)
class Upkeep:
    """When the tables are compacted and the ANN index built (see the module docstring)."""

    refresh_rows: int = 2_000
    max_small_files: int = 32
    ann_min_rows: int = 50_000

    def after_write(self, chunks: Table) -> None:
        self.build_ann_index(chunks)
        fts_stats = chunks.index_stats(fts_index_name(chunks))
        unindexed = fts_stats.num_unindexed_rows if fts_stats is not None else 0
        small_files = small_fragments(chunks)
        if unindexed >= self.refresh_rows or small_files >= self.max_small_files:
            chunks.optimize()

    def build_ann_index(self, chunks: Table) -> None:
        if not has_index_on(chunks, schema.VECTOR_COLUMN) and (
            chunks.count_rows() >= self.ann_min_rows
        ):
            chunks.create_index(schema.VECTOR_COLUMN, config=ann_config())

    def after_bulk_load(self, chunks: Table, written: int) -> None:
        """Fold appended rows into the indexes; rebuild the ANN index if the load dominates."""
        chunks.optimize(cleanup_older_than=MIN_CLEANUP_AGE)
        if has_index_on(chunks, schema.VECTOR_COLUMN) and written * 2 >= chunks.count_rows():
            # Partitions trained on the old rows would fit the new majority badly.
            chunks.create_index(schema.VECTOR_COLUMN, config=ann_config(), replace=True)
        else:
            self.build_ann_index(chunks)


def replace_document(
    tables: TableSet,
    document: SourceDocument,
    chunks: Sequence[Chunk],
    vectors: Sequence[Sequence[float]],
    image_vectors: Sequence[Sequence[float] | None] | None,
) -> Table:
    """One merge-insert commit of the chunks, then the document row; returns the chunks table."""
    check_document_chunks(document, chunks, vectors, image_vectors)
    opened = tables.for_images(image_vectors)
    rows = [
        chunk_to_row(
            chunk,
            vector,
            dimension=tables.dimension,
            image_vector=image,
            image_dimension=opened.image_dimension,
            bm25_titles=tables.bm25_titles,
        )
        for chunk, vector, image in zip(
            chunks, vectors, image_vectors or [None] * len(chunks), strict=True
        )
    ]
    predicate = id_predicate(document.document_id)
    if rows:
        (
            opened.chunks.merge_insert("chunk_id")
            .when_matched_update_all()
            .when_not_matched_insert_all()
            .when_not_matched_by_source_delete(predicate)
            .execute(rows)
        )
    else:
        opened.chunks.delete(predicate)
    doc_row = document_to_row(document, chunk_count=len(rows), ingested_at=datetime.now(UTC))
    (
        opened.documents.merge_insert("document_id")
        .when_matched_update_all()
        .when_not_matched_insert_all()
        .execute([doc_row])
    )
    return opened.chunks


def bulk_append(tables: TableSet, documents: Iterable[NewDocument], *, batch_rows: int) -> int:
    """Append new documents in batches of whole documents; returns the chunks written."""
    known = set(_document_ids(tables))
    pending: list[NewDocument] = []
    pending_rows = written = 0
    for item in documents:
        check_document_chunks(item.document, item.chunks, item.vectors, item.image_vectors)
        if item.document.document_id in known:
            raise ValueError(
                f"document {item.document.document_id!r} is already in the index or "
                "given twice: bulk_load only adds new documents (use replace_document)"
            )
        known.add(item.document.document_id)
        pending.append(item)
        pending_rows += len(item.chunks)
        if pending_rows >= batch_rows:
            written += _append_batch(tables, pending)
            pending, pending_rows = [], 0
    return written + _append_batch(tables, pending)


def refuse_known(tables: TableSet, document_ids: Sequence[str]) -> None:
    """ValueError when the index holds one of ``document_ids`` or one is given twice."""
    known = set(_document_ids(tables))
    seen: set[str] = set()
    for document_id in document_ids:
        if document_id in known or document_id in seen:
            raise ValueError(
                f"document {document_id!r} is already in the index or given twice: only new "
                "documents are appended (use replace_document)"
            )
        seen.add(document_id)


def _document_ids(tables: TableSet) -> list[str]:
    query = tables.get().documents.search().select(["document_id"]).limit(None)
    return query.to_arrow()["document_id"].to_pylist()


def _append_batch(tables: TableSet, batch: list[NewDocument]) -> int:
    """Append whole documents: chunks in one commit, then their document rows in another."""
    if not batch:
        return 0
    images = [v for d in batch for v in (d.image_vectors or [None] * len(d.chunks))]
    opened = tables.for_images(images)
    dimension = tables.dimension
    chunk_schema = schema.chunks_schema(dimension, image_dimension=opened.image_dimension)
    # Checked document by document, so an error names the document's own block.
    blocks = [
        checked_vector_block(d.vectors, dimension=dimension, names=[c.chunk_id for c in d.chunks])
        for d in batch
    ]
    chunks = [chunk for d in batch for chunk in d.chunks]
    table = chunks_to_table(
        chunks,
        np.concatenate(blocks),
        table_schema=chunk_schema,
        image_vectors=images,
        bm25_titles=tables.bm25_titles,
    )
    if table.num_rows:
        opened.chunks.add(table)
    now = datetime.now(UTC)
    opened.documents.add(
        [document_to_row(d.document, chunk_count=len(d.chunks), ingested_at=now) for d in batch]
    )
    return table.num_rows
