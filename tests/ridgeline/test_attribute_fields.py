"""The attribute fields: one definition, typed values, sentences kept for citations."""

import json

import pytest

from ridgeline.attribute_fields import (
    ATTRIBUTE_FIELDS,
    SOURCES_FIELD,
    STORED_FIELDS,
    WORD_FILTERS,
    attribute_field,
    attributes_from_stored,
    record_attributes,
    stored_values,
)
from ridgeline.types import AttributeRange, SearchFilters, merge_filters

_BAG = (
    "Fernhollow Hearth 0 Sleeping Bag\nIts limit rating is -12 °C. It weighs 1.7 kg.\n"
    "Colours: available in red and navy. Shell: ripstop nylon."
)


def test_numbers_are_stored_in_canonical_units_with_their_sentences() -> None:
    values = stored_values(record_attributes(_BAG))
    assert values["temperature_c"] == -12.0 and values["weight_kg"] == 1.7
    assert values["colours"] == ["red", "navy"]
    assert values["materials"] == ["nylon", "ripstop"]
    facts = json.loads(values[SOURCES_FIELD])
    assert {
        "field": "weight_kg",
        "value": 1.7,
        "text": "1.7 kg",
        "sentence": "It weighs 1.7 kg.",
    } in facts


def test_a_load_or_a_rate_is_not_the_products_weight() -> None:
    pack = record_attributes("Rated for loads up to 25 kg. It weighs 2.1 kg.")
    shell = record_attributes("20000 g/m2/24h breathability. It weighs 395 g.")
    assert pack.number("weight_kg") == 2.1
    assert shell.number("weight_kg") == 0.395


def test_stored_values_read_back_to_the_same_attributes() -> None:
    attributes = record_attributes(_BAG)
    assert attributes_from_stored(stored_values(attributes)) == attributes


def test_a_chunk_never_read_stores_nulls_and_reads_back_as_none() -> None:
    values = stored_values(None)
    assert set(values) == set(STORED_FIELDS) and all(v is None for v in values.values())
    assert attributes_from_stored(values) is None
    assert attributes_from_stored({}) is None  # a row of an index that predates attributes


def test_every_numeric_field_has_a_unit_and_names_are_unique() -> None:
    names = [f.name for f in ATTRIBUTE_FIELDS]
    assert len(names) == len(set(names))
    assert attribute_field("weight_kg").unit == "kg"
    with pytest.raises(ValueError, match="unknown attribute 'weight'"):
        attribute_field("weight")


def test_a_range_needs_a_numeric_attribute_and_a_bound() -> None:
    with pytest.raises(ValueError, match="not a numeric attribute"):
        AttributeRange(name="materials", max=1)
    with pytest.raises(ValueError, match="needs a min or a max"):
        AttributeRange(name="weight_kg")


def test_merged_filters_keep_ranges_on_different_attributes_and_the_later_on_the_same() -> None:
    caller = SearchFilters(
        attribute_ranges=(
            AttributeRange(name="weight_kg", max=3),
            AttributeRange(name="persons", min=2),
        )
    )
    question = SearchFilters(attribute_ranges=(AttributeRange(name="weight_kg", max=2),))
    merged = merge_filters(caller, question)
    assert merged is not None
    assert set(merged.attribute_ranges) == {
        AttributeRange(name="weight_kg", max=2),
        AttributeRange(name="persons", min=2),
    }


def test_every_words_field_is_filterable_through_a_search_filters_field() -> None:
    words_fields = {f.name for f in ATTRIBUTE_FIELDS if f.kind == "strings"}
    assert set(WORD_FILTERS.values()) == words_fields
    assert set(WORD_FILTERS) <= set(SearchFilters.model_fields)


def test_word_constraints_name_the_stored_field_and_the_lower_cased_word() -> None:
    filters = SearchFilters(material="Silnylon", colour="Green")
    assert sorted(filters.word_constraints()) == [("colours", "green"), ("materials", "silnylon")]
    assert SearchFilters(max_price=10).word_constraints() == []
