"""SearchFilters -> a LanceDB SQL ``where`` predicate, with every value safely quoted.

The predicate is applied inside the query (``prefilter``), so a filter never shrinks the
result list below ``top`` when enough matching rows exist.

    >>> where_clause(SearchFilters(include_category="shoes", max_price=50))
    "category = 'shoes' AND price <= 50.0"
"""

from __future__ import annotations

import math

from ridgeline.types import SearchFilters


def quote_sql_string(value: str) -> str:
    """A SQL string literal for ``value``: single quotes are doubled, NUL bytes rejected."""
    if "\x00" in value:
        raise ValueError(f"a NUL character cannot be used in a filter value: {value!r}")
    return "'" + value.replace("'", "''") + "'"


def _sql_number(value: float, *, field: str) -> str:
    if not math.isfinite(value):
        raise ValueError(f"{field} must be a finite number, got {value!r}")
    return repr(float(value))


def where_clause(filters: SearchFilters | None) -> str | None:
    """The SQL predicate for ``filters``, or None when nothing is constrained.

    ``exclude_category`` keeps chunks without a category (ordinary document text); a price
    bound keeps only chunks that have a price.
    """
    if filters is None:
        return None
    parts: list[str] = []
    if filters.include_category is not None:
        parts.append(f"category = {quote_sql_string(filters.include_category)}")
    if filters.exclude_category is not None:
        excluded = quote_sql_string(filters.exclude_category)
        parts.append(f"(category IS NULL OR category <> {excluded})")
    if filters.min_price is not None:
        parts.append(f"price >= {_sql_number(filters.min_price, field='min_price')}")
    if filters.max_price is not None:
        parts.append(f"price <= {_sql_number(filters.max_price, field='max_price')}")
    return " AND ".join(parts) or None
