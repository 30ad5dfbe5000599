"""Lookups of one product's attribute: "How much does the Bivvy Solo 1 Tent weigh?".

The answer is the product's typed attribute (read at ingestion from all of its record, or from the
sources' text), stated first and cited to the record, with the sentence it came from, so the fact
does not depend on which of the record's chunks the search happened to return.

Usage::

    pieces = attribute_answer("How heavy is the Bivvy Solo 1 Tent?", hits)
    # [('The Halvard Bivvy Solo 1 Tent ($229.00), weight: 1.1 kg ("It packs to 1.1 kg.")',
    #   "products.csv#id=1")]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from chat.models.compose_products import LABELS
from chat.models.products import Product, asked_kind, named_products, products_in
from chat.models.terms import normalise
from ridgeline.types import SearchHit

Piece = tuple[str, str]

# Which attribute a question asks about, first match wins (no superlative: those rank products).
_ASKED: tuple[tuple[str, str], ...] = (
    ("weight", r"\bweigh(?:s|t)?\b|\bhow heavy\b"),
    ("persons", r"\bhow many (?:people|persons|campers)\b|\bsleeps? how many\b"),
    ("volume", r"\bhow many (?:litres|liters)\b|\b(?:volume|capacity) in (?:litres|liters)\b"),
    ("waterproof", r"\bwaterproof(?:ing)? rating\b|\bhydrostatic\b|\bhow waterproof\b"),
    ("temperature", r"\btemperature rating\b|\brated to\b|\bhow warm\b|\bcomfort (?:rating|limit)"),
    ("brightness", r"\bhow bright\b|\bhow many lumens\b|\bbrightness\b"),
    ("battery_life", r"\bbattery life\b|\brun ?time\b|\bhow long does (?:the|its|it)\b.*\blast\b"),
    ("warranty", r"\bwarranty\b|\bguarantee\b"),
    ("power", r"\bhow (?:many watts|powerful)\b|\bpower output\b|\bwattage\b"),
    ("floor_area", r"\bfloor (?:area|space)\b"),
    ("dimensions", r"\bdimensions\b|\bpacked size\b"),
    ("materials", r"\bmade (?:of|from|out of)\b|\bmaterials?\b|\bfabrics?\b"),
    # Last: "how much does it weigh" asks a weight, "how much does it cost" a price.
    ("price", r"\bcosts?\b|\bprice[ds]?\b|\bhow much (?:is|are|does|do)\b(?!.*\b(?:last|run))"),
)


def asked_attribute(question: str) -> str | None:
    """The attribute ``question`` asks about, or ``None``."""
    for attribute, pattern in _ASKED:
        if re.search(pattern, question, re.IGNORECASE):
            return attribute
    return None


def attribute_answer(question: str, sources: Sequence[SearchHit]) -> list[Piece] | None:
    """The asked attribute of the product the question names, cited, or of the one product of
    the kind it names ("how much are the sandals?" with one pair found); ``None`` when it names
    neither, asks no attribute, or the sources do not state it."""
    attribute = asked_attribute(question)
    if attribute is None:
        return None  # before reading the products: most lookups ask no attribute
    products = products_in(sources)
    named = named_products(question, products)
    if len(named) > 1:
        return None
    if not named:
        kind = asked_kind(question, products)
        named = [p for p in products if kind and p.kind == kind and not _names_another(question, p)]
    if len(named) != 1:
        return None  # "how much does a tent weigh?" over three tents: the lookup quotes
    piece = _stated(named[0], attribute)
    return [piece] if piece else None


def _names_another(question: str, product: Product) -> bool:
    """Whether the question calls the product by a name it does not have: a capitalised word
    within a sentence ("the MountainDream sleeping bag") that its name does not hold."""
    # Not "I", nor a word that opens a sentence ("Thanks. How much...").
    names = re.findall(r"(?<![.!?]\s)(?<=\s)[A-Z][\w-]+", question)
    return any(normalise(name) not in product.name_terms for name in names)


def _stated(product: Product, attribute: str) -> Piece | None:
    if attribute == "materials":
        return _materials(product)
    value = product.value_of(attribute)
    if value is None:
        return None
    if attribute == "price":
        verb = "cost" if re.search(r"[^s]s$", product.name) else "costs"  # "Hiking Sandals"
        return f"The {product.name} {verb} {product.shown_price}.", product.citation
    label = LABELS.get(attribute, attribute)
    said = f'The {product.name} ({product.shown_price}), {label}: {value.text} ("{value.sentence}")'
    return said, product.citation


def _materials(product: Product) -> Piece | None:
    """The materials the record names, with the first sentence that names one."""
    names = product.materials
    if names is None:
        return None
    sentence = product.attributes["materials"][0].sentence
    said = f'The {product.name} ({product.shown_price}), materials: {names} ("{sentence}")'
    return said, product.citation
