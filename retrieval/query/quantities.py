"""Quantities with units in a question become attribute ranges in canonical units.

"a tent under 2 kg" -> weight_kg <= 2; "a sleeping bag rated to -10 C" -> temperature_c <= -10
(a bag rated lower is warmer); "at least 3000 mm" -> waterproof_mm >= 3000; "for 4 people" ->
persons >= 4. A number needs its unit to become a quantity: prices (with "$") and years are
read by :mod:`retrieval.query.constraints` before this runs, and a bare number is left alone.

    >>> [(r.name, r.min, r.max) for r, _ in quantity_ranges("a tent under 2 kg for 3 people")]
    [('weight_kg', None, 2.0), ('persons', 3.0, None)]
"""

from __future__ import annotations

import re

from ridgeline.attribute_fields import attribute_field
from ridgeline.attributes import to_unit
from ridgeline.types import AttributeRange

# Unit words (as pint reads them) -> the stored field and its unit. Longest spellings first,
# so "kg" is not read as "g" and "lumens" not as "l".
_UNITS: tuple[tuple[str, str, str], ...] = (
    (r"kilograms?|kg", "weight_kg", "kg"),
    (r"grams?|g", "weight_kg", "g"),
    (r"pounds?|lbs?", "weight_kg", "lb"),
    (r"ounces?|oz", "weight_kg", "oz"),
    (r"lumens?|lm", "brightness_lm", "lumen"),
    (r"litres?|liters?|l", "volume_l", "L"),
    (r"mm", "waterproof_mm", "mm"),
    (r"watts?|w", "power_w", "W"),
    (r"hours?|hrs?|h", "battery_h", "hour"),
    (r"°\s?c|degrees? c(?:elsius)?|c", "temperature_c", "c"),
    (r"°\s?f|degrees? f(?:ahrenheit)?|f", "temperature_c", "f"),
    (r"square met(?:re|er)s?|m2|m²|sq\.? ?m", "floor_area_m2", "m**2"),
)
_UNIT = "|".join(f"(?:{pattern})" for pattern, _, _ in _UNITS)
_QUANTITY = rf"(-?\d+(?:[.,]\d+)?)\s?({_UNIT})(?![a-z0-9])"
_AT_MOST = r"under|below|less than|lighter than|at most|no more than|up to|max(?:imum)?|rated to"
_AT_LEAST = r"over|above|more than|at least|greater than|min(?:imum)?|no less than"
_BOUND = re.compile(rf"\b({_AT_MOST}|{_AT_LEAST})\s+{_QUANTITY}|([<>])=?\s*{_QUANTITY}", re.I)
_PEOPLE = re.compile(
    r"\b(?:for|sleeps|fits)\s+(\d+)\s+(?:people|persons|adults|campers)\b|\b(\d+)[- ]person\b",
    re.IGNORECASE,
)


def _field(unit: str) -> tuple[str, str]:
    for pattern, field, pint_unit in _UNITS:
        if re.fullmatch(pattern, unit, re.IGNORECASE):
            return field, pint_unit
    raise ValueError(f"not a unit: {unit!r}")  # the pattern only matches listed units


def _range(word: str, number: str, unit: str) -> AttributeRange:
    field, pint_unit = _field(unit.strip())
    value = to_unit(float(number.replace(",", ".")), pint_unit, attribute_field(field).unit)
    if word in "<>":
        at_most = word == "<"
    else:
        at_most = re.fullmatch(_AT_MOST, word, re.IGNORECASE) is not None
    return (
        AttributeRange(name=field, max=value) if at_most else AttributeRange(name=field, min=value)
    )


def quantity_ranges(text: str) -> list[tuple[AttributeRange, str]]:
    """Each attribute range ``text`` asks for, with the words that asked it."""
    found: list[tuple[AttributeRange, str]] = []
    for match in _BOUND.finditer(text):
        word, number, unit = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
        found.append((_range(word, number, unit), match.group(0).strip()))
    for match in _PEOPLE.finditer(text):
        count = float(match.group(1) or match.group(2))
        found.append((AttributeRange(name="persons", min=count), match.group(0).strip()))
    return found
