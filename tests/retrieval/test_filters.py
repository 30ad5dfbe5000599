from __future__ import annotations

import math

import pytest

from retrieval.filters import quote_sql_string, where_clause
from ridgeline.types import SearchFilters


def test_no_filters_give_no_predicate() -> None:
    assert where_clause(None) is None
    assert where_clause(SearchFilters()) is None


def test_all_filters_are_anded() -> None:
    filters = SearchFilters(
        include_category="shoes", exclude_category="socks", min_price=10, max_price=99.5
    )
    assert where_clause(filters) == (
        "category = 'shoes' AND (category IS NULL OR category <> 'socks') "
        "AND price >= 10.0 AND price <= 99.5"
    )


def test_quotes_in_values_are_doubled_not_injected() -> None:
    clause = where_clause(SearchFilters(include_category="x' OR '1'='1"))
    assert clause == "category = 'x'' OR ''1''=''1'"


def test_nul_character_is_rejected() -> None:
    with pytest.raises(ValueError, match="NUL"):
        quote_sql_string("a\x00b")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_price_is_rejected_naming_the_field(bad: float) -> None:
    with pytest.raises(ValueError, match="max_price"):
        where_clause(SearchFilters(max_price=bad))
