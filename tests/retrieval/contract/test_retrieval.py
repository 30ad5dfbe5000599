"""Contract: the retriever over each backend (hybrid fusion, paging, minimum score, price check
after ranking, facets, vocabulary) gives what the rankings promise."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.fusion import DEFAULT_RRF_K as K
from retrieval.fusion import fuse
from retrieval.price_check import PriceCheck
from retrieval.query.spelling import VocabularySource
from retrieval.retriever import HybridRetriever
from ridgeline.errors import FeatureNotAvailableError
from ridgeline.protocols import FacetIndex, SearchIndex
from ridgeline.ranking import RankingField, RankingQuery
from ridgeline.settings import RetrievalMode
from ridgeline.types import AccessScope, SearchFilters
from tests.fakes import FixedImageEmbedder, HashingEmbedder

pytestmark = pytest.mark.integration

MODES: list[RetrievalMode] = ["text", "vectors", "hybrid"]


def _retriever(index: SearchIndex, **options: object) -> HybridRetriever:
    """The bare fusion path: every query word ranked, no grouping by page (chat's are on)."""
    plain: dict[str, object] = {"drop_stop_words": False, "distinct_pages": False}
    return HybridRetriever(
        index=index,
        embedder=HashingEmbedder(dimension=64),
        **(plain | options),  # type: ignore[arg-type]  # options are keyword arguments of it
    )


def _ids(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [hit.chunk.chunk_id for hit in hits]


def test_hybrid_fuses_text_and_vector_ranks_by_rrf(corpus_index: SearchIndex) -> None:
    hits = _retriever(corpus_index).search("waterproof tent", mode="hybrid", top=3)
    assert len(hits) == 3
    first = hits[0]
    assert first.chunk.chunk_id == "products.csv-0"
    assert first.text_rank is not None and first.vector_rank is not None
    assert first.score == pytest.approx(1 / (K + first.text_rank) + 1 / (K + first.vector_rank))
    assert hits[0].score >= hits[1].score >= hits[2].score


def test_an_image_query_adds_the_image_ranking_to_the_fusion(
    corpus_index: SearchIndex, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"not read: the image embedder answers with a fixed vector")
    retriever = _retriever(corpus_index, image_embedder=FixedImageEmbedder([0.0, 1.0, 0.0]))
    alone = retriever.search("", mode="vectors", top=2, image=photo)
    assert _ids(alone) == ["products.csv-4", "products.csv-1"]
    assert alone[0].image_rank == 1 and alone[0].score == pytest.approx(1.0, abs=1e-4)
    fused = retriever.search("merino socks", mode="hybrid", top=1, image=photo)
    assert _ids(fused) == ["products.csv-4"]
    assert None not in (fused[0].text_rank, fused[0].vector_rank, fused[0].image_rank)


@pytest.mark.parametrize("mode", MODES)
def test_skip_pages_through_one_ranking(corpus_index: SearchIndex, mode: RetrievalMode) -> None:
    retriever = _retriever(corpus_index)
    whole = _ids(retriever.search("waterproof trails tent", mode=mode, top=4))
    pages = [retriever.search("waterproof trails tent", mode=mode, top=2, skip=s) for s in (0, 2)]
    assert _ids(pages[0]) + _ids(pages[1]) == whole and len(whole) >= 3


@pytest.mark.parametrize("mode", MODES)
def test_top_caps_the_hits_and_distinct_pages_keeps_one_per_citation(
    corpus_index: SearchIndex, mode: RetrievalMode
) -> None:
    hits = _retriever(corpus_index, distinct_pages=True).search("the", mode=mode, top=8)
    citations = [hit.chunk.citation for hit in hits]
    assert len(citations) == len(set(citations)) <= 8


def test_min_score_drops_the_weaker_hits(corpus_index: SearchIndex) -> None:
    text = "Merino socks for cold trails and long hikes"
    hits = _retriever(corpus_index).search(text, mode="vectors", top=5, min_score=0.99)
    assert _ids(hits) == ["products.csv-4"]
    assert _retriever(corpus_index).search(text, mode="vectors", top=5, min_score=1.5) == []


@pytest.mark.parametrize("mode", MODES)
def test_a_price_checked_after_ranking_gives_the_rows_the_range_inside_gives(
    corpus_index: SearchIndex, mode: RetrievalMode
) -> None:
    """A short fetch runs the ranking again with the range inside: the same hits as the range
    inside. A long one keeps the rows in range: for vectors the same hits again; for BM25 its
    own order less the rows out of range (an engine may score a prefiltered set differently)."""
    scope = SearchFilters(access=AccessScope(user_id="ann"))
    filters = scope.model_copy(update={"max_price": 190.0})
    query = "waterproof tent trails jacket"

    def ids(check: PriceCheck) -> list[str]:
        retriever = _retriever(corpus_index, price_check=check)
        return _ids(retriever.search(query, mode=mode, top=3, filters=filters))

    inside = _ranked_with_the_range_inside(corpus_index, query, mode=mode, filters=filters)
    short = ids(PriceCheck(overfetch=1, min_fetch=2, vector_min_rows=0))
    long = ids(PriceCheck(overfetch=10, vector_min_rows=0))
    assert short == inside and len(inside) == 3
    prices = [chunk.price for chunk in corpus_index.fetch(long).values()]
    assert len(prices) == 3 and all(p is not None and p <= 190.0 for p in prices)
    if mode == "vectors":
        assert long == inside
    if mode == "text":
        everything = _retriever(corpus_index).search(query, mode=mode, top=10, filters=scope)
        assert long == [h.chunk.chunk_id for h in everything if (h.chunk.price or 1e9) <= 190][:3]


def _ranked_with_the_range_inside(
    index: SearchIndex, text: str, *, mode: RetrievalMode, filters: SearchFilters
) -> list[str]:
    size = 50 if mode == "hybrid" else 3  # the retriever's candidates when it fuses
    vector = HashingEmbedder(dimension=64).embed_query(text)
    asked: dict[RankingField, RankingQuery] = {}
    if mode != "vectors":
        asked["text"] = RankingQuery(field="text", text=text, top=size, filters=filters)
    if mode != "text":
        asked["vector"] = RankingQuery(field="vector", vector=vector, top=size, filters=filters)
    rankings = dict(zip(asked, index.rank(list(asked.values())), strict=True))
    return [entry.chunk_id for entry in fuse(rankings, top=3)]


def test_facets_count_the_values_the_filters_let_through(corpus_index: SearchIndex) -> None:
    assert isinstance(corpus_index, FacetIndex)
    assert corpus_index.facets("category") == {
        "tents": 2,
        "boots": 1,
        "jackets": 1,
        "shoes": 1,
        "socks": 1,
    }
    assert corpus_index.facets("brand") == {"Contoso": 3, "Halvard": 2}
    anonymous = SearchFilters(access=AccessScope(), max_price=200.0)
    assert corpus_index.facets("brand", filters=anonymous) == {"Contoso": 1, "Halvard": 1}
    with pytest.raises(ValueError, match="price"):
        corpus_index.facets("price")


def test_spelling_is_corrected_where_the_backend_lists_its_words(
    corpus_index: SearchIndex,
) -> None:
    if not isinstance(corpus_index, VocabularySource):
        with pytest.raises(FeatureNotAvailableError, match="correct_spelling"):
            _retriever(corpus_index, correct_spelling=True)
        return
    assert "merino" in corpus_index.vocabulary()
    retriever = _retriever(corpus_index, correct_spelling=True)
    assert _ids(retriever.search("meirno sokcs", mode="text", top=1)) == ["products.csv-4"]
