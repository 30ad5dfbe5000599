"""Composers over the catalog products among the sources: recommendations, superlatives,
comparisons and identifications. Each returns cited pieces ``(sentence, citation)``, or ``None``
when it cannot answer from the sources (the caller then quotes sentences instead).

Usage::

    pieces = superlative(products_in(hits), "Which is the lightest tent?", "weight", "min")
    # [("The lightest of the 3 tents found is the Halvard Ptarmigan 2 Tent ($389.00): it
    #   weighs 1.62 kg.", "products.csv#id=2"), ...]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chat.models.products import (
    Product,
    asked_kind,
    in_asked_category,
    kind_name,
    named_products,
    size_attribute,
)
from chat.models.terms import content_terms, normalise
from retrieval.query.constraints import extract_constraints
from ridgeline.attribute_fields import attribute_field
from ridgeline.attributes import Attribute
from ridgeline.types import AttributeRange

Piece = tuple[str, str]

LABELS = {
    "weight": "weight",
    "price": "price",
    "waterproof": "waterproof rating",
    "temperature": "temperature rating",
    "brightness": "brightness",
    "battery_life": "battery life",
    "warranty": "warranty",
    "power": "power",
    "persons": "capacity",
    "volume": "capacity",
    "floor_area": "floor area",
    "dimensions": "size",
    "materials": "materials",
}
_WORDS = {
    ("weight", "min"): "lightest",
    ("weight", "max"): "heaviest",
    ("price", "min"): "cheapest",
    ("price", "max"): "most expensive",
    ("waterproof", "max"): "most waterproof",
    ("temperature", "min"): "warmest (lowest temperature rating)",
    ("brightness", "max"): "brightest",
    ("battery_life", "max"): "longest-running",
    ("warranty", "max"): "best-warranted",
    ("power", "max"): "most powerful",
}
# "for a family" or "for two" asks for room for that many people.
_PEOPLE = re.compile(
    r"\bfor (?:a |my )?family\b|\bfor (\d+|two|three|four|five|six) (?:people|persons|of us)\b"
    r"|\b(\d+|two|three|four|five|six)[- ]person\b",
    re.IGNORECASE,
)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_SHOWN_UNITS = {"m**2": "m²", "degC": "°C", "lumen": "lm", "hour": "h", "year": "years"}


def _cite(product: Product, text: str) -> Piece:
    return text, product.citation


def _fact(attribute: Attribute) -> str:
    return attribute.text


def superlative(
    products: list[Product], question: str, attribute: str, direction: str
) -> list[Piece] | None:
    """The product with the highest or lowest ``attribute`` in the asked category."""
    category, pool = in_asked_category(question, products)
    if not pool:
        return None
    if attribute == "size":
        attribute = size_attribute(pool)
    valued = [(p, a) for p in pool if (a := p.value_of(attribute)) is not None]
    if not valued:
        return _unranked(pool, category, attribute)
    ordered = sorted(valued, key=lambda pa: float(pa[1].value), reverse=direction == "max")
    best, fact = ordered[0]
    word = _WORDS.get((attribute, direction), f"{'largest' if direction == 'max' else 'smallest'}")
    what = (category or "products").lower()
    label = LABELS.get(attribute, attribute)
    lacking = [p.name for p in pool if p.value_of(attribute) is None]
    if len(valued) < 2:
        lead = (
            f"Only one of the {what} found has a {label}, so it cannot be ranked: the {best.name}"
        )
    elif lacking:  # a product without the value may beat the winner: say what was compared
        lead = (
            f"Of the {len(valued)} {what} whose {label} the sources give, the {word} is the "
            f"{best.name}"
        )
    else:
        lead = f"The {word} of the {len(pool)} {what} found is the {best.name}"
    pieces = [_cite(best, f"{lead} ({best.shown_price}): {label} {_fact(fact)}.")]
    pieces += [_cite(p, f"The {p.name} ({p.shown_price}): {_fact(a)}.") for p, a in ordered[1:3]]
    if lacking:
        note = f"The sources found give no {label} for the {', '.join(lacking)}."
        pieces.append((note, ""))
    return pieces


def _unranked(pool: list[Product], category: str | None, attribute: str) -> list[Piece] | None:
    """Says that none of the products found states the attribute ranked by, naming them, so
    the reader knows what was looked at; None for fewer than two (nothing to rank)."""
    if len(pool) < 2:
        return None
    what = (category or "products").lower()
    label = LABELS.get(attribute, attribute)
    lead = f"None of the {len(pool)} {what} found states its {label}, so none can be named:"
    return [(lead, ""), *(_cite(p, f"The {p.name} ({p.shown_price}).") for p in pool[:5])]


def compare(
    products: list[Product], question: str, attribute: str | None, direction: str | None
) -> list[Piece] | None:
    """The named products side by side on the attribute asked, or, when none is asked, on
    price and every measure and material either of them states."""
    named = named_products(question, products)
    if len(named) < 2:
        return None
    named = named[:3]
    attributes = [attribute] if attribute else _stated(named)
    if attribute == "size":
        attributes = [size_attribute(named)]
    pieces = []
    for product in named:
        facts = [f"{LABELS.get(a, a)} {fact}" for a in attributes if (fact := _shown(product, a))]
        shown = "; ".join(facts) if facts else "none of the compared facts is given"
        pieces.append(_cite(product, f"The {product.name}: {shown}."))
    if attribute and direction and attribute != "size":
        valued = [(p, v) for p in named if (v := p.value_of(attribute)) is not None]
        if len(valued) >= 2:
            winner = sorted(valued, key=lambda pv: float(pv[1].value), reverse=direction == "max")
            word = _WORDS.get((attribute, direction), "first")
            pieces.insert(0, _cite(winner[0][0], f"The {winner[0][0].name} is the {word}."))
    for label, lacking in _lacking(named, attributes):
        pieces.append((f"The sources found give no {label} for the {lacking}.", ""))
    return pieces


def facts_of(named: list[Product]) -> list[Piece] | None:
    """The one named product's price, measures and materials, cited; None unless exactly one
    that states any of them."""
    if len(named) != 1:
        return None
    product = named[0]
    facts = [f"{LABELS.get(a, a)} {fact}" for a in _stated(named) if (fact := _shown(product, a))]
    if not facts:
        return None
    return [_cite(product, f"The {product.name}: {'; '.join(facts)}.")]


def _stated(products: list[Product]) -> list[str]:
    """Price, then each measure (in :data:`LABELS` order) and materials that any of
    ``products`` states: what a comparison with no attribute asked shows."""
    measures = [a for a in LABELS if a != "price" and any(p.value_of(a) for p in products)]
    words = ["materials"] if any(p.attributes.get("materials") for p in products) else []
    return ["price", *measures, *words]


def _shown(product: Product, attribute: str) -> str | None:
    """The product's value of ``attribute`` as written (materials listed), or None."""
    if attribute == "materials":
        return product.materials
    value = product.value_of(attribute)
    return value.text if value is not None else None


