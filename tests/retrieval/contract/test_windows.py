"""Contract: sentence windows grow into the same passages over every backend (their neighbours
are fetched by id through the SearchIndex protocol)."""

from __future__ import annotations

import pytest

from retrieval.retriever import HybridRetriever
from retrieval.windows import PassageRetriever
from ridgeline.errors import ConfigError
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.settings import RetrievalMode
from tests.fakes import HashingEmbedder
from tests.retrieval.contract.conftest import NewIndex
from tests.retrieval.windows_corpus import PAGE_1, PAGE_2, write_manual

pytestmark = pytest.mark.integration


def _passages(index: object, *, chunking: str = "sentence-window") -> PassageRetriever:
    inner = HybridRetriever(index=index, embedder=HashingEmbedder(dimension=64))  # type: ignore[arg-type]
    return PassageRetriever(
        inner,
        index=index,  # type: ignore[arg-type]
        chunking=chunking,  # type: ignore[arg-type]
        tokenizer=TiktokenTokenizer(),
        passage_tokens=200,
        window_tokens=10,
    )


@pytest.mark.parametrize("mode", ["text", "vectors", "hybrid"])
def test_each_page_comes_back_whole_around_the_window_found(
    make_index: NewIndex, mode: RetrievalMode
) -> None:
    index = make_index()
    write_manual(index)

    hits = _passages(index).search("wash the fly hot", mode=mode, top=2)

    by_citation = {hit.chunk.citation: hit.chunk for hit in hits}
    assert by_citation["m.pdf#page=2"].content == " ".join(PAGE_2)
    assert by_citation["m.pdf#page=2"].chunk_id.startswith("manual:w")
    if "m.pdf#page=1" in by_citation:
        assert by_citation["m.pdf#page=1"].content == " ".join(PAGE_1)


def test_passages_read_as_windows_are_refused(make_index: NewIndex) -> None:
    index = make_index()
    write_manual(index, window=False)

    with pytest.raises(ConfigError, match="holds passage chunks"):
        _passages(index).search("wash the fly hot", mode="hybrid", top=2)
