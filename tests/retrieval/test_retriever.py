from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from retrieval.lancedb_index import LanceDbIndex
from retrieval.retriever import HybridRetriever
from ridgeline.protocols import Retriever, TextEmbedder
from ridgeline.types import Chunk, SearchFilters
from tests.fakes import HashingEmbedder
from tests.retrieval.conftest import make_chunks, make_document

pytestmark = pytest.mark.integration


class CountingEmbedder(HashingEmbedder):
    """The hashing embedder, counting query embeddings."""

    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return super().embed_query(text)


def _ids(hits: Sequence) -> list[str]:  # type: ignore[type-arg]
    return [h.chunk.chunk_id for h in hits]


@pytest.fixture
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture
def retriever(index: LanceDbIndex, embedder: CountingEmbedder) -> HybridRetriever:
    return HybridRetriever(index=index, embedder=embedder, candidates=10)


def test_is_a_retriever(retriever: HybridRetriever) -> None:
    assert isinstance(retriever, Retriever)


def test_text_mode_does_not_embed_the_query(
    retriever: HybridRetriever, embedder: CountingEmbedder, catalog: list[Chunk]
) -> None:
    hits = retriever.search("jacket", mode="text", top=3)
    assert _ids(hits) == ["products.csv-2"]
    assert embedder.queries == []


def test_vectors_mode_embeds_once(
    retriever: HybridRetriever, embedder: CountingEmbedder, catalog: list[Chunk]
) -> None:
    hits = retriever.search("Waterproof hiking jacket", mode="vectors", top=2)
    assert _ids(hits)[0] == "products.csv-2" and hits[0].vector_rank == 1
    assert embedder.queries == ["Waterproof hiking jacket"]


def test_hybrid_mode_matches_the_index_own_hybrid_search(
    retriever: HybridRetriever, index: LanceDbIndex, catalog: list[Chunk]
) -> None:
    hits = retriever.search("running shoes", mode="hybrid", top=4)
    vector = HashingEmbedder().embed_query("running shoes")
    same = index.search(text="running shoes", vector=vector, mode="hybrid", top=4)
    assert hits == same
    assert len(hits) == 4 and hits[0].text_rank is not None and hits[0].vector_rank is not None


def test_filters_pass_through(retriever: HybridRetriever, catalog: list[Chunk]) -> None:
    hits = retriever.search(
        "running", mode="hybrid", top=10, filters=SearchFilters(include_category="socks")
    )
    assert _ids(hits) == ["products.csv-3"]


@pytest.mark.parametrize("mode", ["text", "vectors", "hybrid"])
def test_blank_query_returns_nothing(
    retriever: HybridRetriever, embedder: CountingEmbedder, catalog: list[Chunk], mode: str
) -> None:
    assert retriever.search("  ", mode=mode, top=3) == []  # type: ignore[arg-type]
    assert embedder.queries == []


def test_bad_arguments_are_rejected(retriever: HybridRetriever) -> None:
    with pytest.raises(ValueError, match="top"):
        retriever.search("x", mode="text", top=0)
    with pytest.raises(ValueError, match="mode"):
        retriever.search("x", mode="fuzzy", top=3)  # type: ignore[arg-type]


_CORPUS = [
    "My vehicle would not turn over this freezing morning.",
    "Cold weather gear: insulated gloves and woollen hats.",
    "Quarterly sales report for the marketing department.",
    "Recipe for banana bread with walnuts and cinnamon.",
    "Guide to pruning apple trees before winter.",
]


@pytest.mark.models
def test_real_embedder_finds_a_paraphrase_that_bm25_misses(
    tmp_path: Path, real_embedder: TextEmbedder
) -> None:
    index = LanceDbIndex(tmp_path, dimension=real_embedder.dimension)
    chunks = make_chunks("notes.txt", [(text, {}) for text in _CORPUS])
    index.replace_document(
        make_document("notes.txt"), chunks, real_embedder.embed_documents(_CORPUS)
    )
    retriever = HybridRetriever(index=index, embedder=real_embedder)
    query = "car won't start in cold weather"
    paraphrase, keywords = "notes.txt-0", "notes.txt-1"

    assert _ids(retriever.search(query, mode="text", top=5)) == [keywords]
    assert _ids(retriever.search(query, mode="vectors", top=1)) == [paraphrase]
    assert set(_ids(retriever.search(query, mode="hybrid", top=2))) == {paraphrase, keywords}
