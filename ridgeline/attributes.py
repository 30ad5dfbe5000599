"""Typed product attributes read from catalog fields and product prose.

Weight, dimensions, floor area, capacity (persons, litres), waterproof rating, temperature rating,
power, brightness, battery life, materials, colours and warranty length are found with patterns,
their numbers normalised to one unit per attribute with ``pint``, and each keeps the sentence it
came from so an answer can quote and cite it.

Usage::

    attrs = extract_attributes("It packs to 1.1 kg. The floor has a 3000 mm hydrostatic head.")
    attrs["weight"][0].value        # 1.1 (kilograms)
    attrs["waterproof"][0].sentence  # "The floor has a 3000 mm hydrostatic head."
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pint

# The unit each numeric attribute is stored in.
CANONICAL_UNITS: dict[str, str] = {
    "weight": "kg",
    "dimensions": "cm",
    "floor_area": "m**2",
    "persons": "",
    "volume": "L",
    "waterproof": "mm",
    "temperature": "degC",
    "power": "W",
    "brightness": "lumen",
    "battery_life": "hour",
    "warranty": "year",
}
TEXT_ATTRIBUTES = ("materials", "colours")

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "ten": 10,
}
_COUNT = r"(\d+|one|two|three|four|five|six|seven|eight|ten)"

# (pattern, unit for pint); the first group is the number.
_WEIGHT = re.compile(
    _NUMBER + r"\s?(kg|kilograms?|g|grams?|lbs?|pounds?|oz|ounces?)\b", re.IGNORECASE
)
_DIMENSIONS = re.compile(
    _NUMBER + r"\s?x\s?" + _NUMBER + r"(?:\s?x\s?" + _NUMBER + r")?\s?(cm|mm|m|in|inches|ft)\b",
    re.IGNORECASE,
)
_AREA = re.compile(
    _NUMBER + r"\s?(square met(?:re|er)s?|sq\.? ?m|m²|m2|square feet|sq\.? ?ft)\b", re.IGNORECASE
)
_PERSONS = re.compile(
    _COUNT + r"[- ](?:person|people|man)\b|\b(?:sleeps|for|fits)\s" + _COUNT + r"(?:\s(?:people|"
    r"persons|occupants|campers|adults))",
    re.IGNORECASE,
)
_VOLUME = re.compile(_NUMBER + r"\s?-?(l|litres?|liters?)\b", re.IGNORECASE)
_WATERPROOF = re.compile(
    _NUMBER + r"\s?mm\b(?=[^.]*?(?:hydrostatic|waterproof|head|coat|fly|water column))"
)
_TEMPERATURE = re.compile(r"(-?\d+(?:\.\d+)?)\s?°?\s?(C|F)\b(?![a-z])")
_POWER = re.compile(_NUMBER + r"\s?(kW|W|watts?|BTU(?:/h| per hour)?)\b", re.IGNORECASE)
_BRIGHTNESS = re.compile(_NUMBER + r"\s?(lumens?|lm)\b", re.IGNORECASE)
_HOURS = re.compile(_NUMBER + r"\s?(hours?|hrs?|h)\b", re.IGNORECASE)
_BATTERY_CONTEXT = re.compile(r"batter|run ?time|runs?\b|burn|charge|lasts?", re.IGNORECASE)
_WARRANTY = re.compile(
    r"\b(lifetime|" + _COUNT + r")[- ](year|month)s?(?:[- ]limited)?[- ]warranty|warranty"
    r"(?: of| for)? " + _COUNT + r" (year|month)s?|\b(lifetime)\b[^.]*\bwarranty",
    re.IGNORECASE,
)
_MATERIALS = (
    "silnylon",
    "nylon",
    "polyester",
    "ripstop",
    "aluminium",
    "aluminum",
    "fibreglass",
    "fiberglass",
    "titanium",
    "stainless steel",
    "steel",
    "goose down",
    "duck down",
    "down",
    "synthetic",
    "leather",
    "suede",
    "gore-tex",
    "merino",
    "wool",
    "cotton",
    "canvas",
    "mesh",
    "polycarbonate",
    "carbon fibre",
    "carbon fiber",
    "rubber",
    "fleece",
)
_COLOURS = (
    "black",
    "white",
    "grey",
    "gray",
    "red",
    "orange",
    "yellow",
    "green",
    "olive",
    "blue",
    "navy",
    "purple",
    "pink",
    "brown",
    "tan",
    "beige",
    "khaki",
)
_COLOUR_CONTEXT = re.compile(r"colou?rs?|comes? in|available in", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


@dataclass(frozen=True)
class Attribute:
    """One fact: ``value`` in the attribute's canonical unit (or a word), as written, and where."""

    name: str
    value: float | str
    unit: str
    text: str
    sentence: str


