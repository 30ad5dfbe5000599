"""Documents as the protocol sends them (JSON objects) <-> rows of an index's LanceDB table.

Every value is checked against its field's type, so a bad document is refused with a 400 that
names the document key and the field, before anything is written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from retrieval.search_service.errors import bad_request
from retrieval.search_service.index_definition import (
    STRING,
    STRING_COLLECTION,
    FieldDefinition,
    IndexDefinition,
)

_KEY = re.compile(r"^[A-Za-z0-9_\-=]{1,1024}$")


def check_key(value: Any) -> str:
    """A document key: letters, digits, ``_``, ``-`` and ``=`` only, as the service requires."""
    if not isinstance(value, str) or not _KEY.match(value):
        raise bad_request(
            f"invalid document key {value!r}: keys may contain letters, digits, '_', '-', '='"
        )
    return value


def partial_row(document: dict[str, Any], definition: IndexDefinition, *, key: str) -> dict:
    """The typed values of the fields ``document`` sets (``@``-annotations are skipped)."""
    row: dict[str, Any] = {}
    for name, value in document.items():
        if name.startswith("@"):
            continue
        field = definition.field(name)
        if field is None:
            raise bad_request(f"document {key!r}: the index has no field named {name!r}")
        row[name] = _typed(value, field, key=key)
    return row


def full_row(partial: dict[str, Any], definition: IndexDefinition) -> dict[str, Any]:
    """An upload replaces the whole document: unset fields become null."""
    return {f.name: partial.get(f.name) for f in definition.fields}


def to_json(row: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    return {name: _plain(row.get(name)) for name in fields}


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist"):
        value = value.tolist()
    return list(value) if isinstance(value, tuple) else value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any, bits: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -(2**bits) <= value < 2**bits


# Per type: does a JSON value fit, and how it is stored.
_CHECKS: dict[str, Callable[[Any], bool]] = {
    STRING: lambda v: isinstance(v, str),
    STRING_COLLECTION: lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "Edm.Boolean": lambda v: isinstance(v, bool),
    "Edm.Double": _is_number,
    "Edm.Int32": lambda v: _is_int(v, 31),
    "Edm.Int64": lambda v: _is_int(v, 63),
}


def _typed(value: Any, field: FieldDefinition, *, key: str) -> Any:
    if value is None:
        if field.key:
            raise bad_request(f"document {key!r}: the key field {field.name!r} cannot be null")
        return None
    if field.is_vector:
        return _vector(value, field, key=key)
    if not _CHECKS[field.type](value):
        raise bad_request(
            f"document {key!r}: field {field.name!r} expects {field.type}, got {value!r}"
        )
    return float(value) if field.type == "Edm.Double" else value


def _vector(value: Any, field: FieldDefinition, *, key: str) -> list[float]:
    numbers = isinstance(value, list) and all(_is_number(v) for v in value)
    if not numbers:
        raise bad_request(f"document {key!r}: field {field.name!r} expects a list of numbers")
    if len(value) != field.dimensions:
        raise bad_request(
            f"document {key!r}: field {field.name!r} has {len(value)} values, "
            f"the index expects {field.dimensions}"
        )
    return [float(v) for v in value]
