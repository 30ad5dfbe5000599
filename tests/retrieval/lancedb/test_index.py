from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import lancedb
import pyarrow as pa
import pytest
from lancedb.index import IvfPq

from retrieval.fusion import DEFAULT_RRF_K as K
from retrieval.lancedb import LanceDbIndex
from retrieval.price_check import PriceCheck
from ridgeline.errors import ConfigError, FeatureNotAvailableError
from ridgeline.protocols import FacetIndex, SearchIndex
from ridgeline.ranking import RankingQuery
from ridgeline.settings import RetrievalMode
from ridgeline.types import AccessScope, Chunk, ImageAsset, SearchFilters
from tests.fakes import HashingEmbedder
from tests.retrieval.conftest import IndexWriter, make_chunks, make_document
from tests.retrieval.searching import search

pytestmark = pytest.mark.integration


def _ids(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.chunk.chunk_id for h in hits]


def test_is_a_search_index_and_touches_no_disk_until_used(tmp_path: Path) -> None:
    index = LanceDbIndex(tmp_path / "idx", dimension=8)
    assert isinstance(index, SearchIndex) and isinstance(index, FacetIndex)
    assert not (tmp_path / "idx").exists()


def test_text_search_ranks_by_bm25_with_english_stemming(
    index: LanceDbIndex, catalog: list[Chunk]
) -> None:
    hits = search(index, text="WATERPROOF jacket", vector=None, mode="text", top=5)
    assert _ids(hits) == ["products.csv-2"]
    assert hits[0].text_rank == 1 and hits[0].vector_rank is None and hits[0].score > 0
    # Stemming: "run" matches "running" (three products and the handbook), "jackets" "jacket".
    assert len(search(index, text="run", vector=None, mode="text", top=5)) == 4
    jackets = search(index, text="jackets", vector=None, mode="text", top=5)
    assert _ids(jackets) == ["products.csv-2"]


def test_text_search_keeps_stop_words(index: LanceDbIndex, write: IndexWriter) -> None:
    write("a.txt", [("the who", {}), ("a band", {})])
    assert _ids(search(index, text="the", vector=None, mode="text", top=5)) == ["a.txt-0"]


def test_chunks_round_trip_with_all_fields(index: LanceDbIndex, catalog: list[Chunk]) -> None:
    hits = search(index, text="wool socks", vector=None, mode="text", top=1)
    assert hits[0].chunk == catalog[3]


def test_vector_search_scores_are_cosine_similarities(
    index: LanceDbIndex, catalog: list[Chunk], hashing_embedder: HashingEmbedder
) -> None:
    vector = hashing_embedder.embed_query(catalog[2].content)
    hits = search(index, text="", vector=vector, mode="vectors", top=3)
    assert hits[0].chunk.chunk_id == catalog[2].chunk_id
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert hits[0].vector_rank == 1 and hits[0].text_rank is None
    assert [h.vector_rank for h in hits] == [1, 2, 3]
    assert hits[0].score > hits[1].score >= hits[2].score


def test_hybrid_search_fuses_both_rankings(
    index: LanceDbIndex, catalog: list[Chunk], hashing_embedder: HashingEmbedder
) -> None:
    text = "running shoes"
    vector = hashing_embedder.embed_query(text)
    hits = search(index, text=text, vector=vector, mode="hybrid", top=3)
    assert len(hits) == 3
    assert all(h.text_rank is not None and h.vector_rank is not None for h in hits)
    assert hits[0].score == pytest.approx(
        1 / (K + hits[0].text_rank) + 1 / (K + hits[0].vector_rank)
    )


def test_vector_rankings_need_a_vector_of_the_right_size(
    index: LanceDbIndex, catalog: list[Chunk]
) -> None:
    with pytest.raises(ValueError, match="needs a query vector"):
        RankingQuery(field="vector", top=3)
    with pytest.raises(ValueError, match="expects 64"):
        index.rank([RankingQuery(field="vector", vector=[1.0, 0.0], top=3)])


_SHOES = {"products.csv-0", "products.csv-1"}


