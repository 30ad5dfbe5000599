from __future__ import annotations

import pytest

from retrieval.query.constraints import extract_constraints, match_facet_value, relaxed_prices
from ridgeline.types import AttributeRange, SearchFilters, merge_filters

CATEGORIES = ["Tents", "Backpacks", "Hiking Clothing", "Hiking Footwear", "Camping Stoves"]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("tents under $200", None, 200.0),
        ("a tent for less than 200 dollars", None, 200.0),
        ("tents below 150 USD", None, 150.0),
        ("tents between $50 and $100", 50.0, 100.0),
        ("tents from 100 to 50 dollars", 50.0, 100.0),
        ("tents $50-$120", 50.0, 120.0),
        ("tents over $300", 300.0, None),
        ("tents at least 99.50 dollars", 99.5, None),
        ("tents no more than 1,200 dollars", None, 1200.0),
        ("what tents cost under 300?", None, 300.0),
    ],
)
def test_price_phrases_become_bounds(text: str, low: float | None, high: float | None) -> None:
    filters = extract_constraints(text).filters
    assert filters is not None
    assert (filters.min_price, filters.max_price) == (low, high)


@pytest.mark.parametrize(
    "text", ["a tent for at least 4 people", "sleeping bags under 2 kg", "over 3 days of hiking"]
)
def test_numbers_with_other_units_are_not_prices(text: str) -> None:
    filters = extract_constraints(text).filters
    assert filters is None or (filters.min_price, filters.max_price) == (None, None)


@pytest.mark.parametrize(
    ("text", "name", "low", "high", "remaining"),
    [
        ("a tent under 2 kg", "weight_kg", None, 2.0, "a tent"),
        ("a sleeping bag rated to -10 C", "temperature_c", None, -10.0, "a sleeping bag"),
        ("a shell with at least 3000 mm", "waterproof_mm", 3000.0, None, "a shell"),
        ("a tent for 4 people", "persons", 4.0, None, "a tent for 4 people"),
        ("a stove under 100 g", "weight_kg", None, 0.1, "a stove"),
    ],
)
def test_quantities_with_units_become_attribute_ranges_in_canonical_units(
    text: str, name: str, low: float | None, high: float | None, remaining: str
) -> None:
    found = extract_constraints(text)
    assert found.filters is not None
    assert found.filters.attribute_ranges == (AttributeRange(name=name, min=low, max=high),)
    assert found.filters.max_price is None and found.remaining_text == remaining


def test_a_price_and_a_weight_in_one_question_are_told_apart() -> None:
    filters = extract_constraints("a tent under $300 and under 2 kg between 2018 and 2022").filters
    assert filters is not None and filters.max_price == 300.0 and filters.min_price is None
    assert filters.attribute_ranges == (AttributeRange(name="weight_kg", max=2.0),)


def test_relaxing_drops_the_questions_measures_but_not_the_callers() -> None:
    planned = extract_constraints("a tent under 2 kg for 4 people").filters
    asked = SearchFilters(attribute_ranges=(AttributeRange(name="persons", min=4),))
    merged = merge_filters(planned, asked)
    relaxed = relaxed_prices(merged, planned, asked)
    assert relaxed is not None
    assert relaxed.attribute_ranges == (AttributeRange(name="persons", min=4),)
    assert relaxed_prices(merged, planned, merged) is None  # all set by the caller


def test_price_words_leave_the_text_query() -> None:
    found = extract_constraints("a backpack for less than 200 dollars")
    assert found.remaining_text == "a backpack"
    assert [c.text for c in found.matched] == ["less than 200 dollars"]


def test_categories_match_facet_values_in_any_number_and_case() -> None:
    assert match_facet_value("a Backpack for school", CATEGORIES) == ("Backpacks", "backpack")
    assert match_facet_value("TENTS", CATEGORIES) == ("Tents", "tents")
    assert match_facet_value("light hiking footwear", CATEGORIES) == (
        "Hiking Footwear",
        "hiking footwear",
    )


def test_a_head_noun_alone_matches_only_when_unambiguous() -> None:
    assert match_facet_value("cheap stoves", CATEGORIES) == ("Camping Stoves", "stoves")
    assert match_facet_value("hiking gear", CATEGORIES) is None


def test_the_end_of_a_compound_head_noun_names_its_category() -> None:
    assert match_facet_value("Which pack is the lightest?", CATEGORIES) == ("Backpacks", "pack")
    assert match_facet_value("a sleeping pad", CATEGORIES) is None


def test_nothing_is_matched_that_the_index_does_not_hold() -> None:
    assert extract_constraints("jackets over $300", categories=CATEGORIES).filters == (
        SearchFilters(min_price=300.0)
    )


def test_category_brand_and_price_together() -> None:
    found = extract_constraints(
        "MountainStyle tents under $250", categories=CATEGORIES, brands=["MountainStyle"]
    )
    assert found.filters == SearchFilters(
        include_category="Tents", brand="MountainStyle", max_price=250.0, keep_unlabelled=True
    )
    assert found.remaining_text == "MountainStyle tents"
    assert {c.kind for c in found.matched} == {"category", "brand", "max_price"}


def test_a_query_that_is_only_a_price_keeps_its_text() -> None:
    assert extract_constraints("under $20").remaining_text == "under $20"


@pytest.mark.parametrize(
    "text",
    ["market trends from 2018 to 2022", "forecasts up to 2028", "growth between 2019 and 2021"],
)
def test_years_are_not_prices(text: str) -> None:
    found = extract_constraints(text)
    assert found.filters is None and found.remaining_text == text


def test_a_year_with_a_currency_sign_is_still_a_price() -> None:
    filters = extract_constraints("tents under $2020").filters
    assert filters is not None and filters.max_price == 2020.0


def test_a_word_that_only_ends_a_head_noun_by_its_letters_names_no_category() -> None:
    # "clothing" ends in "thing" but is not "clo" + "thing": the cheapest thing of any kind.
    assert match_facet_value("What is the cheapest thing you sell?", CATEGORIES) is None


def test_a_verb_that_ends_a_compound_head_names_no_category() -> None:
    assert match_facet_value("What should I wear on a rainy hike?", ["Hiking Footwear"]) is None
    assert match_facet_value("a warm wear for winter", ["Hiking Footwear"]) == (
        "Hiking Footwear",
        "wear",
    )
