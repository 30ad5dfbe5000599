"""Domain records that travel between ingestion, retrieval, chat and evaluation.

Images are fields of pages and chunks, not side channels. Citations are strings in the
convention of the reference system: ``file.pdf#page=N``, ``products.csv#id=N``, or a bare file
name for sources without pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ridgeline.attribute_fields import WORD_FILTERS, RecordAttributes, attribute_field
from ridgeline.places import place_of


class ChunkKind(StrEnum):
    TEXT = "text"
    CATALOG = "catalog"
    IMAGE = "image"


class ImageAsset(BaseModel):
    """An image that belongs to a page or chunk; ``path`` is where its bytes are stored."""

    model_config = ConfigDict(frozen=True)

    path: str
    ocr_text: str = ""
    caption: str = ""
    # Where the image came from, in words: a figure caption, the surrounding paragraph, the
    # catalog record's fields. Feeds offline captions and the image's searchable text.
    context: str = ""
    # Set on figures cropped from a page: the figure's name, e.g. "figure3_1.png".
    figure_name: str | None = None


class SourceDocument(BaseModel):
    """One input file as the index knows it."""

    model_config = ConfigDict(frozen=True)

    document_id: str
    path: Path
    source: str  # the name used in citations, e.g. "handbook.pdf"
    content_hash: str
    size_bytes: int


class Page(BaseModel):
    """A unit of parsed content with a stable place in its source (a PDF page, a catalog row)."""

    model_config = ConfigDict(frozen=True)

    source: str
    page_number: int | None = None
    record_id: str | None = None
    text: str
    kind: ChunkKind = ChunkKind.TEXT
    title: str | None = None
    fields: dict[str, str | float | int | None] = Field(default_factory=dict)
    images: tuple[ImageAsset, ...] = ()


def citation_for(
    source: str, *, page_number: int | None = None, record_id: str | None = None
) -> str:
    """The citation string for a place in a source, as the chat protocol expects it."""
    if record_id is not None:
        return f"{source}#id={record_id}"
    if page_number is not None:
        return f"{source}#page={page_number}"
    return source


class Chunk(BaseModel):
    """A piece of a page small enough to embed and cite."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    document_id: str
    source: str
    citation: str
    content: str
    kind: ChunkKind = ChunkKind.TEXT
    page_number: int | None = None
    title: str | None = None
    category: str | None = None
    brand: str | None = None
    price: float | None = None
    images: tuple[ImageAsset, ...] = ()
    # Access lists: a chunk with both empty is visible to everyone; otherwise only to the listed
    # users and members of the listed groups.
    access_users: tuple[str, ...] = ()
    access_groups: tuple[str, ...] = ()
    # A catalog record's typed attributes, read once at ingestion and carried by each of its
    # chunks; None: never read (not a record, or an index written before attributes existed).
    attributes: RecordAttributes | None = None

    @property
    def place(self) -> str:
        """The page, record or section this chunk is in (:func:`ridgeline.places.place_of`)."""
        return place_of(self.citation, page_number=self.page_number, title=self.title)


def indexed_text(chunk: Chunk) -> str:
    """What the embedder reads for a chunk: its title (the document's title, a section's heading
    path such as "Manual > Care and Cleaning", a record's name) for context, then its content.
    Quotes and citations use ``content`` alone.
    """
    if chunk.title and not chunk.content.startswith(chunk.title):
        return f"{chunk.title}\n{chunk.content}"
    return chunk.content


def bm25_text(chunk: Chunk, *, titles: bool) -> str:
    """What the full-text index holds for a chunk: its content, or with ``titles`` the same text
    the embedder reads (title or section path first). Off by default (``RIDGELINE_BM25_TITLES``):
    on the fresh Contoso set, section names shared by every manual ("Warranty Information")
    cost more than they found (docs/benchmarks.md)."""
    return indexed_text(chunk) if titles else chunk.content


class AccessScope(BaseModel):
    """Who is asking: enforced inside the index query, never after it."""

    model_config = ConfigDict(frozen=True)

    user_id: str | None = None
    group_ids: tuple[str, ...] = ()