@pytest.mark.parametrize(
    ("filters", "matching_running", "matching_all"),
    [
        (SearchFilters(include_category="shoes"), _SHOES, _SHOES),
        (
            SearchFilters(exclude_category="shoes"),  # un-categorised chunks stay
            {"products.csv-3", "handbook.pdf-0"},
            {"products.csv-2", "products.csv-3", "handbook.pdf-0"},
        ),
        (
            SearchFilters(min_price=15.5, max_price=100),
            {"products.csv-1", "products.csv-3"},
            {"products.csv-1", "products.csv-3"},
        ),
        (SearchFilters(include_category="shoes' OR '1'='1"), set(), set()),
        (  # a category named in a question: other categories go, documents stay
            SearchFilters(include_category="shoes", keep_unlabelled=True),
            _SHOES | {"handbook.pdf-0"},
            _SHOES | {"handbook.pdf-0"},
        ),
    ],
)
@pytest.mark.parametrize("mode", ["text", "vectors", "hybrid"])
def test_filters_apply_in_every_mode(
    index: LanceDbIndex,
    catalog: list[Chunk],
    hashing_embedder: HashingEmbedder,
    filters: SearchFilters,
    matching_running: set[str],
    matching_all: set[str],
    mode: RetrievalMode,
) -> None:
    vector = hashing_embedder.embed_query("running")
    hits = search(index, text="running", vector=vector, mode=mode, top=10, filters=filters)
    # BM25 returns only chunks with the word; vectors rank every chunk the filter lets through.
    expected = matching_running if mode == "text" else matching_all
    assert set(_ids(hits)) == expected


def test_filter_is_a_prefilter_not_a_cut_of_the_top_results(
    index: LanceDbIndex, write: IndexWriter
) -> None:
    write("many.csv", [(f"widget number {n}", {"category": "common"}) for n in range(30)])
    write("rare.csv", [("widget widget widget rare", {"category": "rare"})])
    hits = search(
        index,
        text="number",
        vector=None,
        mode="text",
        top=1,
        filters=SearchFilters(include_category="rare"),
    )
    assert hits == []
    hits = search(
        index,
        text="widget",
        vector=None,
        mode="text",
        top=1,
        filters=SearchFilters(include_category="rare"),
    )
    assert _ids(hits) == ["rare.csv-0"]


def _priced_widgets(index: LanceDbIndex, embedder: HashingEmbedder) -> None:
    """80 widgets; the 5 cheap ones have the longest texts, so they rank last for "widget"."""
    specs = [(f"widget {'x ' * n}".strip(), {"price": 500.0 + n}) for n in range(75)]
    specs += [(f"widget {'y ' * (80 + n)}".strip(), {"price": 10.0 + n}) for n in range(5)]
    chunks = make_chunks("widgets.csv", specs)
    vectors = embedder.embed_documents([c.content for c in chunks])
    index.replace_document(make_document("widgets.csv"), chunks, vectors)


@pytest.mark.parametrize("overfetch", [1, 2, 100])
@pytest.mark.parametrize("mode", ["text", "vectors", "hybrid"])
def test_a_price_range_checked_after_the_ranking_gives_the_prefiltered_rows(
    tmp_path: Path, hashing_embedder: HashingEmbedder, overfetch: int, mode: RetrievalMode
) -> None:
    # 1 and 2: none of the 50 rows fetched (the least fetched) is cheap, so each ranking runs
    # again with the range inside the query; 100: the 400 rows fetched hold all 80.
    index = LanceDbIndex(tmp_path / "i", dimension=hashing_embedder.dimension)
    # vector_min_rows=0: check after the vector rankings too, small as this index is.
    check = PriceCheck(overfetch=overfetch, vector_min_rows=0)
    _priced_widgets(index, hashing_embedder)
    vector = hashing_embedder.embed_query("widget")

    hits = search(
        index,
        text="widget",
        vector=vector,
        mode=mode,
        top=4,
        filters=SearchFilters(max_price=100.0),
        price_check=check,
    )

    assert len(hits) == 4
    assert all(h.chunk.price is not None and h.chunk.price <= 100.0 for h in hits)
    if mode != "hybrid":  # one ranking: its own order with the dearer rows taken out
        everything = search(index, text="widget", vector=vector, mode=mode, top=80)
        cheap_in_order = [h.chunk.chunk_id for h in everything if h.chunk.price <= 100.0]
        assert _ids(hits) == cheap_in_order[:4]


def test_a_price_range_never_widens_the_access_filter(
    index: LanceDbIndex, write: IndexWriter
) -> None:
    write("open.csv", [(f"lamp {n}", {"price": 20.0 + n}) for n in range(3)])
    write("secret.csv", [("lamp lamp lamp", {"price": 5.0, "access_users": ("ceo",)})])
    scope = SearchFilters(max_price=50.0, access=AccessScope(user_id="intern"))

    hits = search(index, text="lamp", vector=None, mode="text", top=10, filters=scope)

    assert sorted(_ids(hits)) == ["open.csv-0", "open.csv-1", "open.csv-2"]


