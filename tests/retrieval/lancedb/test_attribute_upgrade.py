"""An index written before typed attributes existed keeps working: its chunks read back
without attributes, and newly ingested records carry and filter on them."""

from __future__ import annotations

from pathlib import Path

import lancedb

from retrieval import schema
from retrieval.lancedb import LanceDbIndex
from ridgeline.attribute_fields import STORED_FIELDS, record_attributes
from ridgeline.types import AttributeRange, ChunkKind, SearchFilters
from tests.fakes import HashingEmbedder
from tests.retrieval.conftest import make_chunks, make_document
from tests.retrieval.searching import search


def _write(index: LanceDbIndex, embedder: HashingEmbedder, document_id: str, text: str) -> None:
    extra = {"kind": ChunkKind.CATALOG, "attributes": record_attributes(text)}
    chunks = make_chunks(document_id, [(text, extra)])
    index.replace_document(make_document(document_id), chunks, embedder.embed_documents([text]))


def _old_index(directory: Path, embedder: HashingEmbedder) -> None:
    """An index with one record, then its attribute columns dropped: the earlier layout."""
    _write(LanceDbIndex(directory, dimension=embedder.dimension), embedder, "old.csv",
           "Old tent. It weighs 1.4 kg.")  # fmt: skip
    table = lancedb.connect(directory).open_table(schema.CHUNKS_TABLE)
    table.drop_columns(list(STORED_FIELDS))
    assert "weight_kg" not in table.schema.names


def test_an_older_index_gains_null_attribute_columns_and_keeps_answering(
    tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    _old_index(tmp_path, hashing_embedder)
    index = LanceDbIndex(tmp_path, dimension=hashing_embedder.dimension)
    [hit] = search(index, text="tent", mode="text", top=5, dimension=hashing_embedder.dimension)
    assert hit.chunk.attributes is None  # answers read its text instead

    _write(index, hashing_embedder, "new.csv", "New tent. It weighs 1.1 kg.")
    light = SearchFilters(attribute_ranges=(AttributeRange(name="weight_kg", max=2),))
    hits = search(
        index, text="tent", mode="text", top=5, filters=light, dimension=hashing_embedder.dimension
    )
    assert [h.chunk.document_id for h in hits] == ["new.csv"]
    assert index.facets("materials") == {}
