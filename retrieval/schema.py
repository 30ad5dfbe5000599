"""The Arrow schemas of the embedded index's two tables, ``documents`` and ``chunks``.

Images are stored as one JSON string per chunk (a list of ImageAsset dicts) so that ImageAsset
can gain fields without a schema migration. The image vector column exists only when the index
was created with an ``image_dimension``; its rows are null for chunks without an image vector.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from ridgeline.attribute_fields import ATTRIBUTE_FIELDS, LIST_FIELDS, SOURCES_FIELD
from ridgeline.errors import ConfigError

DOCUMENTS_TABLE = "documents"
CHUNKS_TABLE = "chunks"
VECTOR_COLUMN = "vector"
IMAGE_VECTOR_COLUMN = "image_vector"
CONTENT_COLUMN = "content"
# What BM25 indexes: title + content (ridgeline.types.indexed_text), never read back as a record.
SEARCH_TEXT_COLUMN = "search_text"
IMAGES_COLUMN = "images"
ACCESS_USERS_COLUMN = "access_users"
ACCESS_GROUPS_COLUMN = "access_groups"
# True when both access lists are empty: lets the access predicate test one boolean column.
ACCESS_PUBLIC_COLUMN = "access_public"
# Columns ``facets()`` can count; the attribute lists count each word of each chunk.
FACET_COLUMNS = ("category", "brand", *LIST_FIELDS)

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

_CHUNK_FIELDS = [
    pa.field("chunk_id", pa.string(), nullable=False),
    pa.field("document_id", pa.string(), nullable=False),
    pa.field("source", pa.string(), nullable=False),
    pa.field("citation", pa.string(), nullable=False),
    pa.field("kind", pa.string(), nullable=False),
    pa.field(CONTENT_COLUMN, pa.string(), nullable=False),
    pa.field("page_number", pa.int32()),
    pa.field("title", pa.string()),  # a catalog record's name
    pa.field("category", pa.string()),
    pa.field("brand", pa.string()),
    pa.field("price", pa.float64()),
    pa.field("extra", pa.string(), nullable=False),  # JSON object: other catalog fields
    pa.field(ACCESS_USERS_COLUMN, pa.list_(pa.string()), nullable=False),
    pa.field(ACCESS_GROUPS_COLUMN, pa.list_(pa.string()), nullable=False),
    pa.field(ACCESS_PUBLIC_COLUMN, pa.bool_(), nullable=False),
    pa.field(IMAGES_COLUMN, pa.string(), nullable=False),  # JSON list of ImageAsset dicts
    # Typed record attributes (ridgeline.attribute_fields): null when never read.
    *(
        pa.field(f.name, pa.float64() if f.kind == "number" else pa.list_(pa.string()))
        for f in ATTRIBUTE_FIELDS
    ),
    pa.field(SOURCES_FIELD, pa.string()),  # JSON list of facts with their sentences
]

# The columns a search returns (everything but the vectors).
RECORD_COLUMNS = [field.name for field in _CHUNK_FIELDS]


def chunks_schema(dimension: int, *, image_dimension: int | None = None) -> pa.Schema:
    """The ``chunks`` table's schema for ``dimension``-wide text vectors (float32)."""
    if dimension <= 0:
        raise ValueError(f"dimension must be positive, got {dimension}")
    fields = [
        *_CHUNK_FIELDS,
        # Nullable, like the column added to an index of an older layout (tables.py).
        pa.field(SEARCH_TEXT_COLUMN, pa.string()),
        pa.field(VECTOR_COLUMN, pa.list_(pa.float32(), dimension), nullable=False),
    ]
    if image_dimension is not None:
        if image_dimension <= 0:
            raise ValueError(f"image_dimension must be positive, got {image_dimension}")
        fields.append(pa.field(IMAGE_VECTOR_COLUMN, pa.list_(pa.float32(), image_dimension)))
    return pa.schema(fields)


def vector_dimension(table_schema: pa.Schema, column: str = VECTOR_COLUMN) -> int | None:
    """The width of a fixed-size vector column, or None if the table has no such column."""
    if column not in table_schema.names:
        return None
    vector_type = table_schema.field(column).type
    if not pa.types.is_fixed_size_list(vector_type):
        return None
    return int(vector_type.list_size)


_ATTRIBUTE_COLUMNS = frozenset((*(f.name for f in ATTRIBUTE_FIELDS), SOURCES_FIELD))


def missing_attribute_columns(table_schema: pa.Schema) -> pa.Schema | None:
    """The attribute columns a table written before they existed lacks, or None.

    They are added as all-null columns (a change of the table's metadata only), so an older
    index keeps working: its chunks read back without attributes and answers read their text.
    """
    missing = [
        field
        for field in _CHUNK_FIELDS
        if field.name in _ATTRIBUTE_COLUMNS and field.name not in table_schema.names
    ]
    return pa.schema(missing) if missing else None


def check_layout(table_schema: pa.Schema, *, directory: Path) -> None:
    """Raise ConfigError when an existing ``chunks`` table predates the current layout."""
    expected = {field.name: field.type for field in _CHUNK_FIELDS}
    missing = [name for name in expected if name not in table_schema.names]
    changed = [
        name
        for name, type_ in expected.items()
        if name in table_schema.names and table_schema.field(name).type != type_
    ]
    if missing or changed:
        details = ", ".join([*(f"missing {n}" for n in missing), *(f"old {n}" for n in changed)])
        raise ConfigError(
            f"the index in {directory} was written by an older Ridgeline ({details}): "
            "re-create the index (delete the directory, or use a new one) and ingest again"
        )