def test_rows_written_after_the_fts_index_are_found(
    index: LanceDbIndex, write: IndexWriter
) -> None:
    write("first.txt", [("alpha", {})])
    write("second.txt", [("bravo", {})])  # a later commit, not yet folded into the FTS index
    assert _ids(search(index, text="bravo", vector=None, mode="text", top=3)) == ["second.txt-0"]


def test_unindexed_rows_are_folded_into_the_index_past_the_threshold(
    tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    index = LanceDbIndex(tmp_path, dimension=hashing_embedder.dimension, refresh_rows=3)
    chunks = make_chunks("a.txt", [("one", {}), ("two", {}), ("three", {})])
    index.replace_document(
        make_document("a.txt"), chunks, hashing_embedder.embed_documents(["1", "2", "3"])
    )
    table = index._tables.get().chunks  # white-box: the index statistics are the behaviour
    stats = table.index_stats("search_text_idx")
    assert stats is not None and (stats.num_indexed_rows, stats.num_unindexed_rows) == (3, 0)
    assert _ids(search(index, text="two", vector=None, mode="text", top=3)) == ["a.txt-1"]


def test_small_files_are_compacted_past_the_threshold(
    tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    index = LanceDbIndex(tmp_path, dimension=hashing_embedder.dimension, max_small_files=3)
    for name in ("a.txt", "b.txt", "c.txt"):
        chunks = make_chunks(name, [(name, {})])
        index.replace_document(
            make_document(name), chunks, hashing_embedder.embed_documents([name])
        )
    stats = index._tables.get().chunks.stats()  # white-box: the file count is the behaviour
    assert stats["fragment_stats"]["num_fragments"] == 1
    assert index.count_chunks() == 3


def test_replace_document_leaves_no_stale_chunks(index: LanceDbIndex, write: IndexWriter) -> None:
    write("doc.txt", [("old apple", {}), ("old banana", {}), ("old cherry", {})])
    write("other.txt", [("old other", {})])
    write("doc.txt", [("new apple", {})])
    assert index.count_chunks() == 2
    assert _ids(search(index, text="old", vector=None, mode="text", top=10)) == ["other.txt-0"]
    assert _ids(search(index, text="new", vector=None, mode="text", top=10)) == ["doc.txt-0"]


def test_replace_document_upserts_the_document_row(
    index: LanceDbIndex, hashing_embedder: HashingEmbedder
) -> None:
    chunks = make_chunks("d.txt", [("x", {})])
    vectors = hashing_embedder.embed_documents(["x"])
    index.replace_document(make_document("d.txt", content_hash="h1"), chunks, vectors)
    index.replace_document(make_document("d.txt", content_hash="h2"), chunks, vectors)
    assert index.list_documents() == [make_document("d.txt", content_hash="h2")]
    assert index.get_document("d.txt") == make_document("d.txt", content_hash="h2")
    assert index.get_document("missing") is None


def test_replace_with_no_chunks_empties_the_document(
    index: LanceDbIndex, write: IndexWriter
) -> None:
    write("doc.txt", [("apple", {})])
    index.replace_document(make_document("doc.txt"), [], [])
    assert index.count_chunks() == 0
    assert index.get_document("doc.txt") is not None


def test_ids_with_quotes_neither_break_nor_inject(index: LanceDbIndex, write: IndexWriter) -> None:
    write("o'brien.txt", [("irish", {})])
    write("x' OR '1'='1", [("sneaky", {})])
    write("back\\slash.txt", [("slashy", {})])
    assert index.get_document("o'brien.txt") == make_document("o'brien.txt")
    index.delete_document("x' OR '1'='1")
    assert sorted(d.document_id for d in index.list_documents()) == [
        "back\\slash.txt",
        "o'brien.txt",
    ]
    assert index.count_chunks() == 2
    index.delete_document("back\\slash.txt")
    assert [d.document_id for d in index.list_documents()] == ["o'brien.txt"]


def test_bad_input_is_rejected_before_anything_is_written(
    index: LanceDbIndex, write: IndexWriter, hashing_embedder: HashingEmbedder
) -> None:
    write("keep.txt", [("keep", {})])
    doc = make_document("bad.txt")
    chunks = make_chunks("bad.txt", [("a", {}), ("b", {})])
    with pytest.raises(ValueError, match="2 chunks but 1 vectors"):
        index.replace_document(doc, chunks, [[0.0] * 64])
    with pytest.raises(ValueError, match=r"'bad\.txt-1': vector has 3 values"):
        index.replace_document(doc, chunks, [[0.0] * 64, [1.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match=r"belongs to document 'keep\.txt'"):
        index.replace_document(doc, make_chunks("keep.txt", [("z", {})]), [[0.0] * 64])
    assert index.count_chunks() == 1 and index.get_document("bad.txt") is None


def test_delete_document_removes_its_chunks_and_row(
    index: LanceDbIndex, catalog: list[Chunk]
) -> None:
    index.delete_document("products.csv")
    assert index.count_chunks() == 1
    assert [d.document_id for d in index.list_documents()] == ["handbook.pdf"]
    assert search(index, text="shoes", vector=None, mode="text", top=5) == []


def test_reopened_index_sees_the_data(
    tmp_path: Path, index: LanceDbIndex, catalog: list[Chunk]
) -> None:
    reopened = LanceDbIndex(tmp_path / "index", dimension=64)
    assert reopened.count_chunks() == len(catalog)
    assert _ids(search(reopened, text="jacket", vector=None, mode="text", top=1)) == [
        "products.csv-2"
    ]


def test_a_second_index_object_reads_while_another_writes(
    tmp_path: Path, index: LanceDbIndex, write: IndexWriter
) -> None:
    reader = LanceDbIndex(tmp_path / "index", dimension=64)
    write("a.txt", [("first words", {})])
    assert reader.count_chunks() == 1
    write("b.txt", [("second words", {})])
    assert _ids(search(reader, text="second", vector=None, mode="text", top=5)) == ["b.txt-0"]
    assert reader.count_chunks() == 2


def test_dimension_mismatch_is_a_clear_config_error(
    tmp_path: Path, index: LanceDbIndex, catalog: list[Chunk]
) -> None:
    with pytest.raises(ConfigError, match="64-dimensional vectors but 384 were configured"):
        LanceDbIndex(tmp_path / "index", dimension=384).count_chunks()


def test_non_positive_dimension_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="dimension"):
        LanceDbIndex(tmp_path, dimension=0)


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "content:running", "(running", "running AND", "OR", "*", "\\", "😀", "a" * 500],
)
def test_weird_query_strings_do_not_crash(
    index: LanceDbIndex, catalog: list[Chunk], query: str, hashing_embedder: HashingEmbedder
) -> None:
    vector = hashing_embedder.embed_query("running")  # "*" alone would embed to a zero vector
    assert isinstance(search(index, text=query, vector=None, mode="text", top=3), list)
    assert len(search(index, text=query, vector=vector, mode="hybrid", top=3)) == 3


def test_query_syntax_is_treated_as_words(index: LanceDbIndex, catalog: list[Chunk]) -> None:
    hits = search(index, text='"waterproof', vector=None, mode="text", top=3)
    assert _ids(hits) == ["products.csv-2"]


@pytest.mark.parametrize("text", ["", "   \t", "?!:()"])
def test_empty_text_query_returns_nothing(
    index: LanceDbIndex, catalog: list[Chunk], text: str
) -> None:
    assert search(index, text=text, vector=None, mode="text", top=3) == []


def test_ann_index_is_built_past_the_threshold_and_still_finds_exact_matches(
    tmp_path: Path,
) -> None:
    embedder = HashingEmbedder(dimension=16)
    index = LanceDbIndex(tmp_path, dimension=16, ann_min_rows=300)
    texts = [f"item {n} tag{n % 37} group{n % 11}" for n in range(400)]
    chunks = make_chunks("big.csv", [(t, {}) for t in texts])
    index.replace_document(make_document("big.csv"), chunks, embedder.embed_documents(texts))
    assert any("vector" in i.columns for i in index._tables.get().chunks.list_indices())
    hits = search(index, text="", vector=embedder.embed_query(texts[123]), mode="vectors", top=3)
    assert hits[0].chunk.content == texts[123]


def test_an_ivf_pq_index_from_an_older_version_is_still_searched(tmp_path: Path) -> None:
    embedder = HashingEmbedder(dimension=16)
    index = LanceDbIndex(tmp_path, dimension=16)
    texts = [f"item {n} tag{n % 37} group{n % 11}" for n in range(400)]
    chunks = make_chunks("big.csv", [(t, {}) for t in texts])
    index.replace_document(make_document("big.csv"), chunks, embedder.embed_documents(texts))
    config = IvfPq(distance_type="cosine", num_partitions=2, num_sub_vectors=4)
    index._tables.get().chunks.create_index("vector", config=config)
    vector = embedder.embed_query(texts[123])
    for mode in ("vectors", "hybrid"):
        hits = search(index, text="item 123", vector=vector, mode=mode, top=3)  # type: ignore[arg-type]
        assert hits[0].chunk.content == texts[123], mode


# -- image vectors ---------------------------------------------------------------------------


def _image_index(tmp_path: Path, embedder: HashingEmbedder) -> tuple[LanceDbIndex, list[Chunk]]:
    """Three chunks; the first two carry 4-d image vectors pointing along different axes."""
    index = LanceDbIndex(tmp_path / "img", dimension=embedder.dimension, image_dimension=4)
    chunks = make_chunks("cat.csv", [("red tent", {}), ("blue boot", {}), ("plain text", {})])
    images = [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], None]
    vectors = embedder.embed_documents([c.content for c in chunks])
    index.replace_document(make_document("cat.csv"), chunks, vectors, image_vectors=images)
    return index, chunks


