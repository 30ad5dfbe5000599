"""Conversion between Ridgeline records and rows of the embedded index's tables."""

from __future__ import annotations

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


def chunk_to_row(chunk: Chunk, vector: Sequence[float], *, dimension: int) -> dict[str, Any]:
    """A ``chunks`` row; rejects a vector of the wrong width or with NaN/inf values."""
    if len(vector) != dimension:
        raise ValueError(
            f"chunk {chunk.chunk_id!r}: vector has {len(vector)} values, the index expects "
            f"{dimension}"
        )
    if not all(math.isfinite(v) for v in vector):
        raise ValueError(f"chunk {chunk.chunk_id!r}: vector contains NaN or infinite values")
    return {
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
        "images": [image.model_dump() for image in chunk.images],
        "vector": [float(v) for v in vector],
    }


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
        images=tuple(ImageAsset(**image) for image in row["images"] or ()),
    )
