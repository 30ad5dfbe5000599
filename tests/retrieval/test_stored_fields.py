"""The chunk and document fields both index backends store, and reading them back."""

from __future__ import annotations

import json

import pytest

from retrieval.stored_fields import (
    CHUNK_FIELDS,
    checked_vector,
    chunk_fields,
    chunk_from_fields,
    document_fields,
    document_from_fields,
    is_public,
)
from ridgeline.types import Chunk, ChunkKind, ImageAsset
from tests.retrieval.conftest import make_document


def _catalog_chunk() -> Chunk:
    return Chunk(
        chunk_id="products.csv-0",
        document_id="products.csv",
        source="products.csv",
        citation="products.csv#id=7",
        content="Trail shoes",
        kind=ChunkKind.CATALOG,
        title="Trail shoes",
        category="shoes",
        brand="Halvard",
        price=120.0,
        images=(ImageAsset(path="assets/shoe.png", caption="A red shoe"),),
        access_users=("alice",),
    )


def test_a_chunk_comes_back_from_its_stored_fields_unchanged() -> None:
    chunk = _catalog_chunk()
    fields = chunk_fields(chunk)
    assert tuple(fields) == CHUNK_FIELDS
    assert fields["kind"] == "catalog"
    assert json.loads(fields["images"])[0]["caption"] == "A red shoe"
    assert chunk_from_fields({**fields, "id": "key", "vector": [0.0]}) == chunk


def test_optional_fields_a_backend_leaves_out_stay_unset() -> None:
    required = {name: chunk_fields(_catalog_chunk())[name] for name in CHUNK_FIELDS[:6]}
    chunk = chunk_from_fields(required)
    assert chunk.price is None and chunk.images == () and chunk.access_users == ()


def test_a_chunk_without_an_access_list_is_public() -> None:
    chunk = _catalog_chunk()
    assert not is_public(chunk)
    assert is_public(chunk.model_copy(update={"access_users": ()}))


def test_a_document_comes_back_from_its_stored_fields() -> None:
    document = make_document("guide.pdf")
    fields = document_fields(document, chunk_count=3)
    assert fields["chunk_count"] == 3 and fields["path"] == str(document.path)
    assert document_from_fields(fields) == document


def test_a_bad_vector_is_refused_naming_the_chunk_and_field() -> None:
    assert checked_vector([1, 2], dimension=2, what="c") == [1.0, 2.0]
    with pytest.raises(ValueError, match="c: vector has 1 values, the index expects 2"):
        checked_vector([1.0], dimension=2, what="c")
    with pytest.raises(ValueError, match="c: image vector contains NaN"):
        checked_vector([1.0, float("nan")], dimension=2, what="c", field="image vector")
