"""The OData $filter parser and its translation to LanceDB SQL (checked on a real table)."""

from __future__ import annotations

from pathlib import Path

import lancedb
import pytest

from retrieval.search_service.errors import ServiceError
from retrieval.search_service.index_definition import IndexDefinition, parse_definition
from retrieval.search_service.odata_filter import (
    And,
    AnyOf,
    Compare,
    InValues,
    Not,
    Or,
    parse_filter,
)
from retrieval.search_service.odata_sql import filter_to_sql

DEFINITION = {
    "fields": [
        {"name": "id", "type": "Edm.String", "key": True},
        {"name": "category", "type": "Edm.String", "filterable": True},
        {"name": "price", "type": "Edm.Double", "filterable": True},
        {"name": "pages", "type": "Edm.Int32", "filterable": True},
        {"name": "is_public", "type": "Edm.Boolean", "filterable": True},
        {"name": "groups", "type": "Collection(Edm.String)", "filterable": True},
        {"name": "secret", "type": "Edm.String", "filterable": False},
    ]
}
ROWS = [
    {"id": "a", "category": "Tents", "price": 150.0, "pages": 1, "is_public": True,
     "groups": ["hikers"], "secret": None},
    {"id": "b", "category": "Boots", "price": 90.0, "pages": 2, "is_public": False,
     "groups": ["admins", "staff"], "secret": None},
    {"id": "c", "category": None, "price": None, "pages": None, "is_public": False,
     "groups": None, "secret": None},
    {"id": "d", "category": "O'Neil", "price": 250.0, "pages": 3, "is_public": False,
     "groups": [], "secret": None},
]  # fmt: skip


@pytest.fixture
def definition() -> IndexDefinition:
    return parse_definition(DEFINITION, name="items")


@pytest.fixture
def matching(tmp_path: Path, definition: IndexDefinition):  # type: ignore[no-untyped-def]
    table = lancedb.connect(tmp_path).create_table("items", schema=definition.arrow_schema())
    table.add(ROWS)

    def run(expression: str) -> list[str]:
        where = filter_to_sql(parse_filter(expression), definition)
        rows = table.search().where(where).select(["id"]).limit(None).to_list()
        return sorted(row["id"] for row in rows)

    return run


def test_precedence_and_binds_tighter_than_or() -> None:
    tree = parse_filter("price lt 5 or price gt 10 and pages eq 2")
    assert tree == Or(
        (Compare("price", "lt", 5), And((Compare("price", "gt", 10), Compare("pages", "eq", 2))))
    )


def test_parentheses_not_and_literals() -> None:
    tree = parse_filter("not (category eq 'It''s' or price ge -1.5e2) and is_public")
    assert tree == And(
        (
            Not(Or((Compare("category", "eq", "It's"), Compare("price", "ge", -150.0)))),
            Compare("is_public", "eq", True),
        )
    )


def test_lambdas_and_search_in() -> None:
    assert parse_filter("groups/any(g: g eq 'a' or g eq 'b')") == AnyOf("groups", ("a", "b"))
    assert parse_filter("groups/any(g: search.in(g, 'a|b c', '|'))") == AnyOf(
        "groups", ("a", "b c")
    )
    assert parse_filter("groups/any()") == AnyOf("groups", None)
    assert parse_filter("search.in(category, 'x, y z')") == InValues("category", ("x", "y", "z"))


@pytest.mark.parametrize(
    "bad",
    ["", "price eq", "price eq 1 and", "(price eq 1", "price eq 'x", "groups/all(g: g eq 'a')",
     "groups/any(g: h eq 'a')", "price @ 3", "price eq 1 price"],
)  # fmt: skip
def test_syntax_errors_are_400(bad: str) -> None:
    with pytest.raises(ServiceError) as caught:
        parse_filter(bad)
    assert caught.value.status == 400


@pytest.mark.integration
@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("category eq 'Tents'", ["a"]),
        ("category ne 'Tents'", ["b", "c", "d"]),  # null is "not equal" in OData
        ("category eq 'O''Neil'", ["d"]),
        ("category eq null", ["c"]),
        ("(category eq null or category eq 'Tents')", ["a", "c"]),  # keep_unlabelled's shape
        ("price ge 90 and price le 150", ["a", "b"]),
        ("not (price gt 100)", ["b", "c"]),  # two-valued logic: null price is not > 100
        ("pages lt 3 or is_public", ["a", "b"]),
        ("groups/any(g: g eq 'staff')", ["b"]),
        ("groups/any(g: search.in(g, 'hikers,nobody'))", ["a"]),
        ("groups/any()", ["a", "b"]),
        ("not groups/any()", ["c", "d"]),
        ("search.in(category, 'Tents Boots')", ["a", "b"]),
        ("true and not false", ["a", "b", "c", "d"]),
    ],
)
def test_translated_filters_select_the_right_rows(matching, expression: str, expected) -> None:  # type: ignore[no-untyped-def]
    assert matching(expression) == expected


@pytest.mark.parametrize(
    "expression",
    ["nope eq 1", "secret eq 'x'", "price eq 'cheap'", "pages eq 1.5", "price gt null",
     "groups eq 'a'", "category/any()", "is_public gt true"],
)  # fmt: skip
def test_type_and_field_errors_are_400(definition: IndexDefinition, expression: str) -> None:
    with pytest.raises(ServiceError) as caught:
        filter_to_sql(parse_filter(expression), definition)
    assert caught.value.status == 400
