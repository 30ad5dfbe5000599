"""A budget or measure the question set that leaves nothing useful is searched again without it.

"Do you have a tent under $100?" may find no tent at all, and "a jacket under $100" only pants:
the answer should then name the closest product of the kind asked and what it misses, so the
search runs again without the constraints the question's words set (a filter the caller set by
name is never widened: :func:`retrieval.query.constraints.relaxed_prices`).

Usage::

    hits, note = relaxed_search(question, hits, filters, relaxed, search=lambda f: ...)
"""

from __future__ import annotations

from collections.abc import Callable

from chat.models.products import asked_kinds
from ridgeline.types import SearchFilters, SearchHit

Search = Callable[[SearchFilters | None], list[SearchHit]]


def relaxed_search(
    question: str,
    hits: list[SearchHit],
    filters: SearchFilters | None,
    relaxed: SearchFilters | None,
    search: Search,
) -> tuple[list[SearchHit], str | None]:
    """The hits to answer from, and why the constraints were relaxed (None when they were not)."""
    if relaxed is None or (hits and not _kind_missing(question, hits, filters)):
        return hits, None
    wider = search(relaxed)
    if hits and not asked_kinds(question, wider):
        return hits, None  # the wider search finds no product of the kind either
    what = "result" if not hits else "product of the kind asked"
    return wider, f"no {what} within the price or the measures asked"


def _kind_missing(question: str, hits: list[SearchHit], filters: SearchFilters | None) -> bool:
    """Whether no product found is of the kind the question names by name ("a jacket"), when
    no category filter says what kind is wanted (a "Backpacks" filter lets a daypack through)."""
    return not (filters and filters.include_category) and not asked_kinds(question, hits)
