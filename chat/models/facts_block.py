"""The facts the offline composers compute, handed to an LLM as one delimited, cited block.

An LLM reading five sources can miss that one tent is the lightest or which table cell holds
the North region's manager; the composers (:mod:`chat.models.composers`) compute exactly that.
With an OpenAI-compatible or Azure model the same facts go into the grounded prompt between
``<facts>`` and ``</facts>``: the composed sentences each with its source's citation, and for
superlatives and comparisons the attribute table of the products compared. Like the sources,
the block is data: its angle brackets are escaped so no source text can close it.

Usage::

    block = facts_block(messages, hits)   # None when nothing was computed
    # <facts>
    # - The lightest of the 3 tents found is the Ptarmigan 2 Tent ... [products.csv#id=2]
    # | product | price | weight | source |
    # ...
    # </facts>
"""

from __future__ import annotations

from collections.abc import Sequence

from chat.models.composers import compose
from chat.models.kinds import detect_kind
from chat.models.products import (
    Product,
    in_asked_category,
    named_products,
    products_in,
    size_attribute,
)
from ridgeline.types import ChatMessage, SearchHit

FACTS_START = "<facts>"
FACTS_END = "</facts>"
_TABLE_ROWS = 8


def facts_block(messages: Sequence[ChatMessage], sources: Sequence[SearchHit]) -> str | None:
    """The computed facts for the conversation's last question, or ``None`` when no composer
    computed any (a plain lookup: the model reads the sources)."""
    question = next((m for m in reversed(messages) if m.role == "user"), None)
    if question is None or not sources:
        return None
    has_image = bool(question.images)
    pieces = compose(question.content, sources, has_image=has_image) or []
    lines = [f"- {_escape(text)}{f' [{cite}]' if cite else ''}" for text, cite in pieces]
    lines += _attribute_table(question.content, sources, has_image=has_image)
    if not lines:
        return None
    return "\n".join([FACTS_START, *lines, FACTS_END])


def _attribute_table(question: str, sources: Sequence[SearchHit], *, has_image: bool) -> list[str]:
    """For a superlative or comparison: each product's value of the attribute asked, cited."""
    kind = detect_kind(question, has_image=has_image)
    if kind.kind not in {"superlative", "compare"}:
        return []
    products = products_in(sources)
    pool = (
        named_products(question, products)
        if kind.kind == "compare"
        else in_asked_category(question, products)[1]
    )
    if len(pool) < 2:
        return []
    asked = size_attribute(pool) if kind.attribute == "size" else kind.attribute
    attributes = ["price"] if asked in (None, "price") else ["price", asked]
    if kind.kind == "compare" and asked is None:
        attributes = ["price", "weight"]
    header = ["product", *attributes, "source"]
    lines = [_row(header), _row(["---"] * len(header))]
    lines += [_product_row(p, attributes) for p in pool[:_TABLE_ROWS]]
    return lines


def _product_row(product: Product, attributes: list[str]) -> str:
    values = [v.text if (v := product.value_of(a)) is not None else "not given" for a in attributes]
    return _row([_escape(product.name), *values, f"[{product.citation}]"])


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |"


def _escape(text: str) -> str:
    return " ".join(text.split()).replace("<", "&lt;").replace(">", "&gt;")