class AttributeRange(BaseModel):
    """Keep chunks whose attribute ``name`` (a numeric field of ``ATTRIBUTE_FIELDS``, in its
    canonical unit) lies in ``[min, max]``; a chunk without the attribute is not kept."""

    model_config = ConfigDict(frozen=True)

    name: str
    min: float | None = None
    max: float | None = None

    def model_post_init(self, __context: Any) -> None:
        if attribute_field(self.name).kind != "number":
            raise ValueError(f"{self.name!r} is not a numeric attribute")
        if self.min is None and self.max is None:
            raise ValueError(f"the range on {self.name!r} needs a min or a max")


class SearchFilters(BaseModel):
    """Constraints applied inside the index query."""

    model_config = ConfigDict(frozen=True)

    include_category: str | None = None
    exclude_category: str | None = None
    brand: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    attribute_ranges: tuple[AttributeRange, ...] = ()
    # Chunks naming this material / colour (lower case, as stored) in their record's attributes.
    material: str | None = None
    colour: str | None = None
    # True: include_category and brand also keep chunks that have no category / no brand
    # (manuals, policies), so a product type named in a question narrows the catalog rows
    # without dropping the documents about them.
    keep_unlabelled: bool = False
    # None: no access filtering (single-user mode). Set: only chunks this scope may read.
    access: AccessScope | None = None

    def word_constraints(self) -> list[tuple[str, str]]:
        """(stored words field, lower-cased word) for each word filter set: material, colour."""
        asked = ((field, getattr(self, name)) for name, field in WORD_FILTERS.items())
        return [(field, word.lower()) for field, word in asked if word is not None]


def merge_filters(*parts: SearchFilters | None) -> SearchFilters | None:
    """One SearchFilters from several; a later part's set fields win.

    A category or brand set explicitly (not ``keep_unlabelled``) makes the merged label
    filters strict: what a caller asks for by name is not widened by what the question said.
    """
    values: dict[str, object] = {}
    # Ranges on different attributes all apply; on the same attribute the later one wins.
    ranges: dict[str, AttributeRange] = {}
    for part in parts:
        if part is not None:
            given = part.model_dump(exclude_none=True, exclude_defaults=True)
            if not part.keep_unlabelled and {"include_category", "brand"} & given.keys():
                values["keep_unlabelled"] = False
            values.update(given)
            ranges.update((r.name, r) for r in part.attribute_ranges)
    if ranges:
        values["attribute_ranges"] = tuple(ranges.values())
    if "access" in values:
        values["access"] = next(p.access for p in reversed(parts) if p and p.access)
    return SearchFilters(**values) if values else None


class SearchHit(BaseModel):
    """A chunk returned by a search, with the fused score and the ranks that produced it."""

    model_config = ConfigDict(frozen=True)

    chunk: Chunk
    score: float
    text_rank: int | None = None
    vector_rank: int | None = None
    image_rank: int | None = None


class Citation(BaseModel):
    """A citation used in an answer, resolved to the source it names."""

    model_config = ConfigDict(frozen=True)

    ref: str
    source: str
    page_number: int | None = None
    record_id: str | None = None

    @classmethod
    def parse(cls, ref: str) -> Citation:
        """``"a.pdf#page=3"`` -> Citation(source="a.pdf", page_number=3)."""
        source, _, anchor = ref.partition("#")
        key, _, value = anchor.partition("=")
        if key == "page" and value.isdigit():
            return cls(ref=ref, source=source, page_number=int(value))
        if key == "id" and value:
            return cls(ref=ref, source=source, record_id=value)
        return cls(ref=ref, source=source)


class ChatMessage(BaseModel):
    """One conversation turn; ``images`` are URLs or ``data:`` URLs the user attached."""

    role: str
    content: str
    images: tuple[str, ...] = ()


class Answer(BaseModel):
    """What a chat model produced from a question and its sources."""

    text: str
    citations: list[str] = Field(default_factory=list)
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    model: str = ""


@dataclass(frozen=True)
class NewDocument:
    """A document with its chunks and their vectors, for an index's bulk load.

    ``vectors`` is a ``(len(chunks), dimension)`` array (or a sequence of vectors);
    ``image_vectors[i]`` (or None) belongs to ``chunks[i]``. A dataclass, not a pydantic model:
    it only travels between components in one process, and validating 100,000 chunks again
    would cost more than writing them.
    """

    document: SourceDocument
    chunks: Sequence[Chunk]
    vectors: Any
    image_vectors: Sequence[Sequence[float] | None] | None = None
