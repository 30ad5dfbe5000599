"""Which composer answers a question: the kind of question decides, the sources supply facts.

Every composer returns cited pieces ``(sentence, citation)`` (a citation may be empty for a
connecting sentence such as "These match your request:"), or ``None`` when the sources do not
let it answer; the caller then quotes the best sentences (a lookup).

Usage::

    pieces = compose("Which is the lightest tent?", hits, has_image=False)
"""

from __future__ import annotations

from collections.abc import Sequence

from chat.models import compose_products
from chat.models.charts import chart_answer
from chat.models.kinds import detect_kind
from chat.models.lists import best_list
from chat.models.products import products_in
from ridgeline.types import SearchHit

Piece = tuple[str, str]


def compose(question: str, sources: Sequence[SearchHit], *, has_image: bool) -> list[Piece] | None:
    """The composed answer for ``question``'s kind, or ``None`` for a plain lookup."""
    chart = None if has_image else chart_answer(question, sources)
    if chart is not None:
        return chart
    kind = detect_kind(question, has_image=has_image)
    if kind.kind == "list":
        return best_list(question, sources)
    if kind.kind not in {"recommend", "superlative", "compare", "identify"}:
        return None
    products = products_in(sources)
    if kind.kind == "superlative" and kind.attribute and kind.direction:
        return compose_products.superlative(products, question, kind.attribute, kind.direction)
    if kind.kind == "compare":
        return compose_products.compare(products, question, kind.attribute, kind.direction)
    if kind.kind == "identify":
        return compose_products.identify(products, sources[0].score if sources else 0.0)
    like = products[0].category if has_image and products else None
    return compose_products.recommend(products, question, like_category=like)
