"""A benefits booklet cut as the splitter cuts it: a list's lead-in ends one chunk and its items
fill the next, which repeats the first chunk's last words (the overlap). Shared by the unit and
contract tests of :mod:`retrieval.list_tails`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ridgeline.chunk_ids import chunk_id
from ridgeline.protocols import SearchIndex
from ridgeline.types import Chunk, SourceDocument
from tests.fakes import HashingEmbedder

BOOKLET = SourceDocument(
    document_id="booklet", path=Path("/d/b.pdf"), source="b.pdf", content_hash="h", size_bytes=1
)
LEAD = (
    "Hospital stays are covered after the deductible.\n"
    "Here are a few tips to make the most of your hospital\n"
    "coverage:\n"
    "• Check that the hospital is in-network. If it is\n"
    "out-of-network, you pay more."
)
ITEMS = (
    "If it is\n"
    "out-of-network, you pay more.\n"
    "• Ask about copayments before any\n"
    "service.\n"
    "• Keep your bills.\n"
    "By following these tips you save money.\n"
    "Emergency rooms are covered too."
)
REST = "\n• Ask about copayments before any\nservice.\n• Keep your bills."


def booklet_chunks(
    second: str = ITEMS, *, second_page: int = 35, **second_fields: object
) -> list[Chunk]:
    """The lead-in's chunk and the one after it (``second_fields`` change the second)."""
    first = _chunk(0, LEAD, page=35)
    return [first, _chunk(1, second, page=second_page).model_copy(update=second_fields)]


def write_booklet(index: SearchIndex, chunks: Sequence[Chunk], *, dimension: int = 64) -> None:
    vectors = HashingEmbedder(dimension=dimension).embed_documents([c.content for c in chunks])
    index.replace_document(BOOKLET, chunks, vectors)


def _chunk(ordinal: int, content: str, *, page: int) -> Chunk:
    return Chunk(
        chunk_id=chunk_id(BOOKLET.document_id, ordinal),
        document_id=BOOKLET.document_id,
        source="b.pdf",
        citation=f"b.pdf#page={page}",
        page_number=page,
        content=content,
    )
