"""Contract: chat's one hit per place, over each backend. A place is a page of a paged file and a
section of a file without pages (``ridgeline.places``), so a manual's sections can all be sources
while no page or section fills the list twice."""

from __future__ import annotations

import pytest

from retrieval.retriever import HybridRetriever
from ridgeline.protocols import SearchIndex
from ridgeline.ranking import RankingQuery
from ridgeline.settings import RetrievalMode
from ridgeline.types import Chunk
from tests.fakes import HashingEmbedder
from tests.retrieval.contract.conftest import NewIndex
from tests.retrieval.contract.corpus import document

pytestmark = pytest.mark.integration

MODES: list[RetrievalMode] = ["text", "vectors", "hybrid"]
CARE, STORAGE = "Sleeping Bag > Care and Cleaning", "Sleeping Bag > Storage"
# (file, page, section title, text): a Markdown manual of three sections, the first in two
# chunks, and a PDF whose first page holds two chunks.
_CHUNKS = [
    ("bag.md", None, CARE, "Wash the sleeping bag by hand in cool water."),
    ("bag.md", None, CARE, "Dry the sleeping bag flat and never tumble the sleeping bag hot."),
    ("bag.md", None, STORAGE, "Store the sleeping bag loose, never in its stuff sack."),
    ("bag.md", None, "Sleeping Bag > Warranty", "The warranty covers the zipper for two years."),
    ("guide.pdf", 1, "Guide", "A sleeping bag rated to minus five suits spring trips."),
    ("guide.pdf", 1, "Guide", "Air the sleeping bag every morning on longer trips."),
    ("guide.pdf", 2, "Guide", "Pack the sleeping bag at the bottom of the pack."),
]


def _chunks(source: str) -> list[Chunk]:
    return [
        Chunk(
            chunk_id=f"{source}-{n}",
            document_id=source,
            source=source,
            citation=source if page is None else f"{source}#page={page}",
            content=text,
            page_number=page,
            title=title,
        )
        for n, (name, page, title, text) in enumerate(_CHUNKS)
        if name == source
    ]


@pytest.fixture
def manuals(make_index: NewIndex, embedder: HashingEmbedder) -> SearchIndex:
    index = make_index()
    for source in ("bag.md", "guide.pdf"):
        chunks = _chunks(source)
        vectors = embedder.embed_documents([c.content for c in chunks])
        index.replace_document(document(source), chunks, vectors)
    return index


def test_rankings_carry_each_chunks_page_and_title(manuals: SearchIndex) -> None:
    [ranking] = manuals.rank([RankingQuery(field="text", text="sleeping bag", top=10)])
    written = {c.chunk_id: c for c in _chunks("bag.md") + _chunks("guide.pdf")}
    assert len(ranking) == 6
    for entry in ranking:
        assert (entry.page_number, entry.title) == (
            written[entry.chunk_id].page_number,
            written[entry.chunk_id].title,
        )


@pytest.mark.parametrize("mode", MODES)
def test_two_sections_of_one_manual_reach_the_sources_each_once(
    manuals: SearchIndex, embedder: HashingEmbedder, mode: RetrievalMode
) -> None:
    retriever = HybridRetriever(index=manuals, embedder=embedder, distinct_pages=True)
    hits = retriever.search("sleeping bag care", mode=mode, top=10)
    places = [(hit.chunk.citation, hit.chunk.title) for hit in hits]
    assert len(places) == len(set(places))  # no section, no page twice
    assert {("bag.md", CARE), ("bag.md", STORAGE)} <= set(places)
    # Pages behave as before: one hit per page, whatever the chunks' titles.
    pages = [c for c, _ in places if c.startswith("guide.pdf")]
    assert sorted(pages) == ["guide.pdf#page=1", "guide.pdf#page=2"]
