"""The local search service driven by the REAL azure-search-documents SDK (SearchIndexClient,
SearchClient) over HTTPS on 127.0.0.1: the wire format is the SDK's, not ours."""

from __future__ import annotations

import ssl
import uuid
from collections.abc import Iterator

import httpx
import pytest
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.search.documents import SearchClient
from azure.search.documents.indexes import SearchIndexClient
from azure.search.documents.indexes.models import (
    HnswAlgorithmConfiguration,
    SearchableField,
    SearchField,
    SearchFieldDataType,
    SearchIndex,
    SimpleField,
    VectorSearch,
    VectorSearchProfile,
)
from azure.search.documents.models import VectorizedQuery

from tests.retrieval.search_service.servers import RunningService

pytestmark = pytest.mark.integration

PRODUCTS = [
    {"id": "tent1", "content": "Lightweight backpacking tent for two", "category": "Tents",
     "price": 180.0, "groups": ["staff"], "vec": [1.0, 0.0, 0.0]},
    {"id": "tent2", "content": "Family tent with a large vestibule", "category": "Tents",
     "price": 420.0, "groups": [], "vec": [0.9, 0.1, 0.0]},
    {"id": "boot1", "content": "Waterproof hiking boots", "category": "Boots",
     "price": 150.0, "groups": ["admins"], "vec": [0.0, 1.0, 0.0]},
    {"id": "lamp1", "content": "Headlamp with a red light mode", "category": "Lights",
     "price": 40.0, "groups": [], "vec": [0.0, 0.0, 1.0]},
]  # fmt: skip


def _definition(name: str) -> SearchIndex:
    return SearchIndex(
        name=name,
        fields=[
            SimpleField(name="id", type=SearchFieldDataType.String, key=True),
            SearchableField(name="content"),
            SimpleField(name="category", type="Edm.String", filterable=True, facetable=True),
            SimpleField(name="price", type="Edm.Double", filterable=True, sortable=True),
            SimpleField(name="groups", type="Collection(Edm.String)", filterable=True),
            SearchField(
                name="vec",
                type="Collection(Edm.Single)",
                searchable=True,
                vector_search_dimensions=3,
                vector_search_profile_name="profile",
            ),
        ],
        vector_search=VectorSearch(
            algorithms=[HnswAlgorithmConfiguration(name="hnsw")],
            profiles=[VectorSearchProfile(name="profile", algorithm_configuration_name="hnsw")],
        ),
    )


def _index_client(service: RunningService, key: str | None = None) -> SearchIndexClient:
    credential = AzureKeyCredential(key or service.api_key)
    return SearchIndexClient(service.endpoint, credential, connection_verify=str(service.cert_path))


@pytest.fixture
def client(service: RunningService) -> Iterator[SearchClient]:
    """A fresh index holding PRODUCTS; deleted afterwards."""
    name = f"products-{uuid.uuid4().hex[:8]}"
    indexes = _index_client(service)
    indexes.create_or_update_index(_definition(name))
    search = SearchClient(
        service.endpoint,
        name,
        AzureKeyCredential(service.api_key),
        connection_verify=str(service.cert_path),
    )
    assert all(r.succeeded for r in search.upload_documents(PRODUCTS))
    yield search
    indexes.delete_index(name)


def _ids(results) -> list[str]:  # type: ignore[no-untyped-def]
    return [row["id"] for row in results]


def test_index_definition_round_trips(service: RunningService) -> None:
    indexes = _index_client(service)
    indexes.create_or_update_index(_definition("roundtrip"))
    fetched = indexes.get_index("roundtrip")
    assert [f.name for f in fetched.fields] == [
        "id",
        "content",
        "category",
        "price",
        "groups",
        "vec",
    ]
    assert fetched.fields[-1].vector_search_dimensions == 3
    assert "roundtrip" in list(indexes.list_index_names())
    indexes.delete_index("roundtrip")
    with pytest.raises(ResourceNotFoundError):
        indexes.get_index("roundtrip")


def test_changing_fields_of_an_existing_index_is_refused(service: RunningService) -> None:
    indexes = _index_client(service)
    indexes.create_or_update_index(_definition("fixed"))
    changed = _definition("fixed")
    changed.fields[2].facetable = False
    with pytest.raises(HttpResponseError) as caught:
        indexes.create_or_update_index(changed)
    assert caught.value.status_code == 400
    indexes.delete_index("fixed")


def test_count_and_lookup(client: SearchClient) -> None:
    assert client.get_document_count() == 4
    assert client.get_document("boot1")["groups"] == ["admins"]
    assert client.get_document("boot1", selected_fields=["price"]) == {"price": 150.0}
    with pytest.raises(ResourceNotFoundError):
        client.get_document("nope")


