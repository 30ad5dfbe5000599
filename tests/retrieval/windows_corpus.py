"""A manual cut into sentence windows, as the splitter writes them: four windows on page 1,
two on page 2, ids numbered through the document (shared by the unit and contract tests)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ridgeline.chunk_ids import chunk_id
from ridgeline.protocols import SearchIndex
from ridgeline.types import Chunk, SourceDocument
from tests.fakes import HashingEmbedder

PAGE_1 = [
    "Stake the four corners first.",
    "Raise the two poles next.",
    "Clip the inner tent to the poles.",
    "Throw the fly over the frame.",
]
PAGE_2 = ["Dry the fly before storage.", "Never wash the fly hot."]
MANUAL = SourceDocument(
    document_id="manual", path=Path("/d/m.pdf"), source="m.pdf", content_hash="h", size_bytes=1
)


def window_chunks(
    *, window: bool = True, pages: Sequence[tuple[int, Sequence[str]]] = ((1, PAGE_1), (2, PAGE_2))
) -> list[Chunk]:
    texts = [(page, text) for page, texts in pages for text in texts]
    return [
        Chunk(
            chunk_id=chunk_id(MANUAL.document_id, n, window=window),
            document_id=MANUAL.document_id,
            source="m.pdf",
            citation=f"m.pdf#page={page}",
            page_number=page,
            content=text,
        )
        for n, (page, text) in enumerate(texts)
    ]


def write_manual(index: SearchIndex, *, window: bool = True, dimension: int = 64) -> None:
    write_windows(index, window_chunks(window=window), dimension=dimension)


def write_windows(index: SearchIndex, chunks: Sequence[Chunk], *, dimension: int = 64) -> None:
    """``chunks`` as the manual's whole content."""
    vectors = HashingEmbedder(dimension=dimension).embed_documents([c.content for c in chunks])
    index.replace_document(MANUAL, chunks, vectors)