def _lacking(products: list[Product], attributes: list[str]) -> list[tuple[str, str]]:
    """(label, names) for each compared attribute some of ``products`` do not state."""
    found = []
    for attribute in attributes:
        lacking = [p.name for p in products if _shown(p, attribute) is None]
        if lacking and len(lacking) < len(products):
            found.append((LABELS.get(attribute, attribute), " or the ".join(lacking)))
    return found


@dataclass(frozen=True)
class _Needs:
    category: str | None
    # The kind of product asked for by the last word of product names ("a jacket"), when the
    # question names no category: "Hiking Clothing" also holds pants.
    kind: str | None
    max_price: float | None
    min_price: float | None
    persons: float | None
    # Measures the question asks for ("under 2 kg", "rated to -10 C"), in canonical units.
    ranges: tuple[AttributeRange, ...] = ()


def _needs(question: str, products: list[Product], default_category: str | None) -> _Needs:
    categories = sorted({p.category for p in products if p.category})
    found = extract_constraints(question, categories=categories)
    values = {c.kind: c.value for c in found.matched}
    persons = None
    if people := _PEOPLE.search(question):
        count = people.group(1) or people.group(2)
        persons = 3.0 if count is None else float(_COUNTS.get(count.lower(), count))
    # People are counted by _PEOPLE above, which also reads "for a family".
    ranges = tuple(c.range for c in found.matched if c.range and c.range.name != "persons")
    category = values.get("category")
    category = str(category) if category is not None else default_category
    return _Needs(
        category=category,
        kind=None if category else asked_kind(question, products),
        max_price=_float(values.get("max_price")),
        min_price=_float(values.get("min_price")),
        persons=persons,
        ranges=ranges,
    )


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _misses(product: Product, needs: _Needs) -> list[str]:
    """Why ``product`` does not meet ``needs`` (empty when it does)."""
    misses = []
    if needs.category and product.category != needs.category:
        misses.append(f"it is not in {needs.category}")
    if needs.kind and product.kind != needs.kind:
        misses.append(f"it is not a {needs.kind}")
    if needs.max_price is not None and (product.price is None or product.price > needs.max_price):
        over = f"${product.price - needs.max_price:,.2f} over" if product.price else "unpriced"
        misses.append(f"it costs {product.shown_price}, {over} the ${needs.max_price:,.0f} budget")
    if needs.min_price is not None and (product.price is None or product.price < needs.min_price):
        misses.append(f"it costs {product.shown_price}, under ${needs.min_price:,.0f}")
    if needs.persons is not None:
        persons = product.value_of("persons")
        if persons is None or float(persons.value) < needs.persons:
            misses.append(f"it is not said to fit {needs.persons:.0f} people")
    misses.extend(m for bound in needs.ranges if (m := _range_miss(product, bound)))
    return misses