Extractor = Callable[[str], Iterator[tuple[float | str, str]]]


@cache
def _registry() -> pint.UnitRegistry:
    # Imported on first use: the kernel's types import this module, and pint takes ~0.4 s.
    import pint

    return pint.UnitRegistry()


def to_unit(value: float, unit: str, target: str) -> float:
    """``value`` ``unit`` in ``target`` units ("1 lb" in "kg" is 0.4536)."""
    registry = _registry()
    return float(registry.Quantity(value, _pint_unit(unit)).to(target).magnitude)


_PINT_UNITS = {
    "square metre": "m**2",
    "square meter": "m**2",
    "sq m": "m**2",
    "sq. m": "m**2",
    "sqm": "m**2",
    "m²": "m**2",
    "m2": "m**2",
    "square feet": "ft**2",
    "sq ft": "ft**2",
    "sq. ft": "ft**2",
    "sqft": "ft**2",
    "c": "degC",
    "f": "degF",
    "lm": "lumen",
    "lbs": "lb",
    "litre": "L",
    "liter": "L",
    "l": "L",
    "hrs": "hour",
    "hr": "hour",
    "h": "hour",
    "btu": "BTU/hour",
    "btu/h": "BTU/hour",
    "btu per hour": "BTU/hour",
    "in": "inch",
    "inche": "inch",
    "inches": "inch",
}


def _pint_unit(unit: str) -> str:
    lowered = unit.lower()
    if lowered in _PINT_UNITS:
        return _PINT_UNITS[lowered]
    singular = lowered[:-1] if lowered.endswith("s") and len(lowered) > 2 else lowered
    if singular in _PINT_UNITS:
        return _PINT_UNITS[singular]
    # Case matters for prefixes ("kW" is not "kw"); long names read in lower case.
    return singular if len(singular) > 2 else unit


def _number(text: str) -> float:
    if text.lower() in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[text.lower()])
    return float(text.replace(",", "") if len(text.split(",")[-1]) == 3 else text.replace(",", "."))


def _measured(pattern: re.Pattern[str], target: str) -> Extractor:
    def extract(sentence: str) -> Iterator[tuple[float | str, str]]:
        for match in pattern.finditer(sentence):
            if _pint_unit(match.group(2)) not in _registry():
                continue  # a word the pattern took for a unit that pint does not know
            yield to_unit(_number(match.group(1)), match.group(2), target), match.group(0)

    return extract


