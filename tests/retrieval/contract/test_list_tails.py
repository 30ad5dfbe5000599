"""Contract: a passage that ends inside a list gets the list's rest from the next chunk over
every backend (the next chunk is fetched by id through the SearchIndex protocol)."""

from __future__ import annotations

import pytest

from retrieval.retriever import HybridRetriever
from retrieval.windows import PassageRetriever
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.settings import RetrievalMode
from tests.fakes import HashingEmbedder
from tests.retrieval.contract.conftest import NewIndex
from tests.retrieval.list_corpus import LEAD, REST, booklet_chunks, write_booklet

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("mode", ["text", "vectors", "hybrid"])
def test_a_lead_in_found_comes_back_with_the_items_of_the_next_chunk(
    make_index: NewIndex, mode: RetrievalMode
) -> None:
    index = make_index()
    write_booklet(index, booklet_chunks(second_page=36, citation="b.pdf#page=36"))
    inner = HybridRetriever(index=index, embedder=HashingEmbedder(dimension=64))
    retriever = PassageRetriever(
        inner, index=index, chunking="passage", tokenizer=TiktokenTokenizer(), passage_tokens=200
    )

    hits = retriever.search("tips hospital coverage deductible", mode=mode, top=2)

    by_id = {hit.chunk.chunk_id: hit.chunk for hit in hits}
    assert by_id["booklet:00000"].content == LEAD + "\n[Page 36]" + REST
    assert by_id["booklet:00000"].citation == "b.pdf#page=35"
