"""AzureSearchIndex end to end: the REAL azure-search-documents SDK inside the backend talks to the
local search service (Azure AI Search REST protocol subset) over HTTPS on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from azure.core.credentials import AzureKeyCredential

from retrieval.azure.errors import AzureSearchError
from retrieval.azure.search_index import AzureSearchIndex
from retrieval.retriever import HybridRetriever
from ridgeline.errors import ConfigError, FeatureNotAvailableError
from ridgeline.protocols import FacetIndex, SearchIndex
from ridgeline.ranking import RankingQuery
from ridgeline.types import AccessScope, ChunkKind, ImageAsset, SearchFilters
from tests.fakes import FixedImageEmbedder, HashingEmbedder
from tests.retrieval.conftest import make_chunks, make_document
from tests.retrieval.search_service.servers import RunningService, serve_search_service
from tests.retrieval.searching import search

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    with serve_search_service(Path(tmp_path_factory.mktemp("azure"))) as running:
        yield running


@pytest.fixture
def index(service: RunningService, request: pytest.FixtureRequest) -> AzureSearchIndex:
    return AzureSearchIndex(
        service.endpoint,
        index_name=request.node.name.replace("_", "-")[:40].lower(),
        credential=service.api_key,
        dimension=HashingEmbedder().dimension,
        image_dimension=3,
        connection_verify=str(service.cert_path),
    )


def _write(index: AzureSearchIndex, document_id: str, specs, *, images=None, hash_="h1"):  # type: ignore[no-untyped-def]
    chunks = make_chunks(document_id, specs)
    vectors = HashingEmbedder().embed_documents([c.content for c in chunks])
    index.replace_document(
        make_document(document_id, content_hash=hash_), chunks, vectors, image_vectors=images
    )
    return chunks


@pytest.fixture
def catalog(index: AzureSearchIndex) -> AzureSearchIndex:
    product = {"kind": ChunkKind.CATALOG}
    _write(
        index,
        "products.csv",
        [
            (
                "Trail running shoes with a grippy sole",
                {**product, "category": "shoes", "brand": "Halvard", "price": 120.0},
            ),
            (
                "Road running shoes, light and fast",
                {**product, "category": "shoes", "price": 80.0, "access_groups": ("staff",)},
            ),
            (
                "Waterproof hiking jacket",
                {**product, "category": "jackets", "price": 200.0, "access_users": ("ann",)},
            ),
            (
                "Wool running socks",
                {
                    **product,
                    "category": "socks",
                    "price": 15.5,
                    "images": (ImageAsset(path="img/socks.png", ocr_text="WOOL"),),
                },
            ),
        ],
        images=[[1.0, 0.0, 0.0], None, None, [0.0, 1.0, 0.0]],
    )
    _write(index, "handbook.pdf", [("Running form: keep your cadence high", {})])
    return index


def _ids(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.chunk.chunk_id for hit in hits]


def test_it_is_a_search_index_that_counts_facets(index: AzureSearchIndex) -> None:
    assert isinstance(index, SearchIndex) and isinstance(index, FacetIndex)


def test_vector_scores_come_back_as_cosine_similarities(catalog: AzureSearchIndex) -> None:
    """The service scores cosine as 1 / (1 + distance); the backend reports the cosine."""
    vector = HashingEmbedder().embed_query("Wool running socks")
    [ranking] = catalog.rank([RankingQuery(field="vector", vector=vector, top=2)])
    assert ranking[0].chunk_id == "products.csv-3"
    assert ranking[0].score == pytest.approx(1.0, abs=1e-6)
    assert -1.0 <= ranking[1].score < 1.0


def test_facets_are_the_service_facets_under_the_filters(catalog: AzureSearchIndex) -> None:
    assert catalog.facets("category") == {"shoes": 2, "jackets": 1, "socks": 1}
    public = SearchFilters(access=AccessScope())
    assert catalog.facets("category", filters=public) == {"shoes": 1, "socks": 1}
    assert catalog.facets("brand") == {"Halvard": 1}
    with pytest.raises(ValueError, match="facets of 'price'"):
        catalog.facets("price")


def test_fetch_reads_records_by_id_and_skips_missing_ones(catalog: AzureSearchIndex) -> None:
    found = catalog.fetch(["products.csv-3", "gone-9", "handbook.pdf-0"])
    assert sorted(found) == ["handbook.pdf-0", "products.csv-3"]
    assert found["products.csv-3"].images[0].ocr_text == "WOOL"
    assert catalog.fetch([]) == {}


def test_documents_are_recorded_and_chunks_round_trip(catalog: AzureSearchIndex) -> None:
    assert catalog.count_chunks() == 5
    assert [d.document_id for d in catalog.list_documents()] == ["handbook.pdf", "products.csv"]
    assert catalog.get_document("products.csv").content_hash == "h1"  # type: ignore[union-attr]
    assert catalog.get_document("missing.pdf") is None
    hits = search(catalog, text="socks", vector=None, mode="text", top=1)
    assert hits[0].chunk.images[0].ocr_text == "WOOL"
    assert hits[0].chunk.price == 15.5
    assert hits[0].text_rank == 1


def test_replace_document_drops_stale_chunks(catalog: AzureSearchIndex) -> None:
    _write(catalog, "handbook.pdf", [("New page one", {}), ("New page two", {})], hash_="h2")
    _write(catalog, "handbook.pdf", [("Only page", {})], hash_="h3")
    assert catalog.count_chunks() == 5
    assert catalog.get_document("handbook.pdf").content_hash == "h3"  # type: ignore[union-attr]
    assert search(catalog, text="cadence", vector=None, mode="text", top=5) == []


def test_delete_document_removes_chunks_and_record(catalog: AzureSearchIndex) -> None:
    catalog.delete_document("products.csv")
    assert catalog.count_chunks() == 1
    assert catalog.get_document("products.csv") is None


def test_search_modes(catalog: AzureSearchIndex) -> None:
    query = HashingEmbedder().embed_query("wool socks")
    assert _ids(search(catalog, text="wool socks", vector=None, mode="text", top=1)) == [
        "products.csv-3"
    ]
    vector_hits = search(catalog, text="", vector=query, mode="vectors", top=2)
    assert vector_hits[0].chunk.chunk_id == "products.csv-3"
    assert vector_hits[0].vector_rank == 1
    hybrid = search(catalog, text="running shoes", vector=query, mode="hybrid", top=5)
    assert len(hybrid) == 5
    assert set(_ids(hybrid[:3])) >= {"products.csv-0", "products.csv-1"}


def test_image_vector_query_and_skip(catalog: AzureSearchIndex) -> None:
    hits = search(catalog, text="", mode="vectors", top=2, image_vector=[0.1, 1.0, 0])
    assert _ids(hits) == ["products.csv-3", "products.csv-0"]  # chunks without image vectors: none
    assert hits[0].image_rank == 1
    page_two = search(catalog, text="running", vector=None, mode="text", top=2, skip=2)
    first_page = search(catalog, text="running", vector=None, mode="text", top=2)
    assert not set(_ids(page_two)) & set(_ids(first_page))
    assert page_two[0].text_rank == 3


def test_vectors_mode_with_only_an_image_vector_is_an_image_search(
    catalog: AzureSearchIndex,
) -> None:
    """Through the local Azure AI Search protocol server: no text vector is needed."""
    hits = search(catalog, text="", vector=None, mode="vectors", top=2, image_vector=[0.1, 1.0, 0])
    assert _ids(hits) == ["products.csv-3", "products.csv-0"]
    assert hits[0].image_rank == 1
    assert hits[0].vector_rank is None


def test_the_retriever_queries_by_image_alone_in_vectors_mode(
    catalog: AzureSearchIndex, tmp_path: Path
) -> None:
    """HybridRetriever over AzureSearchIndex and the local Azure AI Search protocol server."""
    photo = tmp_path / "query.png"
    photo.write_bytes(b"not read by the fake embedder")
    retriever = HybridRetriever(
        index=catalog,
        embedder=HashingEmbedder(),
        image_embedder=FixedImageEmbedder([0.9, 0.2, 0.0]),
    )
    hits = retriever.search("", mode="vectors", top=2, image=photo)
    assert _ids(hits) == ["products.csv-0", "products.csv-3"]
    assert hits[0].image_rank == 1


def test_typed_filters(catalog: AzureSearchIndex) -> None:
    filters = SearchFilters(include_category="shoes", max_price=100)
    assert _ids(
        search(catalog, text="running", vector=None, mode="text", top=5, filters=filters)
    ) == ["products.csv-1"]
    brand = SearchFilters(brand="Halvard")
    assert _ids(search(catalog, text="shoes", vector=None, mode="text", top=5, filters=brand)) == [
        "products.csv-0"
    ]
    no_socks = SearchFilters(exclude_category="socks")
    hits = search(catalog, text="running", vector=None, mode="text", top=5, filters=no_socks)
    assert "products.csv-3" not in _ids(hits)
    assert "handbook.pdf-0" in _ids(hits)  # no category: kept


@pytest.mark.parametrize(
    ("scope", "visible_restricted"),
    [
        (AccessScope(), set()),
        (AccessScope(user_id="ann"), {"products.csv-2"}),
        (AccessScope(user_id="bob", group_ids=("staff",)), {"products.csv-1"}),
        (
            AccessScope(user_id="ann", group_ids=("staff", "x")),
            {"products.csv-1", "products.csv-2"},
        ),
    ],
)
def test_access_filter_runs_inside_the_query(
    catalog: AzureSearchIndex, scope: AccessScope, visible_restricted: set[str]
) -> None:
    query = HashingEmbedder().embed_query("running shoes jacket")
    filters = SearchFilters(access=scope)
    for mode in ("text", "vectors", "hybrid"):
        hits = search(
            catalog, text="running shoes jacket", vector=query, mode=mode, top=10, filters=filters
        )
        restricted = set(_ids(hits)) & {"products.csv-1", "products.csv-2"}
        assert restricted == visible_restricted, mode


def test_bad_vectors_are_refused_before_writing(index: AzureSearchIndex) -> None:
    chunks = make_chunks("a.pdf", [("text", {})])
    with pytest.raises(ValueError, match="values"):
        index.replace_document(make_document("a.pdf"), chunks, [[0.1, 0.2]])
    assert index.count_chunks() == 0


def test_image_vectors_need_an_image_field(service: RunningService) -> None:
    index = AzureSearchIndex(
        service.endpoint,
        index_name="no-images",
        credential=service.api_key,
        dimension=4,
        connection_verify=str(service.cert_path),
    )
    with pytest.raises(FeatureNotAvailableError):
        index.rank([RankingQuery(field="image", vector=[1.0, 0, 0], top=1)])


def test_semantic_ranker_is_refused_by_the_local_service(service: RunningService) -> None:
    index = AzureSearchIndex(
        service.endpoint,
        index_name="semantic",
        credential=service.api_key,
        dimension=4,
        semantic_ranker=True,
        connection_verify=str(service.cert_path),
    )
    with pytest.raises(AzureSearchError, match=r"semantic.*not supported"):
        search(index, text="tents", vector=None, mode="text", top=1)


def test_a_wrong_key_surfaces_as_azure_search_error(service: RunningService) -> None:
    index = AzureSearchIndex(
        service.endpoint,
        index_name="locked",
        credential="wrong",
        dimension=4,
        connection_verify=str(service.cert_path),
    )
    with pytest.raises(AzureSearchError, match="create the indexes"):
        index.count_chunks()


def test_an_index_written_before_bm25_read_titles_is_refused_with_what_to_do(
    service: RunningService,
) -> None:
    from azure.search.documents.indexes import SearchIndexClient

    from retrieval.azure import schema

    old = schema.chunks_index("before-titles", dimension=HashingEmbedder().dimension,
                              image_dimension=None)  # fmt: skip
    old.fields = [f for f in old.fields if f.name != schema.SEARCH_TEXT]
    client = SearchIndexClient(
        service.endpoint, AzureKeyCredential(service.api_key),
        connection_verify=str(service.cert_path),
    )  # fmt: skip
    client.create_index(old)
    index = AzureSearchIndex(
        service.endpoint,
        index_name="before-titles",
        credential=service.api_key,
        dimension=HashingEmbedder().dimension,
        connection_verify=str(service.cert_path),
    )
    with pytest.raises(ConfigError, match="delete it and ingest again"):
        index.count_chunks()
