"""An Azure AI Search index created before typed attributes existed keeps working: opening it
adds the attribute fields (as Azure allows), its documents read back without attributes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from azure.core.credentials import AzureKeyCredential
from azure.search.documents.indexes import SearchIndexClient

from retrieval.azure import schema
from retrieval.azure.search_index import AzureSearchIndex
from ridgeline.attribute_fields import STORED_FIELDS, record_attributes
from ridgeline.types import AttributeRange, ChunkKind, SearchFilters
from tests.fakes import HashingEmbedder
from tests.retrieval.conftest import make_chunks, make_document
from tests.retrieval.search_service.servers import RunningService, serve_search_service
from tests.retrieval.searching import search

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    with serve_search_service(Path(tmp_path_factory.mktemp("azure-upgrade"))) as running:
        yield running


def _open(service: RunningService) -> AzureSearchIndex:
    return AzureSearchIndex(
        service.endpoint,
        index_name="shop",
        credential=service.api_key,
        dimension=HashingEmbedder().dimension,
        image_dimension=None,
        connection_verify=str(service.cert_path),
    )


def _write(index: AzureSearchIndex, document_id: str, text: str, *, read: bool) -> None:
    attributes = record_attributes(text) if read else None
    chunks = make_chunks(
        document_id, [(text, {"kind": ChunkKind.CATALOG, "attributes": attributes})]
    )
    index.replace_document(
        make_document(document_id), chunks, HashingEmbedder().embed_documents([text])
    )


def test_an_older_index_gains_the_attribute_fields_and_keeps_answering(
    service: RunningService,
) -> None:
    old = schema.chunks_index("shop", dimension=HashingEmbedder().dimension, image_dimension=None)
    old.fields = [f for f in old.fields if f.name not in STORED_FIELDS]
    indexes = SearchIndexClient(
        service.endpoint,
        AzureKeyCredential(service.api_key),
        connection_verify=str(service.cert_path),
    )
    indexes.create_or_update_index(old)
    assert "weight_kg" not in [f.name for f in indexes.get_index("shop").fields]

    index = _open(service)
    _write(index, "new.csv", "New tent. It weighs 1.1 kg.", read=True)
    assert "weight_kg" in [f.name for f in indexes.get_index("shop").fields]
    _write(index, "old.csv", "Old tent. It weighs 1.4 kg.", read=False)
    assert index.fetch(["old.csv-0"])["old.csv-0"].attributes is None
    light = SearchFilters(attribute_ranges=(AttributeRange(name="weight_kg", max=2),))
    hits = search(index, text="tent", mode="text", top=5, filters=light)
    assert [h.chunk.document_id for h in hits] == ["new.csv"]
