"""Typed record attributes, the same on every backend: stored and read back, filtered by
range, material and colour inside the query, and counted as facets."""

from __future__ import annotations

import pytest

from ridgeline.attribute_fields import record_attributes
from ridgeline.protocols import FacetIndex, SearchIndex
from ridgeline.types import AttributeRange, Chunk, ChunkKind, SearchFilters
from tests.fakes import HashingEmbedder
from tests.retrieval.contract.conftest import NewIndex
from tests.retrieval.contract.corpus import document
from tests.retrieval.searching import search

_RECORDS = {
    "bivvy": "Bivvy tent. It packs to 1.1 kg. Floor: silnylon with a 3000 mm hydrostatic head.",
    "meadow": "Meadow tent for 3 people. It weighs 3.2 kg. Fly: 2000 mm coated polyester.",
    "hearth": "Hearth bag rated to -12 °C. It weighs 1.7 kg. Colours: red and navy.",
    "drift": "Drift bag rated to 8 °C. It weighs 1.2 kg. Comes in red. Fill: synthetic.",
}


def _chunks() -> list[Chunk]:
    chunks = [
        Chunk(
            chunk_id=f"shop-{name}",
            document_id="shop.csv",
            source="shop.csv",
            citation=f"shop.csv#id={name}",
            kind=ChunkKind.CATALOG,
            content=text,
            title=name,
            attributes=record_attributes(text),
        )
        for name, text in _RECORDS.items()
    ]
    # A manual page states a weight too, but was never read as a record: no attributes.
    manual = Chunk(
        chunk_id="manual-1",
        document_id="shop.csv",
        source="shop.csv",
        citation="shop.csv#page=1",
        content="The bag weighs 1.0 kg when packed.",
    )
    return [*chunks, manual]


@pytest.fixture
def shop(make_index: NewIndex, embedder: HashingEmbedder) -> SearchIndex:
    index = make_index()
    chunks = _chunks()
    index.replace_document(
        document("shop.csv"), chunks, embedder.embed_documents([c.content for c in chunks])
    )
    return index


def _found(index: SearchIndex, filters: SearchFilters, text: str = "weighs kg") -> set[str]:
    hits = search(index, text=text, mode="hybrid", top=10, filters=filters)
    return {hit.chunk.title or hit.chunk.chunk_id for hit in hits}


def test_attributes_are_stored_and_read_back_with_their_sentences(shop: SearchIndex) -> None:
    fetched = shop.fetch(["shop-hearth", "manual-1"])
    assert fetched["shop-hearth"].attributes == record_attributes(_RECORDS["hearth"])
    assert fetched["manual-1"].attributes is None


def test_a_range_keeps_only_records_whose_value_lies_inside_it(shop: SearchIndex) -> None:
    light = SearchFilters(attribute_ranges=(AttributeRange(name="weight_kg", max=2.0),))
    assert _found(shop, light) == {"bivvy", "hearth", "drift"}  # not the manual: no attribute
    warm = SearchFilters(attribute_ranges=(AttributeRange(name="temperature_c", max=-10),))
    assert _found(shop, warm) == {"hearth"}
    both = SearchFilters(
        attribute_ranges=(
            AttributeRange(name="waterproof_mm", min=2500),
            AttributeRange(name="weight_kg", min=1.0, max=1.5),
        )
    )
    assert _found(shop, both) == {"bivvy"}


def test_material_and_colour_filters_match_the_stored_words(shop: SearchIndex) -> None:
    assert _found(shop, SearchFilters(material="Polyester")) == {"meadow"}
    assert _found(shop, SearchFilters(colour="red")) == {"hearth", "drift"}
    assert _found(shop, SearchFilters(colour="navy", material="synthetic")) == set()


def test_materials_and_colours_are_facets(shop: SearchIndex) -> None:
    assert isinstance(shop, FacetIndex)
    assert shop.facets("colours") == {"red": 2, "navy": 1}
    assert shop.facets("materials") == {"polyester": 1, "silnylon": 1, "synthetic": 1}
    light = SearchFilters(attribute_ranges=(AttributeRange(name="weight_kg", max=1.5),))
    assert shop.facets("colours", filters=light) == {"red": 1}
