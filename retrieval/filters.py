"""SearchFilters -> a LanceDB SQL ``where`` predicate, with every value safely quoted.

The predicate is applied inside the query (``prefilter``), so a filter never shrinks the
result list below ``top`` when enough matching rows exist, and access control can never be a
cut made after the ranking.

    >>> where_clause(SearchFilters(include_category="shoes", max_price=50))
    "category = 'shoes' AND price <= 50.0"
"""

from __future__ import annotations

import math

from ridgeline.types import AccessScope, SearchFilters


def quote_sql_string(value: str) -> str:
    """A SQL string literal for ``value``: single quotes are doubled, NUL bytes rejected."""
    if "\x00" in value:
        raise ValueError(f"a NUL character cannot be used in a filter value: {value!r}")
    return "'" + value.replace("'", "''") + "'"


def _sql_number(value: float, *, field: str) -> str:
    if not math.isfinite(value):
        raise ValueError(f"{field} must be a finite number, got {value!r}")
    return repr(float(value))


def _sql_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(quote_sql_string(v) for v in values) + "]"


def access_clause(scope: AccessScope) -> str:
    """Rows ``scope`` may read: public rows, rows listing the user, rows listing one of its groups.

    A scope with neither a user nor groups reads public rows only.
    """
    parts = ["access_public"]
    if scope.user_id is not None:
        parts.append(f"array_has_any(access_users, {_sql_list((scope.user_id,))})")
    if scope.group_ids:
        parts.append(f"array_has_any(access_groups, {_sql_list(scope.group_ids)})")
    return "(" + " OR ".join(parts) + ")"


def _label_equals(column: str, value: str, filters: SearchFilters) -> str:
    equals = f"{column} = {quote_sql_string(value)}"
    return f"({column} IS NULL OR {equals})" if filters.keep_unlabelled else equals


def _catalog_parts(filters: SearchFilters) -> list[str]:
    parts: list[str] = []
    if filters.include_category is not None:
        parts.append(_label_equals("category", filters.include_category, filters))
    if filters.exclude_category is not None:
        excluded = quote_sql_string(filters.exclude_category)
        parts.append(f"(category IS NULL OR category <> {excluded})")
    if filters.brand is not None:
        parts.append(_label_equals("brand", filters.brand, filters))
    if filters.min_price is not None:
        parts.append(f"price >= {_sql_number(filters.min_price, field='min_price')}")
    if filters.max_price is not None:
        parts.append(f"price <= {_sql_number(filters.max_price, field='max_price')}")
    return parts + _attribute_parts(filters)


def _attribute_parts(filters: SearchFilters) -> list[str]:
    # Column names come from ATTRIBUTE_FIELDS (AttributeRange refuses any other name).
    parts: list[str] = []
    for bound in filters.attribute_ranges:
        if bound.min is not None:
            parts.append(f"{bound.name} >= {_sql_number(bound.min, field=bound.name)}")
        if bound.max is not None:
            parts.append(f"{bound.name} <= {_sql_number(bound.max, field=bound.name)}")
    for column, word in filters.word_constraints():
        parts.append(f"array_has_any({column}, {_sql_list((word,))})")
    return parts


def where_clause(filters: SearchFilters | None) -> str | None:
    """The SQL predicate for ``filters``, or None when nothing is constrained.

    ``exclude_category`` keeps chunks without a category (ordinary document text); a price
    bound keeps only chunks that have a price; ``access`` None means no access filtering.
    """
    if filters is None:
        return None
    parts = _catalog_parts(filters)
    if filters.access is not None:
        parts.append(access_clause(filters.access))
    return " AND ".join(parts) or None
