"""Contract: text, vector and image rankings under filters, as the retriever asks for them."""

from __future__ import annotations

import pytest

from ridgeline.errors import FeatureNotAvailableError
from ridgeline.protocols import SearchIndex
from ridgeline.ranking import RankingField, RankingQuery
from ridgeline.types import AccessScope, Chunk, SearchFilters
from tests.fakes import HashingEmbedder, admits
from tests.retrieval.contract.conftest import NewIndex
from tests.retrieval.contract.corpus import (
    document,
    manual_chunks,
    product_chunks,
    write_corpus,
)

pytestmark = pytest.mark.integration

ALL = {c.chunk_id: c for c in product_chunks() + manual_chunks()}


def _one(index: SearchIndex, query: RankingQuery) -> list[str]:
    [ranking] = index.rank([query])
    return [entry.chunk_id for entry in ranking]


def test_a_text_ranking_is_bm25_over_the_words(corpus_index: SearchIndex) -> None:
    [ranking] = corpus_index.rank([RankingQuery(field="text", text="waterproof fly", top=10)])
    ids = [e.chunk_id for e in ranking]
    # Both words beat one word; chunks without either word are not ranked.
    assert ids[:2] == ["products.csv-0", "manual.pdf-1"] or ids[:2] == [
        "manual.pdf-1",
        "products.csv-0",
    ]
    assert set(ids) == {"products.csv-0", "manual.pdf-1", "products.csv-2"}
    assert ranking[0].score >= ranking[1].score > ranking[2].score > 0
    assert ranking[0].citation == ALL[ranking[0].chunk_id].citation


@pytest.mark.parametrize("text", ["", "   ", "?!:()", '"unbalanced (quote AND'])
def test_text_without_searchable_words_ranks_nothing_or_only_its_words(
    corpus_index: SearchIndex, text: str
) -> None:
    ids = _one(corpus_index, RankingQuery(field="text", text=text, top=5))
    assert ids == [] or set(ids) <= set(ALL)


def test_a_vector_ranking_scores_cosine_similarity(
    corpus_index: SearchIndex, embedder: HashingEmbedder
) -> None:
    vector = embedder.embed_query(ALL["products.csv-4"].content)
    [ranking] = corpus_index.rank(
        [RankingQuery(field="vector", vector=vector, top=3, exact_scores=True)]
    )
    assert ranking[0].chunk_id == "products.csv-4"
    assert ranking[0].score == pytest.approx(1.0, abs=1e-4)
    assert ranking[0].price == 15.5
    assert 1.0 > ranking[1].score >= ranking[2].score


def test_an_image_ranking_covers_the_chunks_with_image_vectors_only(
    corpus_index: SearchIndex,
) -> None:
    [ranking] = corpus_index.rank([RankingQuery(field="image", vector=[0.0, 1.0, 0.0], top=10)])
    assert [e.chunk_id for e in ranking] == ["products.csv-4", "products.csv-1", "products.csv-0"]
    assert [round(e.score, 4) for e in ranking] == [1.0, 0.6, 0.0]


def test_an_index_without_image_vectors_refuses_an_image_ranking(
    make_index: NewIndex, embedder: HashingEmbedder
) -> None:
    index = make_index(image_dimension=None)
    pages = manual_chunks()
    index.replace_document(
        document("manual.pdf"), pages, embedder.embed_documents([c.content for c in pages])
    )
    with pytest.raises(FeatureNotAvailableError):
        index.rank([RankingQuery(field="image", vector=[0.0, 1.0, 0.0], top=3)])


def test_a_vector_of_the_wrong_width_is_refused(corpus_index: SearchIndex) -> None:
    with pytest.raises(ValueError, match="values"):
        corpus_index.rank([RankingQuery(field="vector", vector=[1.0, 0.0], top=3)])


def test_rankings_come_back_in_the_order_asked(
    corpus_index: SearchIndex, embedder: HashingEmbedder
) -> None:
    text = RankingQuery(field="text", text="socks", top=2)
    vector = RankingQuery(field="vector", vector=embedder.embed_query("socks"), top=2)
    image = RankingQuery(field="image", vector=[1.0, 0.0, 0.0], top=1)
    rankings = corpus_index.rank([image, text, vector])
    assert [len(r) for r in rankings] == [1, 1, 2]
    assert rankings[0][0].chunk_id == "products.csv-0"
    assert rankings[1][0].chunk_id == "products.csv-4"


FILTERS = {
    "category": SearchFilters(include_category="tents"),
    "category or unlabelled": SearchFilters(include_category="tents", keep_unlabelled=True),
    "not a category": SearchFilters(exclude_category="tents"),
    "brand": SearchFilters(brand="Contoso"),
    "price range": SearchFilters(min_price=100.0, max_price=190.0),
    "quotes": SearchFilters(include_category="tents' OR '1'='1"),
    "anonymous": SearchFilters(access=AccessScope()),
    "ann": SearchFilters(access=AccessScope(user_id="ann")),
    "staff": SearchFilters(access=AccessScope(user_id="bob", group_ids=("staff",))),
    "category, price and access": SearchFilters(
        include_category="tents", max_price=200.0, access=AccessScope(user_id="ann")
    ),
}


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize("field", ["text", "vector", "image"])
def test_filters_apply_inside_every_ranking(
    corpus_index: SearchIndex, embedder: HashingEmbedder, name: str, field: RankingField
) -> None:
    filters = FILTERS[name]
    words = "trails tent waterproof camping"
    vector = embedder.embed_query(words) if field == "vector" else [0.5, 0.5, 0.5]
    query = RankingQuery(field=field, text=words, vector=vector, top=20, filters=filters)
    allowed = {cid for cid, chunk in ALL.items() if admits(filters, chunk)}
    if field == "text":
        allowed = {cid for cid in allowed if set(words.split()) & set(_words(ALL[cid].content))}
    if field == "image":
        allowed &= {"products.csv-0", "products.csv-1", "products.csv-4"}
    assert set(_one(corpus_index, query)) == allowed


def _words(text: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()


def test_a_filter_is_applied_before_the_top_is_cut(corpus_index: SearchIndex) -> None:
    only_socks = SearchFilters(include_category="socks")
    query = RankingQuery(field="text", text="trails tent", top=1, filters=only_socks)
    assert _one(corpus_index, query) == ["products.csv-4"]


@pytest.mark.parametrize("titles", [True, False])
def test_bm25_reads_the_section_path_when_asked_and_quotes_keep_the_content_alone(
    make_index: NewIndex, embedder: HashingEmbedder, titles: bool
) -> None:
    # The question names the section ("care", "sleeping bag"); the body never does.
    body = "Air it out after each trip and store it loose in a cotton sack."
    section = Chunk(
        chunk_id="bag.md-0",
        document_id="bag.md",
        source="bag.md",
        citation="bag.md",
        content=body,
        title="Sleeping Bag Manual > Care and Cleaning",
    )
    index = make_index(bm25_titles=titles)
    write_corpus(index, embedder)
    index.replace_document(document("bag.md"), [section], embedder.embed_documents([body]))
    [ranking] = index.rank([RankingQuery(field="text", text="sleeping bag care", top=3)])
    found = [entry.chunk_id for entry in ranking]
    # With titles it comes before "Care of waterproof fabric"; without, BM25 cannot see it.
    assert found[0] == "bag.md-0" if titles else "bag.md-0" not in found
    assert index.fetch(["bag.md-0"])["bag.md-0"].content == body  # quotes show no title
