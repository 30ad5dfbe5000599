"""The small contracts subsystems talk through. Any object with these methods plugs in.

Components follow one shape: ``__init__`` takes configuration only, heavy models load on first
use, and one typed method does the work.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Protocol, runtime_checkable

from ridgeline.ranking import RankedChunk, RankingField, RankingQuery
from ridgeline.settings import RetrievalMode
from ridgeline.types import (
    Answer,
    ChatMessage,
    Chunk,
    NewDocument,
    Page,
    SearchFilters,
    SearchHit,
    SourceDocument,
)


@runtime_checkable
class Tokenizer(Protocol):
    def encode(self, text: str) -> list[int]: ...

    def decode(self, tokens: Sequence[int]) -> str: ...

    def count(self, text: str) -> int: ...


@runtime_checkable
class TextEmbedder(Protocol):
    """Turns text into unit-length vectors of a fixed dimension."""

    name: str

    @property
    def dimension(self) -> int: ...

    @property
    def max_input_tokens(self) -> int: ...

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


@runtime_checkable
class OcrEngine(Protocol):
    def read_text(self, image_path: Path) -> str: ...


@runtime_checkable
class ImageEmbedder(Protocol):
    """Turns images into unit-length vectors.

    ``text_aligned`` says whether ``embed_text`` puts text in the same space (CLIP, Azure AI
    Vision); a visual-similarity embedder is not, and raises FeatureNotAvailableError there.
    """

    name: str
    text_aligned: bool

    @property
    def dimension(self) -> int: ...

    def embed_images(self, image_paths: Sequence[Path]) -> list[list[float]]: ...

    def embed_text(self, text: str) -> list[float]: ...


@runtime_checkable
class Captioner(Protocol):
    """Describes an image in a short factual sentence or two, using its source context."""

    name: str

    def caption(self, image_path: Path, *, context: str = "", ocr_text: str = "") -> str: ...


@runtime_checkable
class Parser(Protocol):
    """Turns one file into pages. Raises ``IngestionError`` subclasses on bad input."""

    def parse(self, path: Path, *, source: str) -> Iterator[Page]: ...


@runtime_checkable
class SearchIndex(Protocol):
    """A store of chunks that ranks them; the retriever fuses the rankings.

    A backend is done when it passes ``tests/retrieval/contract/``. Rankings must apply every
    filter inside the query (access lists above all), and ``rank`` may run its queries at once.
    """

    def get_document(self, document_id: str) -> SourceDocument | None: ...

    def replace_document(
        self,
        document: SourceDocument,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        *,
        image_vectors: Sequence[Sequence[float] | None] | None = None,
    ) -> None:
        """Swap the document's chunks; ``image_vectors[i]`` belongs to ``chunks[i]``."""
        ...

    def delete_document(self, document_id: str) -> None: ...

    def list_documents(self) -> list[SourceDocument]: ...

    def count_chunks(self) -> int: ...

    def rank(self, queries: Sequence[RankingQuery]) -> list[list[RankedChunk]]:
        """Each query's ranking, best first, in the order of ``queries``.

        A text ranking whose text holds no searchable word is empty; an image ranking over an
        index without image vectors raises FeatureNotAvailableError.
        """
        ...

    def fetch(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        """The records of the chunks still present, by id (deleted ones are left out)."""
        ...


@runtime_checkable
class FacetIndex(Protocol):
    """An index that counts the values of a facetable field (``category``, ``brand``)."""

    def facets(self, field: str, *, filters: SearchFilters | None = None) -> dict[str, int]:
        """How many chunks the filters let through hold each value, most first."""
        ...


@runtime_checkable
class BulkLoadingIndex(Protocol):
    """An index that can add many new documents in few commits (LanceDbIndex can)."""

    def bulk_load(
        self, documents: Iterable[NewDocument], *, batch_rows: int = 100_000, fold_in: bool = True
    ) -> int:
        """Add documents the index does not hold yet; refuses one it holds (ValueError)."""
        ...


class StagedWrite(Protocol):
    """Rows of new documents written where they were made, waiting for the writer's commit."""

    @property
    def document_ids(self) -> tuple[str, ...]: ...


class Stager(Protocol):
    """Writes new documents' rows without committing them; runs on any worker that reaches
    the index's storage (picklable)."""

    def stage(self, documents: Sequence[NewDocument]) -> StagedWrite: ...


@runtime_checkable
class StagingIndex(Protocol):
    """An index whose new documents can be written by workers and committed by its one writer
    (LanceDbIndex can, with pylance; see ``retrieval/lancedb/staged.py``)."""

    def stager(self) -> Stager | None:
        """What workers stage with; None when they cannot here (a missing library, a
        credential that cannot travel): the writer then writes everything itself."""
        ...

    def commit_staged(self, staged: StagedWrite) -> int:
        """Commit what a stager wrote; refuses a document the index holds (ValueError)."""
        ...


@runtime_checkable
class OptimizableIndex(Protocol):
    """An index that compacts its own files after writes; a hosted service does that itself."""

    def optimize(self, *, cleanup_older_than: timedelta = timedelta(days=7)) -> None: ...


@runtime_checkable
class RebuildableTextIndex(Protocol):
    """An index that builds its full-text index itself; a hosted service analyses text its way."""

    def text_index_is_current(self) -> bool:
        """Whether the full-text index analyses text the way this version does."""
        ...

    def rebuild_text_index(self) -> None: ...


@runtime_checkable
class ImageDimensionIndex(Protocol):
    """An index that reads its image-vector width back; others only know the configured one."""

    @property
    def image_dimension(self) -> int | None:
        """The width of the stored image vectors (None: the index holds none yet)."""
        ...


@runtime_checkable
class ChatModel(Protocol):
    """Writes an answer to the last user message from the given sources."""

    name: str

    def answer(self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]) -> Answer: ...


@runtime_checkable
class Retriever(Protocol):
    """Finds the chunks that best match a query (embedding the query itself when needed)."""

    def search(
        self,
        text: str,
        *,
        mode: RetrievalMode,
        top: int,
        filters: SearchFilters | None = None,
        image: Path | None = None,
        skip: int = 0,
        weights: Mapping[RankingField, float] | None = None,
    ) -> list[SearchHit]:
        """``image``: a query image; it adds an image-vector query (and its text, if any).
        ``weights``: each ranking's weight in the fusion (None: all 1.0)."""
        ...
