"""SearchFilters -> OData, checked as text and by the local service's parser."""

from __future__ import annotations

from retrieval.azure.filters import odata_filter
from retrieval.search_service.odata_filter import parse_filter
from ridgeline.types import AccessScope, SearchFilters


def test_no_filters_means_no_expression() -> None:
    assert odata_filter(None) is None
    assert odata_filter(SearchFilters()) is None


def test_typed_filters_quote_their_values() -> None:
    expression = odata_filter(
        SearchFilters(include_category="Men's", brand="Halvard", min_price=10, max_price=200)
    )
    assert expression == (
        "category eq 'Men''s' and brand eq 'Halvard' and price ge 10.0 and price le 200.0"
    )
    parse_filter(expression)  # well-formed OData


def test_keep_unlabelled_admits_chunks_without_the_label() -> None:
    expression = odata_filter(SearchFilters(include_category="Tents", keep_unlabelled=True))
    assert expression == "(category eq null or category eq 'Tents')"
    parse_filter(expression)


def test_access_rule_admits_public_user_and_groups() -> None:
    scope = AccessScope(user_id="ann", group_ids=("staff", "ops"))
    expression = odata_filter(SearchFilters(access=scope))
    assert expression == (
        "(is_public eq true or access_users/any(u: u eq 'ann') or "
        "access_groups/any(g: search.in(g, 'staff,ops', ',')))"
    )
    parse_filter(expression)


def test_anonymous_scope_sees_only_public_chunks() -> None:
    assert odata_filter(SearchFilters(access=AccessScope())) == "(is_public eq true)"


def test_group_ids_with_commas_are_not_split() -> None:
    expression = odata_filter(SearchFilters(access=AccessScope(group_ids=("a,b", "c"))))
    assert "access_groups/any(g: g eq 'a,b' or g eq 'c')" in expression  # type: ignore[operator]
