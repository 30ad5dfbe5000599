"""Conversion between Ridgeline records and rows of the embedded index's tables."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ridgeline.types import Chunk, ChunkKind, ImageAsset, SourceDocument


def document_to_row(
    document: SourceDocument, *, chunk_count: int, ingested_at: datetime
) -> dict[str, Any]:
    return {
        "document_id": document.document_id,
        "path": str(document.path),
        "source": document.source,
        "content_hash": document.content_hash,
        "size_bytes": document.size_bytes,
        "chunk_count": chunk_count,
        "ingested_at": ingested_at,
    }


def row_to_document(row: dict[str, Any]) -> SourceDocument:
    return SourceDocument(
        document_id=row["document_id"],
        path=Path(row["path"]),
        source=row["source"],
        content_hash=row["content_hash"],
        size_bytes=row["size_bytes"],
    )


def checked_vector(
    vector: Sequence[float], *, dimension: int, what: str, field: str = "vector"
) -> list[float]:
    """``vector`` as floats; rejects a wrong width or NaN/inf values, naming ``what``."""
    if len(vector) != dimension:
        raise ValueError(f"{what}: {field} has {len(vector)} values, the index expects {dimension}")
    values = [float(v) for v in vector]
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"{what}: {field} contains NaN or infinite values")
    return values


def chunk_to_row(
    chunk: Chunk,
    vector: Sequence[float],
    *,
    dimension: int,
    image_vector: Sequence[float] | None = None,
    image_dimension: int | None = None,
) -> dict[str, Any]:
    """A ``chunks`` row; vectors are checked for width and finiteness."""
    what = f"chunk {chunk.chunk_id!r}"
    row = {
        "chunk_id": chunk.chunk_id,
        "document_id": chunk.document_id,
        "source": chunk.source,
        "citation": chunk.citation,
        "kind": chunk.kind.value,
        "content": chunk.content,
        "page_number": chunk.page_number,
        "title": chunk.title,
        "category": chunk.category,
        "brand": chunk.brand,
        "price": chunk.price,
        "extra": "{}",  # Chunk carries no other catalog fields yet
        "access_users": list(chunk.access_users),
        "access_groups": list(chunk.access_groups),
        "access_public": not chunk.access_users and not chunk.access_groups,
        "images": json.dumps([image.model_dump() for image in chunk.images]),
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


def row_to_chunk(row: dict[str, Any]) -> Chunk:
    return Chunk(
        chunk_id=row["chunk_id"],
        document_id=row["document_id"],
        source=row["source"],
        citation=row["citation"],
        content=row["content"],
        kind=ChunkKind(row["kind"]),
        page_number=row["page_number"],
        title=row["title"],
        category=row["category"],
        brand=row["brand"],
        price=row["price"],
        images=tuple(ImageAsset(**image) for image in json.loads(row["images"] or "[]")),
        access_users=tuple(row["access_users"] or ()),
        access_groups=tuple(row["access_groups"] or ()),
    )