def test_image_only_search_ranks_by_the_image_vector(
    tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    index, _ = _image_index(tmp_path, hashing_embedder)
    hits = search(
        index, text="", vector=None, mode="vectors", top=5, image_vector=[0.1, 0.9, 0.0, 0.0]
    )
    assert _ids(hits) == ["cat.csv-1", "cat.csv-0"]  # the chunk without an image is not ranked
    assert hits[0].image_rank == 1 and hits[0].vector_rank is None
    assert hits[0].score == pytest.approx(0.9 / (0.82**0.5), abs=1e-5)


def test_image_vector_joins_the_hybrid_fusion(
    tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    index, _ = _image_index(tmp_path, hashing_embedder)
    vector = hashing_embedder.embed_query("red tent")
    hits = search(
        index,
        text="red tent",
        vector=vector,
        mode="hybrid",
        top=3,
        image_vector=[0.0, 1.0, 0.0, 0.0],
    )
    by_id = {h.chunk.chunk_id: h for h in hits}
    assert by_id["cat.csv-1"].image_rank == 1 and by_id["cat.csv-0"].image_rank == 2
    assert by_id["cat.csv-0"].score == pytest.approx(1 / (K + 1) + 1 / (K + 1) + 1 / (K + 2))
    assert hits[0].chunk.chunk_id == "cat.csv-0"


def test_an_index_without_image_vectors_refuses_image_queries(
    index: LanceDbIndex, catalog: list[Chunk]
) -> None:
    with pytest.raises(FeatureNotAvailableError, match="holds no image vectors"):
        search(index, text="x", mode="vectors", top=3, image_vector=[1.0, 0.0])


def test_the_first_image_vectors_add_the_column_to_an_existing_index(
    tmp_path: Path, index: LanceDbIndex, catalog: list[Chunk]
) -> None:
    assert index.image_dimension is None
    chunks = make_chunks("pic.png", [("a photo", {})])
    index.replace_document(make_document("pic.png"), chunks, [[0.1] * 64], image_vectors=[[0, 1]])
    assert index.image_dimension == 2
    hits = search(index, text="", vector=None, mode="vectors", top=5, image_vector=[0.0, 1.0])
    assert _ids(hits) == ["pic.png-0"]  # older chunks have null image vectors, never ranked
    reader = LanceDbIndex(tmp_path / "index", dimension=64)
    assert reader.image_dimension == 2 and reader.count_chunks() == len(catalog) + 1


def test_image_vector_of_the_wrong_width_is_rejected_naming_the_chunk(
    tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    index, chunks = _image_index(tmp_path, hashing_embedder)
    with pytest.raises(ValueError, match=r"'cat\.csv-0': image vector has 2 values"):
        index.replace_document(
            make_document("cat.csv"), chunks[:1], [[0.1] * 64], image_vectors=[[1.0, 0.0]]
        )
    assert index.count_chunks() == 3


def test_image_dimension_mismatch_is_a_config_error(
    tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    _image_index(tmp_path, hashing_embedder)
    with pytest.raises(ConfigError, match="4-dimensional image vectors but 8"):
        LanceDbIndex(tmp_path / "img", dimension=64, image_dimension=8).count_chunks()
    # Without an image embedder configured the index still reads its text side.
    assert LanceDbIndex(tmp_path / "img", dimension=64).count_chunks() == 3


# -- paging, scores, facets, brand -------------------------------------------------------------


@pytest.mark.parametrize("mode", ["text", "vectors", "hybrid"])
def test_skip_pages_through_the_same_ranking(
    index: LanceDbIndex, catalog: list[Chunk], hashing_embedder: HashingEmbedder, mode: str
) -> None:
    vector = hashing_embedder.embed_query("running shoes")
    query = {"text": "running shoes", "vector": vector, "mode": mode}
    whole = _ids(search(index, **query, top=4))  # type: ignore[arg-type]
    pages = _ids(search(index, **query, top=2)) + _ids(search(index, **query, top=2, skip=2))  # type: ignore[arg-type]
    assert pages == whole and len(whole) >= 3


def test_min_score_drops_weaker_hits(
    index: LanceDbIndex, catalog: list[Chunk], hashing_embedder: HashingEmbedder
) -> None:
    vector = hashing_embedder.embed_query(catalog[2].content)
    hits = search(index, text="", vector=vector, mode="vectors", top=5, min_score=0.99)
    assert _ids(hits) == [catalog[2].chunk_id]


def test_bad_paging_arguments_are_rejected(index: LanceDbIndex) -> None:
    with pytest.raises(ValueError, match="skip"):
        search(index, text="x", vector=None, mode="text", top=3, skip=-1)
    with pytest.raises(ValueError, match="top"):
        search(index, text="x", vector=None, mode="text", top=0)


def test_facets_count_values_under_the_filters(index: LanceDbIndex, write: IndexWriter) -> None:
    write(
        "p.csv",
        [
            ("a", {"category": "shoes", "brand": "Acme", "price": 10.0}),
            ("b", {"category": "shoes", "brand": "Zed", "price": 90.0}),
            ("c", {"category": "tents", "brand": "Acme", "price": 300.0}),
            ("d", {}),
        ],
    )
    assert index.facets("category") == {"shoes": 2, "tents": 1}
    assert index.facets("brand", filters=SearchFilters(max_price=100)) == {"Acme": 1, "Zed": 1}
    with pytest.raises(ValueError, match="category, brand"):
        index.facets("price")


def test_brand_filter_applies_inside_the_query(index: LanceDbIndex, write: IndexWriter) -> None:
    write("p.csv", [("tent one", {"brand": "Acme"}), ("tent two", {"brand": "O'Neil"})])
    hits = search(
        index, text="tent", vector=None, mode="text", top=1, filters=SearchFilters(brand="O'Neil")
    )
    assert _ids(hits) == ["p.csv-1"]


def test_access_lists_and_images_round_trip(index: LanceDbIndex, write: IndexWriter) -> None:
    spec = {
        "access_users": ("ann",),
        "access_groups": ("staff", "o'hara"),
        "images": (ImageAsset(path="a.png", caption="c", context="ctx", figure_name="f1.png"),),
    }
    [chunk] = write("secret.pdf", [("private words", spec)])
    hits = search(index, text="private", vector=None, mode="text", top=1)
    assert hits[0].chunk == chunk


# -- layout and maintenance --------------------------------------------------------------------


def test_an_index_in_the_old_layout_asks_to_be_re_created(tmp_path: Path) -> None:
    old_image = pa.struct([pa.field("path", pa.string()), pa.field("ocr_text", pa.string())])
    old_schema = pa.schema(
        [
            pa.field("chunk_id", pa.string()),
            pa.field("content", pa.string()),
            pa.field("images", pa.list_(old_image)),
            pa.field("vector", pa.list_(pa.float32(), 4)),
        ]
    )
    lancedb.connect(tmp_path).create_table("chunks", schema=old_schema)
    with pytest.raises(ConfigError, match="re-create the index"):
        LanceDbIndex(tmp_path, dimension=4).count_chunks()


def test_optimize_keeps_recent_versions_and_readers_keep_reading(
    tmp_path: Path, index: LanceDbIndex, write: IndexWriter
) -> None:
    for n in range(5):
        write(f"d{n}.txt", [(f"word{n} shared", {})])
    reader = LanceDbIndex(tmp_path / "index", dimension=64)
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                assert len(search(reader, text="shared", vector=None, mode="text", top=10)) == 5
            except BaseException as error:  # reported by the main thread
                errors.append(error)
                return

    thread = threading.Thread(target=read)
    thread.start()
    versions = len(index._tables.get().chunks.list_versions())  # white-box: versions are the point
    index.optimize(cleanup_older_than=timedelta(0))
    index.optimize(cleanup_older_than=timedelta(0))
    done.set()
    thread.join()
    assert errors == []
    assert len(index._tables.get().chunks.list_versions()) > versions  # nothing recent was deleted
