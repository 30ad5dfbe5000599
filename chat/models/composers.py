"""Which composer answers a question: the kind of question decides, the sources supply facts.

Every composer returns cited pieces ``(sentence, citation)`` (a citation may be empty for a
connecting sentence such as "These match your request:"), or ``None`` when the sources do not
let it answer; the caller then quotes the best sentences (a lookup).

A question of several parts is answered part by part (:mod:`chat.models.parts`); given the
answerer's ``lookup``, parts no composer answers are looked up, and unanswered parts said so.

Usage::

    pieces = compose("Which is the lightest tent?", hits, has_image=False)
"""

from __future__ import annotations

from collections.abc import Sequence

from chat.models import compose_products
from chat.models.attribute_lookup import attribute_answer
from chat.models.charts import chart_answer
from chat.models.kinds import QuestionKind, detect_kind
from chat.models.lists import best_list
from chat.models.parts import Lookup, answer_parts
from chat.models.products import named_products, products_in
from chat.models.table_answers import asks_to_rank, cell_answer, ranked_answer
from chat.models.tables import tables_in
from chat.models.terms import content_terms
from retrieval.query.decompose import compared_sides
from ridgeline.types import ChatMessage, ChunkKind, SearchHit

Piece = tuple[str, str]


def compose(
    question: str,
    sources: Sequence[SearchHit],
    *,
    has_image: bool,
    lookup: Lookup | None = None,
) -> list[Piece] | None:
    """The composed answer for ``question``'s kind, or ``None`` for a plain lookup."""
    if not has_image:
        parts = answer_parts(
            question,
            sources,
            compose_one=lambda part: _compose_one(part, sources, has_image=False),
            lookup=lookup,
        )
        if parts is not None:
            return parts
    composed = _compose_one(question, sources, has_image=has_image)
    if composed is None and not has_image:
        return _side_by_side(question, sources, lookup)
    return composed


def _side_by_side(
    question: str, sources: Sequence[SearchHit], lookup: Lookup | None
) -> list[Piece] | None:
    """A comparison of products that are not all among the catalog records found (one side
    found only in its manual): each side answered on its own, a product by its facts."""
    sides = compared_sides(question)
    products = products_in(sources)
    if len(sides) != 2 or not named_products(question, products):
        return None  # not a comparison of products: the lookup quotes sentences
    return answer_parts(
        question,
        sources,
        compose_one=lambda side: compose_products.facts_of(named_products(side, products)),
        lookup=_naming_first(lookup) if lookup is not None else None,
        parts=sides,
    )


def _naming_first(lookup: Lookup) -> Lookup:
    """``lookup`` over the sources that name most of the side asked about first (in rank
    order among equals): the other side's records and manual can fill the first sources, and
    a lookup reads only the first few."""

    def reordered(messages: Sequence[ChatMessage], sources: Sequence[SearchHit]) -> list[Piece]:
        side = content_terms(messages[-1].content)

        def named(hit: SearchHit) -> int:
            return len(side & content_terms(f"{hit.chunk.title} {hit.chunk.content}"))

        return lookup(messages, sorted(sources, key=named, reverse=True))

    return reordered


def _compose_one(
    question: str, sources: Sequence[SearchHit], *, has_image: bool
) -> list[Piece] | None:
    chart = None if has_image else chart_answer(question, sources)
    if chart is not None:
        return chart
    kind = detect_kind(question, has_image=has_image)
    if kind.kind == "list":
        return best_list(question, sources)
    if kind.kind == "lookup":
        return attribute_answer(question, sources) or _table(question, sources, kind)
    if kind.kind not in {"recommend", "superlative", "compare", "identify"}:
        return None
    products = products_in(sources)
    if kind.kind == "superlative" and kind.attribute and kind.direction:
        ranked = compose_products.superlative(products, question, kind.attribute, kind.direction)
        return ranked or _table(question, sources, kind)
    if kind.kind == "compare":
        return compose_products.compare(products, question, kind.attribute, kind.direction)
    if kind.kind == "identify":
        return compose_products.identify(products, sources[0].score if sources else 0.0)
    like = products[0].category if has_image and products else None
    return compose_products.recommend(products, question, like_category=like)


def _table(question: str, sources: Sequence[SearchHit], kind: QuestionKind) -> list[Piece] | None:
    """A table's cell, or its row with the highest or lowest value of the column asked."""
    tables = tables_in(sources)
    if not tables:
        return None
    if kind.kind == "superlative" or asks_to_rank(question):
        ranked = ranked_answer(question, tables, kind.attribute, kind.direction)
        if ranked:
            return ranked
    products = [
        h.chunk.title for h in sources if h.chunk.kind == ChunkKind.CATALOG and h.chunk.title
    ]
    return cell_answer(question, tables, products)
