"""SearchFilters -> an OData ``$filter`` for the chunks index, every value safely quoted.

The access rule admits a chunk that is public (``is_public``), lists the user, or lists one of
the user's groups; it is part of the query, so nothing is filtered after the index answered.

    >>> odata_filter(SearchFilters(include_category="Tents", max_price=200))
    "category eq 'Tents' and price le 200.0"
"""

from __future__ import annotations

import math

from ridgeline.types import AccessScope, SearchFilters


def odata_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _number(value: float, *, field: str) -> str:
    if not math.isfinite(value):
        raise ValueError(f"{field} must be a finite number, got {value!r}")
    return repr(float(value))


def access_filter(scope: AccessScope) -> str:
    rules = ["is_public eq true"]
    if scope.user_id is not None:
        rules.append(f"access_users/any(u: u eq {odata_string(scope.user_id)})")
    if scope.group_ids:
        rules.append(f"access_groups/any(g: {_any_group(scope.group_ids)})")
    return "(" + " or ".join(rules) + ")"


def _any_group(group_ids: tuple[str, ...]) -> str:
    if any("," in group for group in group_ids):  # search.in would split such an id
        return " or ".join(f"g eq {odata_string(group)}" for group in group_ids)
    return f"search.in(g, {odata_string(','.join(group_ids))}, ',')"


def _label_equals(field: str, value: str, filters: SearchFilters) -> str:
    equals = f"{field} eq {odata_string(value)}"
    return f"({field} eq null or {equals})" if filters.keep_unlabelled else equals


def odata_filter(filters: SearchFilters | None) -> str | None:
    """The OData filter for ``filters``, or None when nothing is constrained.

    As in the embedded index, ``exclude_category`` keeps chunks without a category, and a price
    bound keeps only chunks that have a price.
    """
    if filters is None:
        return None
    parts: list[str] = []
    if filters.include_category is not None:
        parts.append(_label_equals("category", filters.include_category, filters))
    if filters.exclude_category is not None:
        parts.append(f"category ne {odata_string(filters.exclude_category)}")
    if filters.brand is not None:
        parts.append(_label_equals("brand", filters.brand, filters))
    if filters.min_price is not None:
        parts.append(f"price ge {_number(filters.min_price, field='min_price')}")
    if filters.max_price is not None:
        parts.append(f"price le {_number(filters.max_price, field='max_price')}")
    parts.extend(_attribute_filters(filters))
    if filters.access is not None:
        parts.append(access_filter(filters.access))
    return " and ".join(parts) or None


def _attribute_filters(filters: SearchFilters) -> list[str]:
    # Field names come from ATTRIBUTE_FIELDS (AttributeRange refuses any other name).
    parts: list[str] = []
    for bound in filters.attribute_ranges:
        if bound.min is not None:
            parts.append(f"{bound.name} ge {_number(bound.min, field=bound.name)}")
        if bound.max is not None:
            parts.append(f"{bound.name} le {_number(bound.max, field=bound.name)}")
    for field, word in filters.word_constraints():
        parts.append(f"{field}/any(w: w eq {odata_string(word)})")
    return parts
