"""New documents written as Lance data files by a worker, committed by the index's one writer.

A Ray embedding actor turns the new documents of its batch into the index's rows and writes
them next to the tables as data files that no version references yet
(:meth:`LanceStager.stage`, on the worker); the driver, the one writer of the index, makes them
part of the tables with one metadata-only commit per table (:func:`commit_staged`): chunks
first, then the document rows, the order of every other write, so a reader (who lists
documents) sees a document whole or not at all. Files staged by a worker whose batch is never
committed (a crash, a refused commit) are referenced by no version, so no reader sees them.
Needs pylance (the ``ray`` extra): the data files are written with lance's distributed-write
API (``write_fragments`` + ``LanceOperation.Append``), which lancedb does not expose.

    >>> staged = index.stager().stage(new_documents)   # on a worker: data files, no commit
    >>> index.commit_staged(staged)                   # on the driver: two small commits
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from retrieval import schema
from retrieval.chunk_checks import check_document_chunks
from retrieval.rows import checked_vector_block, chunks_to_table, document_to_row
from ridgeline.errors import ConfigError
from ridgeline.types import NewDocument


@dataclass(frozen=True)
class StagedAppend:
    """Data files written for new documents and not yet committed (picklable, small)."""

    document_ids: tuple[str, ...]
    chunk_fragments: tuple[str, ...]  # lance FragmentMetadata, as JSON
    document_fragments: tuple[str, ...]
    chunks: int


@dataclass(frozen=True)
class LanceStager:
    """Writes the rows of new documents as uncommitted data files of an index's two tables.

    Picklable (paths and a width): the driver hands it to workers that see the index folder at
    the same path.
    """

    chunks_uri: str
    documents_uri: str
    dimension: int
    bm25_titles: bool = False

    def stage(self, documents: Sequence[NewDocument]) -> StagedAppend:
        lance = lance_module()
        chunks_data = lance.dataset(self.chunks_uri)
        documents_data = lance.dataset(self.documents_uri)
        chunk_rows = self._chunk_rows(documents, chunks_data.schema)
        now = datetime.now(UTC)
        document_rows = pa.Table.from_pylist(
            [
                document_to_row(d.document, chunk_count=len(d.chunks), ingested_at=now)
                for d in documents
            ],
            schema=documents_data.schema,
        )
        return StagedAppend(
            document_ids=tuple(d.document.document_id for d in documents),
            chunk_fragments=_written(lance, chunk_rows, chunks_data),
            document_fragments=_written(lance, document_rows, documents_data),
            chunks=chunk_rows.num_rows,
        )

    def _chunk_rows(self, documents: Sequence[NewDocument], table_schema: pa.Schema) -> pa.Table:
        has_images = any(v is not None for d in documents for v in d.image_vectors or ())
        if has_images and schema.vector_dimension(table_schema, schema.IMAGE_VECTOR_COLUMN) is None:
            # Adding the column changes the table's schema: only the writer may do that.
            raise ValueError("the chunks table has no image-vector column yet")
        blocks = []
        for item in documents:
            check_document_chunks(item.document, item.chunks, item.vectors, item.image_vectors)
            names = [chunk.chunk_id for chunk in item.chunks]
            blocks.append(checked_vector_block(item.vectors, dimension=self.dimension, names=names))
        images = [v for d in documents for v in (d.image_vectors or [None] * len(d.chunks))]
        chunks = [chunk for d in documents for chunk in d.chunks]
        vectors = np.concatenate(blocks) if blocks else np.zeros((0, self.dimension), np.float32)
        return chunks_to_table(
            chunks,
            vectors,
            table_schema=table_schema,
            image_vectors=images,
            bm25_titles=self.bm25_titles,
        )


def commit_staged(chunks_uri: str, documents_uri: str, staged: StagedAppend) -> None:
    """Make staged files part of the tables: the chunks' commit, then the documents'."""
    lance = lance_module()
    _commit(lance, chunks_uri, staged.chunk_fragments)
    _commit(lance, documents_uri, staged.document_fragments)


def lance_module() -> Any:
    try:
        import lance
        import lance.fragment  # write_fragments, FragmentMetadata
    except ImportError as exc:
        raise ConfigError(
            "writing index files on workers needs pylance: pip install 'ridgeline[ray]'"
        ) from exc
    return lance


def _written(lance: Any, rows: pa.Table, dataset: Any) -> tuple[str, ...]:
    if rows.num_rows == 0:
        return ()
    fragments = lance.fragment.write_fragments(
        rows,
        dataset.uri,
        schema=dataset.schema,
        data_storage_version=dataset.data_storage_version,
    )
    return tuple(json.dumps(fragment.to_json()) for fragment in fragments)


def _commit(lance: Any, uri: str, fragments: tuple[str, ...]) -> None:
    if not fragments:
        return
    metadata = [lance.fragment.FragmentMetadata.from_json(text) for text in fragments]
    latest = lance.dataset(uri).version  # appends commute: any later version is fine
    lance.LanceDataset.commit(uri, lance.LanceOperation.Append(metadata), read_version=latest)
