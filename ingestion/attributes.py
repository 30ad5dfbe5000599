"""The ingestion step that reads each catalog record's typed attributes once.

A long record is cut into several chunks, and a fact ("It packs to 1.1 kg") lies in one of
them only; retrieval may find another. So the facts are read from the whole record (its parsed
text, which renders every catalog field as ``Column: value``) and every chunk of the record
carries the same :class:`~ridgeline.attribute_fields.RecordAttributes`.

    chunks = with_record_attributes(pages, chunks)
    chunks[1].attributes.number("weight_kg")   # 1.1, though chunk 1 does not say it
"""

from __future__ import annotations

from collections.abc import Sequence

from ingestion.splitter import citation_for_page
from ridgeline.attribute_fields import RecordAttributes, record_attributes
from ridgeline.types import Chunk, ChunkKind, Page


def with_record_attributes(pages: Sequence[Page], chunks: Sequence[Chunk]) -> list[Chunk]:
    """``chunks`` with their record's attributes set; chunks that are not records unchanged."""
    # A catalog record is one page, cited by its own id (products.csv#id=7), so the citation
    # names the record every chunk of it came from.
    by_record: dict[str, RecordAttributes] = {
        citation_for_page(page): record_attributes(page.text)
        for page in pages
        if page.kind is ChunkKind.CATALOG
    }
    return [
        chunk.model_copy(update={"attributes": by_record[chunk.citation]})
        if chunk.kind is ChunkKind.CATALOG and chunk.citation in by_record
        else chunk
        for chunk in chunks
    ]
