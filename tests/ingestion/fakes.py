"""In-memory test doubles for the ingestion tests (they implement kernel protocols)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

from ridgeline.settings import RetrievalMode
from ridgeline.types import Chunk, SearchFilters, SearchHit, SourceDocument
from tests.fakes import HashingEmbedder

_WORD = re.compile(r"\w+")


class InMemoryIndex:
    """A dict-backed SearchIndex: enough search to check what was written, and a write log."""

    def __init__(self) -> None:
        self.documents: dict[str, SourceDocument] = {}
        self.chunks: dict[str, list[Chunk]] = {}
        self.vectors: dict[str, list[list[float]]] = {}
        self.image_vectors: dict[str, list[list[float] | None] | None] = {}
        self.writes: list[str] = []  # document ids, one per replace_document call

    def get_document(self, document_id: str) -> SourceDocument | None:
        return self.documents.get(document_id)

    def replace_document(
        self,
        document: SourceDocument,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        *,
        image_vectors: Sequence[Sequence[float] | None] | None = None,
    ) -> None:
        if len(chunks) != len(vectors):
            raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
        if image_vectors is not None and len(image_vectors) != len(chunks):
            raise ValueError(f"{len(chunks)} chunks but {len(image_vectors)} image vectors")
        self.documents[document.document_id] = document
        self.chunks[document.document_id] = list(chunks)
        self.vectors[document.document_id] = [list(v) for v in vectors]
        self.image_vectors[document.document_id] = (
            None
            if image_vectors is None
            else [None if v is None else list(v) for v in image_vectors]
        )
        self.writes.append(document.document_id)

    def delete_document(self, document_id: str) -> None:
        self.documents.pop(document_id, None)
        self.chunks.pop(document_id, None)
        self.vectors.pop(document_id, None)

    def list_documents(self) -> list[SourceDocument]:
        return sorted(self.documents.values(), key=lambda d: d.source)

    def count_chunks(self) -> int:
        return sum(len(chunks) for chunks in self.chunks.values())

    def all_chunks(self) -> list[Chunk]:
        return [chunk for chunks in self.chunks.values() for chunk in chunks]

    def search(
        self,
        *,
        text: str,
        vector: Sequence[float] | None,
        mode: RetrievalMode,
        top: int,
        filters: SearchFilters | None = None,
        image_vector: Sequence[float] | None = None,
        skip: int = 0,
    ) -> list[SearchHit]:
        """Scores by shared words (text) or dot product (vectors); filters are not supported."""
        if filters is not None:
            raise NotImplementedError("InMemoryIndex does not filter")
        words = set(_WORD.findall(text.lower()))
        scored = []
        for doc_id, chunks in self.chunks.items():
            for chunk, chunk_vector in zip(chunks, self.vectors[doc_id], strict=True):
                if mode == "text" or vector is None:
                    score = float(len(words & set(_WORD.findall(chunk.content.lower()))))
                else:
                    score = math.fsum(a * b for a, b in zip(vector, chunk_vector, strict=True))
                scored.append(SearchHit(chunk=chunk, score=score))
        scored.sort(key=lambda hit: hit.score, reverse=True)
        return scored[skip : skip + top]


class FixedOcr:
    """An OcrEngine that 'reads' a fixed text and remembers which images it was shown."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: list[Path] = []

    def read_text(self, image_path: Path) -> str:
        self.seen.append(image_path)
        return self.text


class RecordingProgress:
    """An IngestProgress that records what it was told."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.results: list[str] = []

    def on_start(self, total: int) -> None:
        self.total = total

    def on_file(self, result: object) -> None:
        self.results.append(getattr(result, "source", "?"))


class CountingCaptioner:
    """A Captioner that writes what it was given into the caption and counts its calls."""

    name = "counting-test-captioner"

    def __init__(self) -> None:
        self.calls: list[Path] = []

    def caption(self, image_path: Path, *, context: str = "", ocr_text: str = "") -> str:
        self.calls.append(image_path)
        return f"A picture of {image_path.stem} ({context}; text: {ocr_text})"


class MeanColourImageEmbedder:
    """An ImageEmbedder (not text-aligned) whose vector is the image's mean RGB, normalised."""

    name = "mean-colour-test-embedder"
    text_aligned = False

    def __init__(self) -> None:
        self.calls: list[list[Path]] = []

    @property
    def dimension(self) -> int:
        return 3

    def embed_images(self, image_paths: Sequence[Path]) -> list[list[float]]:
        from PIL import Image, ImageStat

        self.calls.append(list(image_paths))
        vectors = []
        for path in image_paths:
            with Image.open(path) as image:
                mean = ImageStat.Stat(image.convert("RGB")).mean
            norm = math.sqrt(sum(v * v for v in mean)) or 1.0
            vectors.append([v / norm for v in mean])
        return vectors

    def embed_text(self, text: str) -> list[float]:
        from ridgeline.errors import FeatureNotAvailableError

        raise FeatureNotAvailableError("mean-colour vectors are not text-aligned")


class RecordingEmbedder(HashingEmbedder):
    """The hashing embedder, recording every text it embeds and the size of each call."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.calls: list[int] = []

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.texts.extend(texts)
        self.calls.append(len(texts))
        return super().embed_documents(texts)
