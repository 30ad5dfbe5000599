"""Conversion of Ridgeline records to rows of the embedded index's tables.

The fields shared with other backends, and reading them back, are in
:mod:`retrieval.stored_fields`; this module adds the columns only LanceDB has.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa

from retrieval import schema
from retrieval.stored_fields import (
    CHUNK_FIELDS,
    checked_vector,
    chunk_fields,
    document_fields,
    is_public,
)
from ridgeline.types import Chunk, SourceDocument, bm25_text


def document_to_row(
    document: SourceDocument, *, chunk_count: int, ingested_at: datetime
) -> dict[str, Any]:
    return {**document_fields(document, chunk_count=chunk_count), "ingested_at": ingested_at}


def chunk_to_row(
    chunk: Chunk,
    vector: Sequence[float],
    *,
    dimension: int,
    image_vector: Sequence[float] | None = None,
    image_dimension: int | None = None,
    bm25_titles: bool = False,
) -> dict[str, Any]:
    """A ``chunks`` row; vectors are checked for width and finiteness."""
    what = f"chunk {chunk.chunk_id!r}"
    row = {
        **chunk_fields(chunk),
        "extra": "{}",  # Chunk carries no other catalog fields yet
        "access_public": is_public(chunk),
        schema.SEARCH_TEXT_COLUMN: bm25_text(chunk, titles=bm25_titles),
        "vector": checked_vector(vector, dimension=dimension, what=what),
    }
    if image_dimension is not None:
        row["image_vector"] = (
            None
            if image_vector is None
            else checked_vector(
                image_vector, dimension=image_dimension, what=what, field="image vector"
            )
        )
    return row


def checked_vector_block(
    vectors: Any, *, dimension: int, names: Sequence[str], field: str = "vector"
) -> np.ndarray:
    """``vectors`` (one per name) as a float32 ``(len(names), dimension)`` array.

    Rejects a wrong shape or NaN/inf values, naming the first offending chunk.
    """
    block = np.asarray(vectors, dtype=np.float32)
    if block.ndim != 2 or block.shape[0] != len(names) or block.shape[1] != dimension:
        raise ValueError(
            f"{len(names)} chunks need a ({len(names)}, {dimension}) {field} block, "
            f"got shape {block.shape}"
        )
    finite = np.isfinite(block).all(axis=1)
    if not finite.all():
        bad = names[int(np.argmin(finite))]
        raise ValueError(f"chunk {bad!r}: {field} contains NaN or infinite values")
    return block


def _vector_column(block: np.ndarray, dimension: int) -> pa.FixedSizeListArray:
    return pa.FixedSizeListArray.from_arrays(pa.array(block.reshape(-1)), dimension)


def chunks_to_table(
    chunks: Sequence[Chunk],
    vectors: Any,
    *,
    table_schema: pa.Schema,
    image_vectors: Sequence[Sequence[float] | None] | None = None,
    bm25_titles: bool = False,
) -> pa.Table:
    """Many ``chunks`` rows as one Arrow table: the columnar twin of :func:`chunk_to_row`.

    ``vectors`` is a 2-d array or a sequence of sequences; it is checked as a block (shape,
    finiteness) without a Python loop over its values, which is what makes bulk loads fast.
    """
    names = [chunk.chunk_id for chunk in chunks]
    width = schema.vector_dimension(table_schema) or 0
    block = checked_vector_block(vectors, dimension=width, names=names)
    fields = [chunk_fields(chunk) for chunk in chunks]
    columns: dict[str, Any] = {name: [f[name] for f in fields] for name in CHUNK_FIELDS}
    columns["extra"] = ["{}"] * len(chunks)
    columns["access_public"] = [is_public(c) for c in chunks]
    columns[schema.SEARCH_TEXT_COLUMN] = [bm25_text(c, titles=bm25_titles) for c in chunks]
    columns["vector"] = _vector_column(block, width)
    image_width = schema.vector_dimension(table_schema, schema.IMAGE_VECTOR_COLUMN)
    if image_width is not None:
        columns[schema.IMAGE_VECTOR_COLUMN] = [
            None
            if image is None
            else checked_vector(
                image, dimension=image_width, what=f"chunk {chunk.chunk_id!r}", field="image vector"
            )
            for chunk, image in zip(chunks, image_vectors or [None] * len(chunks), strict=True)
        ]
    arrays = [
        columns[f.name]
        if isinstance(columns[f.name], pa.Array)
        else pa.array(columns[f.name], f.type)
        for f in table_schema
    ]
    return pa.Table.from_arrays(arrays, schema=table_schema)