def test_merge_and_delete_actions(client: SearchClient) -> None:
    client.merge_documents([{"id": "lamp1", "price": 35.0}])
    assert client.get_document("lamp1")["content"].startswith("Headlamp")  # merge keeps fields
    assert client.get_document("lamp1")["price"] == 35.0
    client.merge_or_upload_documents([{"id": "sock1", "content": "Wool socks"}])
    assert client.get_document("sock1")["price"] is None
    client.delete_documents([{"id": "tent2"}])
    assert client.get_document_count() == 4


def test_merge_of_a_missing_document_fails_alone_with_207(client: SearchClient) -> None:
    results = client.merge_documents([{"id": "ghost", "price": 1.0}, {"id": "tent1", "price": 1.0}])
    assert [(r.key, r.succeeded, r.status_code) for r in results] == [
        ("ghost", False, 404),
        ("tent1", True, 200),
    ]


def test_a_document_of_the_wrong_shape_is_refused_whole(client: SearchClient) -> None:
    with pytest.raises(HttpResponseError) as caught:
        client.upload_documents([{"id": "x", "price": "cheap"}])
    assert caught.value.status_code == 400
    assert "price" in caught.value.message
    with pytest.raises(HttpResponseError):
        client.upload_documents([{"id": "bad key!", "content": "x"}])
    assert client.get_document_count() == 4


def test_text_search_with_filter_count_and_facets(client: SearchClient) -> None:
    results = client.search(
        "tent", filter="price lt 300", include_total_count=True, facets=["category"]
    )
    assert _ids(results) == ["tent1"]
    assert results.get_count() == 1
    assert results.get_facets() == {"category": [{"value": "Tents", "count": 1}]}


def test_match_all_with_facets_skip_and_top(client: SearchClient) -> None:
    results = client.search(
        "*", facets=["category,count:2"], include_total_count=True, top=2, skip=1
    )
    assert len(_ids(results)) == 2
    assert results.get_count() == 4
    assert results.get_facets()["category"] == [
        {"value": "Tents", "count": 2},
        {"value": "Boots", "count": 1},
    ]


def test_vector_search_ranks_by_similarity(client: SearchClient) -> None:
    query = VectorizedQuery(vector=[0.0, 0.2, 1.0], k_nearest_neighbors=2, fields="vec")
    results = list(client.search(None, vector_queries=[query], select=["id"]))
    assert _ids(results) == ["lamp1", "boot1"]
    assert results[0]["@search.score"] > results[1]["@search.score"]


def test_hybrid_search_fuses_text_and_vectors(client: SearchClient) -> None:
    query = VectorizedQuery(vector=[0.0, 1.0, 0.0], k_nearest_neighbors=4, fields="vec")
    results = list(client.search("tent", vector_queries=[query], top=4))
    # The tents are in both lists (text and vectors), boot1 tops the vector list only.
    assert set(_ids(results)[:2]) == {"tent1", "tent2"}
    assert _ids(results)[2:] == ["boot1", "lamp1"]
    assert results[2]["@search.score"] == pytest.approx(1 / 61)  # RRF: 1 / (60 + rank 1)


def test_security_filter_inside_the_query(client: SearchClient) -> None:
    """Public (no groups) or one of the caller's groups, as one OData expression."""
    access = "not groups/any() or groups/any(g: search.in(g, 'staff,guests'))"
    results = client.search("*", filter=access)
    assert sorted(_ids(results)) == ["lamp1", "tent1", "tent2"]
    assert _ids(client.search("boots", filter=access)) == []


def test_unsupported_parameters_are_refused_not_ignored(client: SearchClient) -> None:
    with pytest.raises(HttpResponseError) as caught:
        list(client.search("tent", order_by=["price desc"]))
    assert caught.value.status_code == 400
    assert "orderby" in caught.value.message


def test_a_wrong_api_key_is_rejected(service: RunningService, client: SearchClient) -> None:
    with pytest.raises(HttpResponseError) as caught:
        _index_client(service, key="wrong").get_index("anything")
    assert caught.value.status_code == 403


def test_missing_key_and_api_version_use_the_error_shape(service: RunningService) -> None:
    with httpx.Client(verify=ssl.create_default_context(cafile=service.cert_path)) as http:
        no_key = http.get(f"{service.endpoint}/indexes", params={"api-version": "2025-09-01"})
        no_version = http.get(f"{service.endpoint}/indexes", headers={"api-key": service.api_key})
    assert no_key.status_code == 401
    assert no_key.json()["error"]["code"] == "Unauthorized"
    assert no_version.status_code == 400
    assert "api-version" in no_version.json()["error"]["message"]


def test_a_field_can_be_added_and_existing_documents_read_null_in_it(
    client: SearchClient, service: RunningService
) -> None:
    grown = _definition(client._index_name)
    grown.fields.insert(
        5, SimpleField(name="weight_kg", type="Edm.Double", filterable=True, sortable=True)
    )
    _index_client(service).create_or_update_index(grown)
    assert client.get_document("tent1")["weight_kg"] is None
    client.merge_documents([{"id": "tent2", "weight_kg": 4.9}])
    assert _ids(client.search("*", filter="weight_kg le 5")) == ["tent2"]
