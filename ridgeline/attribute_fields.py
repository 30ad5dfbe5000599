"""The typed product-attribute fields every index stores, defined once.

Ingestion reads a catalog record's attributes once (:func:`record_attributes`) and every chunk
of the record carries them. Each index backend generates its columns / fields from
:data:`ATTRIBUTE_FIELDS` (name, unit, type), so LanceDB, Azure AI Search and the filters never
keep a list of their own:

    attrs = record_attributes("Halvard Bivvy\\nIt packs to 1.1 kg. Floor: 30D silnylon.")
    stored_values(attrs)["weight_kg"]    # 1.1
    stored_values(attrs)["materials"]    # ["silnylon"]
    attrs.facts[0].sentence              # "It packs to 1.1 kg." (quoted and cited by answers)

A chunk whose ``attributes`` is ``None`` was not read at ingestion (not a catalog record, or
an index written before this existed); answers fall back to reading its text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ridgeline.attributes import CANONICAL_UNITS, Attribute, extract_attributes


@dataclass(frozen=True)
class AttributeField:
    """One stored field: ``attribute`` is the extractor's name (``ridgeline.attributes``)."""

    name: str
    attribute: str
    kind: Literal["number", "strings"]
    unit: str
    description: str
    # A words field: the SearchFilters field that asks for one of its words ("material").
    filter_name: str | None = None


def _number(name: str, attribute: str, description: str) -> AttributeField:
    return AttributeField(name, attribute, "number", CANONICAL_UNITS[attribute], description)


ATTRIBUTE_FIELDS: tuple[AttributeField, ...] = (
    _number("weight_kg", "weight", "weight in kilograms"),
    _number("longest_side_cm", "dimensions", "the longest side of the stated dimensions, cm"),
    _number("floor_area_m2", "floor_area", "floor area in square metres"),
    _number("persons", "persons", "how many people it is for"),
    _number("volume_l", "volume", "capacity in litres"),
    _number("waterproof_mm", "waterproof", "hydrostatic head in millimetres"),
    _number("temperature_c", "temperature", "temperature rating in degrees Celsius"),
    _number("power_w", "power", "power in watts"),
    _number("brightness_lm", "brightness", "brightness in lumens"),
    _number("battery_h", "battery_life", "battery or burn time in hours"),
    _number("warranty_years", "warranty", "warranty length in years (lifetime = 100)"),
    AttributeField("materials", "materials", "strings", "", "materials named", "material"),
    AttributeField("colours", "colours", "strings", "", "colours it comes in", "colour"),
)
NUMERIC_FIELDS = tuple(f.name for f in ATTRIBUTE_FIELDS if f.kind == "number")
LIST_FIELDS = tuple(f.name for f in ATTRIBUTE_FIELDS if f.kind == "strings")
# SearchFilters field -> the words field it filters on ("material" -> "materials").
WORD_FILTERS = {f.filter_name: f.name for f in ATTRIBUTE_FIELDS if f.filter_name is not None}
# JSON list of every fact with the text and sentence it was read from, for citations.
SOURCES_FIELD = "attribute_sources"
STORED_FIELDS = (*(f.name for f in ATTRIBUTE_FIELDS), SOURCES_FIELD)
_BY_NAME = {f.name: f for f in ATTRIBUTE_FIELDS}
_BY_ATTRIBUTE = {f.attribute: f for f in ATTRIBUTE_FIELDS}


def attribute_field(name: str) -> AttributeField:
    """The field called ``name``; ValueError naming the known ones otherwise."""
    if name not in _BY_NAME:
        raise ValueError(f"unknown attribute {name!r}: use one of {', '.join(_BY_NAME)}")
    return _BY_NAME[name]


def field_for_attribute(attribute: str) -> AttributeField | None:
    """The stored field of an extractor's attribute ("weight" -> ``weight_kg``)."""
    return _BY_ATTRIBUTE.get(attribute)


class AttributeFact(BaseModel):
    """One fact of a record: ``value`` in the field's unit (or a word), as written, and where."""

    model_config = ConfigDict(frozen=True)

    field: str
    value: float | str
    text: str
    sentence: str


class RecordAttributes(BaseModel):
    """A record's facts in reading order; a numeric field's value is its first fact."""

    model_config = ConfigDict(frozen=True)

    facts: tuple[AttributeFact, ...] = ()

    def number(self, field: str) -> float | None:
        return next(
            (f.value for f in self.facts if f.field == field and isinstance(f.value, float)),
            None,
        )

    def words(self, field: str) -> list[str]:
        return list(dict.fromkeys(str(f.value) for f in self.facts if f.field == field))

    def as_extracted(self) -> dict[str, list[Attribute]]:
        """The facts in the shape :func:`ridgeline.attributes.extract_attributes` returns."""
        found: dict[str, list[Attribute]] = {}
        for fact in self.facts:
            spec = _BY_NAME[fact.field]
            attribute = Attribute(spec.attribute, fact.value, spec.unit, fact.text, fact.sentence)
            found.setdefault(spec.attribute, []).append(attribute)
        return found


def record_attributes(text: str) -> RecordAttributes:
    """Every attribute fact of one record's text, duplicates (same value, same sentence) once."""
    facts: dict[tuple[str, float | str, str], AttributeFact] = {}
    for attribute, found in extract_attributes(text).items():
        spec = _BY_ATTRIBUTE.get(attribute)
        if spec is None:
            continue
        for item in found:
            fact = AttributeFact(
                field=spec.name, value=item.value, text=item.text, sentence=item.sentence
            )
            facts.setdefault((fact.field, fact.value, fact.sentence), fact)
    return RecordAttributes(facts=tuple(facts.values()))


def stored_values(attributes: RecordAttributes | None) -> dict[str, Any]:
    """The :data:`STORED_FIELDS` of a chunk: all null when its attributes were never read."""
    if attributes is None:
        return {name: None for name in STORED_FIELDS}
    values: dict[str, Any] = {name: attributes.number(name) for name in NUMERIC_FIELDS}
    values.update({name: attributes.words(name) for name in LIST_FIELDS})
    values[SOURCES_FIELD] = json.dumps([fact.model_dump() for fact in attributes.facts])
    return values


def attributes_from_stored(fields: Any) -> RecordAttributes | None:
    """The attributes kept in stored ``fields``; None when absent (an older index) or null."""
    raw = fields.get(SOURCES_FIELD)
    if not raw:
        return None
    return RecordAttributes(facts=tuple(AttributeFact(**fact) for fact in json.loads(raw)))
