"""Test doubles for the chat package, implementing the kernel protocols."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ridgeline.ranking import RankingField
from ridgeline.settings import RetrievalMode
from ridgeline.types import (
    Answer,
    ChatMessage,
    Chunk,
    ChunkKind,
    ImageAsset,
    SearchFilters,
    SearchHit,
)


def make_hit(
    citation: str,
    content: str,
    *,
    kind: ChunkKind = ChunkKind.TEXT,
    score: float = 1.0,
    category: str | None = None,
    title: str | None = None,
    images: tuple[str, ...] = (),
    access_users: tuple[str, ...] = (),
) -> SearchHit:
    source = citation.split("#", 1)[0]
    chunk = Chunk(
        chunk_id=f"{citation}-chunk",
        document_id=source,
        source=source,
        citation=citation,
        content=content,
        kind=kind,
        category=category,
        title=title,
        images=tuple(ImageAsset(path=path) for path in images),
        access_users=access_users,
    )
    return SearchHit(chunk=chunk, score=score)


def priced_record(
    number: int, name: str, price: float, category: str, prose: str = ""
) -> SearchHit:
    """A catalog row as ingestion stores it: name, category and price fields, then its prose."""
    content = f"{name}\nCategory: {category}\nPrice: ${price:.2f}" + (f"\n{prose}" if prose else "")
    hit = make_hit(
        f"products.csv#id={number}", content, kind=ChunkKind.CATALOG, category=category, title=name
    )
    return hit.model_copy(update={"chunk": hit.chunk.model_copy(update={"price": price})})


@dataclass
class SearchCall:
    text: str
    mode: RetrievalMode
    top: int
    filters: SearchFilters | None
    image_bytes: bytes | None = None
    weights: dict[RankingField, float] | None = None


@dataclass
class FakeRetriever:
    """Returns its hits in order, honouring ``top``, the category and price filters; records each
    call."""

    hits: list[SearchHit]
    calls: list[SearchCall] = field(default_factory=list)

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
        # The query image is read now: the service removes its temporary file afterwards.
        image_bytes = image.read_bytes() if image is not None else None
        self.calls.append(
            SearchCall(
                text=text,
                mode=mode,
                top=top,
                filters=filters,
                image_bytes=image_bytes,
                weights=dict(weights) if weights else None,
            )
        )
        return [hit for hit in self.hits if _passes(hit, filters)][skip : skip + top]


def _passes(hit: SearchHit, filters: SearchFilters | None) -> bool:
    if filters is None:
        return True
    category, price = hit.chunk.category, hit.chunk.price
    if filters.include_category is not None and category != filters.include_category:
        return False
    # Unpriced hits (documents) pass: only a catalog price can be out of range here.
    if price is not None and filters.max_price is not None and price > filters.max_price:
        return False
    if price is not None and filters.min_price is not None and price < filters.min_price:
        return False
    return filters.exclude_category is None or category != filters.exclude_category


@dataclass
class ScriptedChatModel:
    """A ChatModel that answers with a fixed text and records what it was given."""

    text: str
    name: str = "scripted"
    received: list[tuple[list[ChatMessage], list[SearchHit]]] = field(default_factory=list)

    def answer(self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]) -> Answer:
        self.received.append((list(messages), list(sources)))
        return Answer(text=self.text, model=self.name, prompt_tokens=42, completion_tokens=7)


@dataclass
class FailingChatModel:
    """A ChatModel that raises ``error`` (by default one the way a bug would, with a detail)."""

    error: Exception = field(default_factory=lambda: RuntimeError("secret internal detail"))
    name: str = "failing"

    def answer(self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]) -> Answer:
        raise self.error
