"""Small self-made documents and chunks for the retrieval tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from retrieval.lancedb import LanceDbIndex
from ridgeline.types import Chunk, ChunkKind, ImageAsset, SourceDocument, citation_for
from tests.fakes import HashingEmbedder

ChunkSpec = tuple[str, dict[str, object]]  # (content, extra Chunk fields)


def make_document(document_id: str, *, content_hash: str = "h1") -> SourceDocument:
    return SourceDocument(
        document_id=document_id,
        path=Path(f"/data/{document_id}"),
        source=document_id,
        content_hash=content_hash,
        size_bytes=123,
    )


def make_chunks(document_id: str, specs: list[ChunkSpec]) -> list[Chunk]:
    return [
        Chunk(
            chunk_id=f"{document_id}-{n}",
            document_id=document_id,
            source=document_id,
            citation=citation_for(document_id, page_number=n + 1),
            content=content,
            **extra,  # type: ignore[arg-type]
        )
        for n, (content, extra) in enumerate(specs)
    ]


IndexWriter = Callable[[str, list[ChunkSpec]], list[Chunk]]


@pytest.fixture
def index(tmp_path: Path, hashing_embedder: HashingEmbedder) -> LanceDbIndex:
    return LanceDbIndex(tmp_path / "index", dimension=hashing_embedder.dimension)


@pytest.fixture
def write(index: LanceDbIndex, hashing_embedder: HashingEmbedder) -> IndexWriter:
    """Index one document's chunks (content + extra fields), embedded by the hashing embedder."""

    def _write(document_id: str, specs: list[ChunkSpec]) -> list[Chunk]:
        chunks = make_chunks(document_id, specs)
        vectors = hashing_embedder.embed_documents([c.content for c in chunks])
        index.replace_document(make_document(document_id), chunks, vectors)
        return chunks

    return _write


@pytest.fixture
def catalog(write: IndexWriter) -> list[Chunk]:
    """Four products and one handbook page."""
    product = {"kind": ChunkKind.CATALOG}
    chunks = write(
        "products.csv",
        [
            (
                "Trail running shoes with a grippy sole",
                {**product, "category": "shoes", "price": 120.0},
            ),
            ("Road running shoes, light and fast", {**product, "category": "shoes", "price": 80.0}),
            ("Waterproof hiking jacket", {**product, "category": "jackets", "price": 200.0}),
            (
                "Wool running socks",
                {
                    **product,
                    "category": "socks",
                    "price": 15.5,
                    "images": (ImageAsset(path="img/socks.png", ocr_text="WOOL"),),
                },
            ),
        ],
    )
    return chunks + write("handbook.pdf", [("Running form: keep your cadence high", {})])
