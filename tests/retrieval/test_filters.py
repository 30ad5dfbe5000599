from __future__ import annotations

import math

import pytest

from retrieval.filters import access_clause, quote_sql_string, where_clause
from ridgeline.types import AccessScope, SearchFilters


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


def test_keep_unlabelled_widens_category_and_brand_to_rows_without_them() -> None:
    filters = SearchFilters(include_category="Tents", brand="Halvard", keep_unlabelled=True)
    assert where_clause(filters) == (
        "(category IS NULL OR category = 'Tents') AND (brand IS NULL OR brand = 'Halvard')"
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


def test_brand_is_matched_exactly_and_quoted() -> None:
    assert where_clause(SearchFilters(brand="O'Neil")) == "brand = 'O''Neil'"


def test_access_scope_admits_public_rows_the_user_and_the_groups() -> None:
    scope = AccessScope(user_id="ann", group_ids=("staff", "x'y"))
    assert where_clause(SearchFilters(include_category="tents", access=scope)) == (
        "category = 'tents' AND (access_public OR array_has_any(access_users, ['ann']) "
        "OR array_has_any(access_groups, ['staff', 'x''y']))"
    )


def test_an_anonymous_scope_reads_public_rows_only() -> None:
    assert where_clause(SearchFilters(access=AccessScope())) == "(access_public)"
    assert access_clause(AccessScope(group_ids=("g",))) == (
        "(access_public OR array_has_any(access_groups, ['g']))"
    )
