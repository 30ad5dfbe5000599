"""The fields every index backend stores for a chunk and a source document, and back.

Both backends keep the same values under the same names (LanceDB columns, Azure AI Search
fields); each adds its own key, vector and access-flag fields around them:

    >>> row = {**chunk_fields(chunk), "vector": vector}
    >>> chunk_from_fields(row) == chunk
    True
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ridgeline.attribute_fields import STORED_FIELDS, attributes_from_stored, stored_values
from ridgeline.types import Chunk, ChunkKind, ImageAsset, SourceDocument

CHUNK_FIELDS = (
    "chunk_id", "document_id", "source", "citation", "kind", "content", "page_number",
    "title", "category", "brand", "price", "images", "access_users", "access_groups",
    *STORED_FIELDS,
)  # fmt: skip


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


def is_public(chunk: Chunk) -> bool:
    """A chunk without an access list is readable by everyone."""
    return not chunk.access_users and not chunk.access_groups


def chunk_fields(chunk: Chunk) -> dict[str, Any]:
    """The :data:`CHUNK_FIELDS` of ``chunk`` as stored: plain values, images as JSON."""
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
        "images": json.dumps([image.model_dump() for image in chunk.images]),
        "access_users": list(chunk.access_users),
        "access_groups": list(chunk.access_groups),
        **stored_values(chunk.attributes),
    }


def chunk_from_fields(fields: Mapping[str, Any]) -> Chunk:
    """The chunk stored in ``fields``; an optional field that is absent or null stays unset."""
    return Chunk(
        chunk_id=fields["chunk_id"],
        document_id=fields["document_id"],
        source=fields["source"],
        citation=fields["citation"],
        content=fields["content"],
        kind=ChunkKind(fields["kind"]),
        page_number=fields.get("page_number"),
        title=fields.get("title"),
        category=fields.get("category"),
        brand=fields.get("brand"),
        price=fields.get("price"),
        images=tuple(ImageAsset(**image) for image in json.loads(fields.get("images") or "[]")),
        access_users=tuple(fields.get("access_users") or ()),
        access_groups=tuple(fields.get("access_groups") or ()),
        attributes=attributes_from_stored(fields),
    )


def document_fields(document: SourceDocument, *, chunk_count: int) -> dict[str, Any]:
    """The stored fields of a source document that has ``chunk_count`` chunks."""
    return {
        "document_id": document.document_id,
        "path": str(document.path),
        "source": document.source,
        "content_hash": document.content_hash,
        "size_bytes": document.size_bytes,
        "chunk_count": chunk_count,
    }


def document_from_fields(fields: Mapping[str, Any]) -> SourceDocument:
    return SourceDocument(
        document_id=fields["document_id"],
        path=Path(fields["path"]),
        source=fields["source"],
        content_hash=fields["content_hash"],
        size_bytes=fields["size_bytes"],
    )
