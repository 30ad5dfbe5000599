"""Words that ask for the highest or lowest value of an attribute ("the lightest", "cheaper").

Shared by the planner (a superlative over a category needs every product of the category in the
sources, not the top five) and the chat composers (which attribute, which end wins).

Usage::

    superlative_of("Which is the lightest tent?")  # ("weight", "min")
"""

from __future__ import annotations

import re
from typing import Literal

Direction = Literal["min", "max"]
Table = tuple[tuple[str, str, Direction], ...]

# "size" is resolved to the size attribute the compared products actually state.
SUPERLATIVES: Table = (
    (r"lightest|least heavy|weighs? the least|lowest weight", "weight", "min"),
    (r"heaviest|weighs? the most", "weight", "max"),
    (r"cheapest|least expensive|most affordable|lowest price|lowest-priced", "price", "min"),
    (r"most expensive|priciest|highest price|dearest", "price", "max"),
    (
        r"most waterproof|most water-resistant|highest (?:waterproof|hydrostatic)",
        "waterproof",
        "max",
    ),
    (r"warmest|lowest temperature|coldest (?:rating|temperature)", "temperature", "min"),
    (r"brightest|most lumens|most light", "brightness", "max"),
    (
        r"longest battery|longest[- ]lasting|longest run|lasts? (?:the )?longest",
        "battery_life",
        "max",
    ),
    (r"longest warranty|best warranty", "warranty", "max"),
    (r"most powerful|highest (?:power|output)", "power", "max"),
    (r"sleeps the most|most people|most persons", "persons", "max"),
    (r"most floor (?:space|area)|largest floor|biggest floor", "floor_area", "max"),
    (
        r"largest|biggest|roomiest|most spacious|holds the most|most (?:space|room|capacity)",
        "size",
        "max",
    ),
    (r"smallest|most compact|least (?:space|room)", "size", "min"),
)
COMPARATIVES: Table = (
    (r"lighter", "weight", "min"),
    (r"heavier", "weight", "max"),
    (r"cheaper|less expensive|more affordable|costs? less", "price", "min"),
    (r"more expensive|pricier|costs? more", "price", "max"),
    (r"more waterproof", "waterproof", "max"),
    (r"warmer", "temperature", "min"),
    (r"brighter", "brightness", "max"),
    (r"bigger|larger|roomier|holds more", "size", "max"),
    (r"smaller", "size", "min"),
)
_COMPARE = re.compile(r"\bcompare\b|\bvs\.?\b|\bversus\b|\bdifference between\b", re.IGNORECASE)


def first_match(table: Table, text: str) -> tuple[str, Direction] | None:
    """The attribute and direction of the first entry of ``table`` that ``text`` says."""
    for pattern, attribute, direction in table:
        if re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE):
            return attribute, direction
    return None


def superlative_of(text: str) -> tuple[str, Direction] | None:
    return first_match(SUPERLATIVES, text)


def asks_to_rank(text: str) -> bool:
    """Whether ``text`` asks to rank or compare products (a superlative, "compare", "cheaper")."""
    return bool(superlative_of(text) or _COMPARE.search(text) or first_match(COMPARATIVES, text))
