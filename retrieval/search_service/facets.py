"""Facets: value counts of facetable fields over the documents a query matched.

A facet parameter is ``"field"`` or ``"field,count:5,sort:-value"``; interval and value-range
facets are refused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from retrieval.search_service.errors import bad_request, not_supported
from retrieval.search_service.index_definition import STRING_COLLECTION, IndexDefinition

_SORTS = ("count", "-count", "value", "-value")


@dataclass(frozen=True)
class FacetSpec:
    field: str
    count: int = 10
    sort: str = "count"


def parse_facet(text: str, definition: IndexDefinition) -> FacetSpec:
    name, *options = [part.strip() for part in text.split(",")]
    field = definition.field(name)
    if field is None or field.facetable is False or field.is_vector:
        raise bad_request(f"invalid facet {text!r}: {name!r} is not a facetable field")
    settings = dict(_option(option, text) for option in options)
    unknown = set(settings) - {"count", "sort"}
    if unknown:
        raise not_supported(f"the facet option {sorted(unknown)[0]!r}")
    count = settings.get("count", "10")
    sort = settings.get("sort", "count")
    if not count.isdigit() or sort not in _SORTS:
        raise bad_request(f"invalid facet {text!r}: count must be a number, sort one of {_SORTS}")
    return FacetSpec(field=name, count=int(count), sort=sort)


def _option(option: str, text: str) -> tuple[str, str]:
    name, sep, value = option.partition(":")
    if not sep:
        raise bad_request(f"invalid facet {text!r}: options are name:value")
    return name.strip(), value.strip()


def facet_counts(
    spec: FacetSpec, rows: Iterable[dict[str, Any]], definition: IndexDefinition
) -> list[dict[str, Any]]:
    """``[{"value": v, "count": n}]`` for the ``spec.count`` best values; nulls are not counted."""
    field = definition.field(spec.field)
    is_collection = field is not None and field.type == STRING_COLLECTION
    counter: Counter[Any] = Counter()
    for row in rows:
        value = row.get(spec.field)
        if value is None:
            continue
        counter.update(value if is_collection else [value])
    entries = list(counter.items())
    if spec.sort.endswith("value"):
        entries.sort(key=lambda item: item[0], reverse=spec.sort.startswith("-"))
    else:
        entries.sort(key=lambda item: (-item[1], str(item[0])))
        if spec.sort.startswith("-"):
            entries.reverse()
    return [{"value": value, "count": count} for value, count in entries[: spec.count]]
