"""Ridgeline records <-> Azure AI Search documents.

Document keys may only hold letters, digits, ``_``, ``-`` and ``=``, so chunk and document ids
are stored under their URL-safe base64 encoding in ``id``, and verbatim in their own fields.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from retrieval.azure.schema import IMAGE_VECTOR, TEXT_VECTOR
from ridgeline.types import Chunk, ChunkKind, ImageAsset, SourceDocument

CHUNK_FIELDS = [
    "chunk_id", "document_id", "source", "citation", "kind", "content", "page_number",
    "title", "category", "brand", "price", "images", "access_users", "access_groups",
]  # fmt: skip


def encode_key(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode("utf-8")).decode("ascii")


def checked_vector(vector: Sequence[float], *, dimension: int, what: str) -> list[float]:
    if len(vector) != dimension:
        raise ValueError(f"{what}: vector has {len(vector)} values, the index expects {dimension}")
    values = [float(v) for v in vector]
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"{what}: vector contains NaN or infinite values")
    return values


def chunk_to_document(
    chunk: Chunk, vector: list[float], image_vector: list[float] | None
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": encode_key(chunk.chunk_id),
        **{name: getattr(chunk, name) for name in CHUNK_FIELDS},
        "kind": chunk.kind.value,
        "images": json.dumps([image.model_dump() for image in chunk.images]),
        "access_users": list(chunk.access_users),
        "access_groups": list(chunk.access_groups),
        "is_public": not chunk.access_users and not chunk.access_groups,
        TEXT_VECTOR: vector,
    }
    if image_vector is not None:
        document[IMAGE_VECTOR] = image_vector
    return document


def document_to_chunk(document: dict[str, Any]) -> Chunk:
    return Chunk(
        chunk_id=document["chunk_id"],
        document_id=document["document_id"],
        source=document["source"],
        citation=document["citation"],
        content=document["content"],
        kind=ChunkKind(document["kind"]),
        page_number=document.get("page_number"),
        title=document.get("title"),
        category=document.get("category"),
        brand=document.get("brand"),
        price=document.get("price"),
        images=tuple(ImageAsset(**image) for image in json.loads(document.get("images") or "[]")),
        access_users=tuple(document.get("access_users") or ()),
        access_groups=tuple(document.get("access_groups") or ()),
    )


def source_to_document(source: SourceDocument, *, chunk_count: int) -> dict[str, Any]:
    return {
        "id": encode_key(source.document_id),
        "document_id": source.document_id,
        "path": str(source.path),
        "source": source.source,
        "content_hash": source.content_hash,
        "size_bytes": source.size_bytes,
        "chunk_count": chunk_count,
    }


def document_to_source(document: dict[str, Any]) -> SourceDocument:
    return SourceDocument(
        document_id=document["document_id"],
        path=Path(document["path"]),
        source=document["source"],
        content_hash=document["content_hash"],
        size_bytes=document["size_bytes"],
    )