def _range_miss(product: Product, bound: AttributeRange) -> str | None:
    """Why ``product`` is outside ``bound``, or None when it is inside."""
    spec = attribute_field(bound.name)
    label = LABELS.get(spec.attribute, spec.attribute)
    unit = _SHOWN_UNITS.get(spec.unit, spec.unit)
    value = product.value_of(spec.attribute)
    if value is None:
        return f"no {label} is given for it"
    number = float(value.value)
    if bound.max is not None and number > bound.max:
        return f"its {label} is {value.text}, above the {bound.max:g} {unit} asked"
    if bound.min is not None and number < bound.min:
        return f"its {label} is {value.text}, below the {bound.min:g} {unit} asked"
    return None


def recommend(
    products: list[Product], question: str, *, like_category: str | None = None
) -> list[Piece] | None:
    """Up to three products meeting the question's constraints, best ranked first; when none
    does, says so and names the closest option and what it misses."""
    if not products:
        return None
    needs = _needs(question, products, like_category)
    fitting = _for_the_use(question, [p for p in products if not _misses(p, needs)])
    if fitting:
        lead = "These match your request:" if len(fitting) > 1 else "This matches your request:"
        pieces: list[Piece] = [(lead, "")]
        pieces += [_cite(p, _recommendation(p, needs)) for p in fitting[:3]]
        return pieces
    in_category = [
        p
        for p in products
        if (not needs.category or p.category == needs.category)
        and (not needs.kind or p.kind == needs.kind)
    ]
    closest = min(in_category or products, key=lambda p: _distance(p, needs))
    kind = kind_name(needs.kind, products) if needs.kind else "products"
    what = (needs.category or kind).lower()
    return [
        (f"None of the {what} found meets every constraint.", ""),
        _cite(
            closest,
            f"The closest is the {closest.name} ({closest.shown_price}), but "
            f"{' and '.join(_misses(closest, needs))}.",
        ),
    ]


# Words that ask for a recommendation or name a budget, not what the product is for.
_ASKING_TEXT = """
    recommend suggest need want looking look like buy get got good best any have sell carry
    stock after something anything one product thing item budget cheap price under below less
    than dollar
"""
_ASKING = frozenset(normalise(word) for word in _ASKING_TEXT.split())


def _for_the_use(question: str, fitting: list[Product]) -> list[Product]:
    """The fitting products whose record says most of what the question wants them for ("a
    stove for car camping": the one whose description says car camping), best first; all of
    them when none says any of it."""
    names = frozenset(term for p in fitting for term in p.name_terms | {p.kind})
    categories = frozenset(t for p in fitting if p.category for t in content_terms(p.category))
    # Numbers are budgets and measures, checked as constraints ("under $70" is not "70 hours").
    use = {t for t in content_terms(question) - _ASKING - names - categories if not t.isdigit()}
    if not use or not fitting:
        return fitting
    said = {id(p): len(use & content_terms(f"{p.name} {p.description}")) for p in fitting}
    best = max(said.values())
    return fitting if best == 0 else [p for p in fitting if said[id(p)] == best]


def _distance(product: Product, needs: _Needs) -> tuple[int, float, int]:
    """Fewest misses first, then the smallest overshoot (of the budget and of each measure,
    as a fraction of what was asked), then the best rank."""
    over = 0.0
    if needs.max_price is not None and product.price is not None and needs.max_price > 0:
        over = max(0.0, product.price - needs.max_price) / needs.max_price
    for bound in needs.ranges:
        value = product.value_of(attribute_field(bound.name).attribute)
        if value is None:
            continue  # already counted as a miss
        number = float(value.value)
        for limit, beyond in (
            (bound.max, number - (bound.max or 0)),
            (bound.min, (bound.min or 0) - number),
        ):
            if limit is not None and beyond > 0:
                over += beyond / max(abs(limit), 1e-9)
    return len(_misses(product, needs)), over, product.rank


def _recommendation(product: Product, needs: _Needs) -> str:
    facts = []
    if needs.persons is not None and (persons := product.value_of("persons")):
        facts.append(persons.text)
    for bound in needs.ranges:
        if value := product.value_of(attribute_field(bound.name).attribute):
            facts.append(value.text)
    extra = f"; {', '.join(facts)}" if facts else ""
    if not product.description:  # only the record's picture was found: no prose to quote
        return f"The {product.name} ({product.shown_price}){extra}."
    summary = _first_sentence(product.description)
    return f"The {product.name} ({product.shown_price}){extra}: {summary}"


def _first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    return sentence if sentence.endswith((".", "!", "?")) else f"{sentence}."


def identify(products: list[Product], best_score: float) -> list[Piece] | None:
    """ "This looks like the X ($Y)", from the best-ranked product, with the match strength."""
    if not products:
        return None
    best = products[0]
    strength = "a close match" if best.rank == 0 else "the nearest catalog match"
    return [
        _cite(
            best,
            f"This looks like the {best.name} ({best.shown_price}), {strength} "
            f"(search score {best_score:.2f}): {_first_sentence(best.description)}",
        )
    ]
