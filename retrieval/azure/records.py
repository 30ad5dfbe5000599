"""Ridgeline records -> Azure AI Search documents (read back with :mod:`retrieval.stored_fields`).

Document keys may only hold letters, digits, ``_``, ``-`` and ``=``, so chunk and document ids
are stored under their URL-safe base64 encoding in ``id``, and verbatim in their own fields.
"""

from __future__ import annotations

import base64
from typing import Any

from retrieval.azure.schema import IMAGE_VECTOR, SEARCH_TEXT, TEXT_VECTOR
from retrieval.stored_fields import chunk_fields, document_fields, is_public
from ridgeline.types import Chunk, SourceDocument, bm25_text


def encode_key(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode("utf-8")).decode("ascii")


def chunk_to_document(
    chunk: Chunk,
    vector: list[float],
    image_vector: list[float] | None,
    *,
    bm25_titles: bool = False,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": encode_key(chunk.chunk_id),
        **chunk_fields(chunk),
        "is_public": is_public(chunk),
        SEARCH_TEXT: bm25_text(chunk, titles=bm25_titles),
        TEXT_VECTOR: vector,
    }
    if image_vector is not None:
        document[IMAGE_VECTOR] = image_vector
    return document


def source_to_document(source: SourceDocument, *, chunk_count: int) -> dict[str, Any]:
    fields = document_fields(source, chunk_count=chunk_count)
    return {"id": encode_key(source.document_id), **fields}
