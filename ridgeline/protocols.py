"""The small contracts subsystems talk through. Any object with these methods plugs in.

Components follow one shape: ``__init__`` takes configuration only, heavy models load on first
use, and one typed method does the work.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from ridgeline.settings import RetrievalMode
from ridgeline.types import (
    Answer,
    ChatMessage,
    Chunk,
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
class Parser(Protocol):
    """Turns one file into pages. Raises ``IngestionError`` subclasses on bad input."""

    def parse(self, path: Path, *, source: str) -> Iterator[Page]: ...


@runtime_checkable
class SearchIndex(Protocol):
    """A store of chunks with full-text and vector search."""

    def get_document(self, document_id: str) -> SourceDocument | None: ...

    def replace_document(
        self, document: SourceDocument, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]
    ) -> None: ...

    def delete_document(self, document_id: str) -> None: ...

    def list_documents(self) -> list[SourceDocument]: ...

    def count_chunks(self) -> int: ...

    def search(
        self,
        *,
        text: str,
        vector: Sequence[float] | None,
        mode: RetrievalMode,
        top: int,
        filters: SearchFilters | None = None,
    ) -> list[SearchHit]: ...


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
    ) -> list[SearchHit]: ...
