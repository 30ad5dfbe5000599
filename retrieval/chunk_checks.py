"""Checks every index backend runs on a document's chunks before writing anything."""

from __future__ import annotations

from collections.abc import Sequence

from ridgeline.types import Chunk, SourceDocument


def check_document_chunks(
    document: SourceDocument,
    chunks: Sequence[Chunk],
    vectors: Sequence[Sequence[float]],
    image_vectors: Sequence[Sequence[float] | None] | None,
) -> None:
    """Raise ValueError unless the chunks, their vectors and their document agree."""
    name = document.document_id
    if len(chunks) != len(vectors):
        raise ValueError(f"document {name!r}: {len(chunks)} chunks but {len(vectors)} vectors")
    if image_vectors is not None and len(image_vectors) != len(chunks):
        raise ValueError(
            f"document {name!r}: {len(chunks)} chunks but {len(image_vectors)} image vectors"
        )
    seen: set[str] = set()
    for chunk in chunks:
        if chunk.document_id != name:
            raise ValueError(
                f"chunk {chunk.chunk_id!r} belongs to document {chunk.document_id!r}, not {name!r}"
            )
        if chunk.chunk_id in seen:
            raise ValueError(f"document {name!r}: duplicate chunk {chunk.chunk_id!r}")
        seen.add(chunk.chunk_id)