# A mass that is not the product's own: a load it carries ("rated for loads up to 25 kg"), fabric
# density ("200 g/m2"), breathability ("20000 g/m2/24h") or fuel it burns ("465 g propane
# cylinders").
_NOT_OWN_MASS_BEFORE = re.compile(
    r"\b(?:loads?|carr(?:y|ies|ying)|capacity|rated for|up to|holds?|supports?|max(?:imum)?)\W+"
    r"(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)
_NOT_OWN_MASS_AFTER = re.compile(
    # "200 g/m2" and "per square metre" are a fabric's; "1.28 kg per pair" is the boots' own.
    r"^\s?(?:/|per\b(?!\s+pair\b))"
    r"|^\s+(?:\w+\s+)?(?:cylinders?|canisters?|cartridges?|bottles?|tanks?)\b",
    re.IGNORECASE,
)


def _own_weight(sentence: str) -> Iterator[tuple[float | str, str]]:
    for match in _WEIGHT.finditer(sentence):
        before, after = sentence[: match.start()], sentence[match.end() :]
        if _NOT_OWN_MASS_BEFORE.search(before) or _NOT_OWN_MASS_AFTER.match(after):
            continue
        if _pint_unit(match.group(2)) in _registry():
            yield to_unit(_number(match.group(1)), match.group(2), "kg"), match.group(0)


def _dimensions(sentence: str) -> Iterator[tuple[float | str, str]]:
    # The largest side stands for the product's size; the text keeps every side.
    for match in _DIMENSIONS.finditer(sentence):
        sides = [_number(side) for side in match.groups()[:3] if side]
        yield to_unit(max(sides), match.group(4), "cm"), match.group(0)


def _persons(sentence: str) -> Iterator[tuple[float | str, str]]:
    for match in _PERSONS.finditer(sentence):
        count = match.group(1) or match.group(2)
        yield _number(count), match.group(0)


def _waterproof(sentence: str) -> Iterator[tuple[float | str, str]]:
    for match in _WATERPROOF.finditer(sentence):
        yield _number(match.group(1)), match.group(0)


def _battery(sentence: str) -> Iterator[tuple[float | str, str]]:
    if _BATTERY_CONTEXT.search(sentence):
        yield from _measured(_HOURS, "hour")(sentence)


def _warranty(sentence: str) -> Iterator[tuple[float | str, str]]:
    for match in _WARRANTY.finditer(sentence):
        groups = [g for g in match.groups() if g]
        if groups[0].lower() == "lifetime":
            yield 100.0, match.group(0)  # a lifetime warranty outlasts any counted one
            continue
        count, unit = _number(groups[0]), groups[-1]
        yield (count if unit.lower() == "year" else count / 12.0), match.group(0)


# Words of a vocabulary that are also common English ("folds down into a stuff sack"), found
# only where they name the material: "down" filled, insulated, feathered, or its fill power;
# never "up and down".
_MATERIAL_SENSES = {
    "down": re.compile(
        r"\bdown(?=[\s-]+(?:fill|insulat|feather|cluster|blend|proof|sleeping|jacket|parka|"
        r"quilt|bag|hood|vest|coat|pillow|duvet))"
        r"|\b(?:\d+[- ]?fill(?:[- ]power)?|fill[- ]power|premium|hydrophobic|treated|ethical|"
        r"responsibly[- ]sourced|with|of|(?<!\bup\s)(?:and|or))\s+down\b"
        r"(?![\s-]+(?:to|into|the|a|an|when|from)\b)",
        re.IGNORECASE,
    ),
}


def _words(vocabulary: tuple[str, ...], context: re.Pattern[str] | None = None) -> Extractor:
    patterns = [
        (word, _MATERIAL_SENSES.get(word) or re.compile(rf"\b{re.escape(word)}\b", re.I))
        for word in vocabulary
    ]

    def extract(sentence: str) -> Iterator[tuple[float | str, str]]:
        if context is not None and not context.search(sentence):
            return
        found: list[str] = []
        for word, pattern in patterns:
            if pattern.search(sentence) and not any(word in other for other in found):
                found.append(word)
                yield word, word

    return extract


_EXTRACTORS: dict[str, Extractor] = {
    "weight": _own_weight,
    "dimensions": _dimensions,
    "floor_area": _measured(_AREA, "m**2"),
    "persons": _persons,
    "volume": _measured(_VOLUME, "L"),
    "waterproof": _waterproof,
    "temperature": _measured(_TEMPERATURE, "degC"),
    "power": _measured(_POWER, "W"),
    "brightness": _measured(_BRIGHTNESS, "lumen"),
    "battery_life": _battery,
    "warranty": _warranty,
    "materials": _words(_MATERIALS),
    "colours": _words(_COLOURS, _COLOUR_CONTEXT),
}


def sentences_of(text: str) -> list[str]:
    """``text`` cut into sentences, lines kept apart (a plain splitter; no chat dependency)."""
    return [
        piece.strip()
        for line in text.splitlines()
        for piece in _SENTENCE.split(line)
        if piece.strip()
    ]


def extract_attributes(text: str) -> dict[str, list[Attribute]]:
    """Every attribute found in ``text``, by name, in reading order."""
    found: dict[str, list[Attribute]] = {}
    for sentence in sentences_of(text):
        for name, extractor in _EXTRACTORS.items():
            for value, written in extractor(sentence):
                unit = CANONICAL_UNITS.get(name, "")
                found.setdefault(name, []).append(
                    Attribute(name=name, value=value, unit=unit, text=written, sentence=sentence)
                )
    return found


def first_value(attributes: dict[str, list[Attribute]], name: str) -> Attribute | None:
    """The first numeric fact named ``name``, or ``None``."""
    for attribute in attributes.get(name, []):
        if isinstance(attribute.value, float):
            return attribute
    return None
