"""The Arrow schemas of the embedded index's two tables, ``documents`` and ``chunks``."""

from __future__ import annotations

import pyarrow as pa

DOCUMENTS_TABLE = "documents"
CHUNKS_TABLE = "chunks"
VECTOR_COLUMN = "vector"
CONTENT_COLUMN = "content"

IMAGE_TYPE = pa.struct(
    [
        pa.field("path", pa.string(), nullable=False),
        pa.field("ocr_text", pa.string(), nullable=False),
        pa.field("caption", pa.string(), nullable=False),
        pa.field("context", pa.string(), nullable=False),
        pa.field("figure_name", pa.string()),
    ]
)

DOCUMENTS_SCHEMA = pa.schema(
    [
        pa.field("document_id", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("size_bytes", pa.int64(), nullable=False),
        pa.field("chunk_count", pa.int64(), nullable=False),
        pa.field("ingested_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)


def chunks_schema(dimension: int) -> pa.Schema:
    """The ``chunks`` table's schema for vectors of ``dimension`` float32 values."""
    if dimension <= 0:
        raise ValueError(f"dimension must be positive, got {dimension}")
    return pa.schema(
        [
            pa.field("chunk_id", pa.string(), nullable=False),
            pa.field("document_id", pa.string(), nullable=False),
            pa.field("source", pa.string(), nullable=False),
            pa.field("citation", pa.string(), nullable=False),
            pa.field("kind", pa.string(), nullable=False),
            pa.field(CONTENT_COLUMN, pa.string(), nullable=False),
            pa.field("page_number", pa.int32()),
            pa.field("title", pa.string()),
            pa.field("category", pa.string()),
            pa.field("brand", pa.string()),
            pa.field("price", pa.float64()),
            pa.field("images", pa.list_(IMAGE_TYPE), nullable=False),
            pa.field(VECTOR_COLUMN, pa.list_(pa.float32(), dimension), nullable=False),
        ]
    )


def vector_dimension(schema: pa.Schema) -> int | None:
    """The vector width of an existing ``chunks`` table, or None if it has no fixed-size vector."""
    if VECTOR_COLUMN not in schema.names:
        return None
    vector_type = schema.field(VECTOR_COLUMN).type
    if not pa.types.is_fixed_size_list(vector_type):
        return None
    return int(vector_type.list_size)
