"""The catalog records of both products a comparison names, among its sources.

"Compare the EcoFire and CompactCook stoves" is searched side by side (the retriever's
decomposer), but a product's manual has many sections and can push its catalog record, which
holds its price and typed attributes, out of the sources. For each side whose record is missing,
one search for the side among priced chunks (catalog records: ``min_price=0``) brings it back.

Usage::

    hits = with_compared_records(question, hits, search=lambda text, f: retriever_search(...))
"""

from __future__ import annotations

from collections.abc import Callable

from chat.models.products import named_products, products_in
from retrieval.query.decompose import compared_sides
from ridgeline.types import SearchFilters, SearchHit, merge_filters

# (text, filters) -> hits: the chat service's own search, with its mode and top.
Search = Callable[[str, SearchFilters | None], list[SearchHit]]
_RECORDS = SearchFilters(min_price=0.0)


def with_compared_records(
    question: str, hits: list[SearchHit], filters: SearchFilters | None, search: Search
) -> list[SearchHit]:
    """``hits``, then the best catalog record of each compared side none of them names."""
    sides = compared_sides(question)
    if len(sides) != 2:
        return hits
    found = products_in(hits)
    added: list[SearchHit] = []
    for side in sides:
        if named_products(side, found):
            continue
        records = search(side, merge_filters(_without_brand(filters), _RECORDS))
        added += [hit for hit in records if named_products(side, products_in([hit]))][:1]
    known = {hit.chunk.chunk_id for hit in hits}
    return [*hits, *(hit for hit in added if hit.chunk.chunk_id not in known)]


def _without_brand(filters: SearchFilters | None) -> SearchFilters | None:
    """The caller's filters, less a brand: the other side of the comparison has its own."""
    return filters.model_copy(update={"brand": None}) if filters is not None else None
