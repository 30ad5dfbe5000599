"""The index definition (the JSON body of ``PUT /indexes('name')``), validated for the subset
the local service stores, and the Arrow schema of the LanceDB table that holds its documents.

Unknown properties (suggesters, analyzers, scoring profiles...) are kept and echoed back, so the
SDK round-trips its own definition; fields of unsupported types are refused with a 400.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from retrieval.search_service.errors import bad_request, not_supported

STRING = "Edm.String"
STRING_COLLECTION = "Collection(Edm.String)"
VECTOR = "Collection(Edm.Single)"
NUMERIC_TYPES = ("Edm.Int32", "Edm.Int64", "Edm.Double")
SCALAR_TYPES = {
    STRING: pa.string(),
    "Edm.Int32": pa.int32(),
    "Edm.Int64": pa.int64(),
    "Edm.Double": pa.float64(),
    "Edm.Boolean": pa.bool_(),
}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{0,127}$")
_FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,127}$")
# The metrics of the service's vector profiles, as LanceDB distance types.
DistanceType = Literal["l2", "cosine", "dot"]  # LanceDB's names
METRICS: dict[str, DistanceType] = {"cosine": "cosine", "euclidean": "l2", "dotProduct": "dot"}


class FieldDefinition(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    name: str
    type: str
    key: bool = False
    searchable: bool | None = None
    filterable: bool | None = None
    sortable: bool | None = None
    facetable: bool | None = None
    retrievable: bool | None = None
    dimensions: int | None = None
    vector_search_profile: str | None = Field(default=None, alias="vectorSearchProfile")

    @property
    def is_vector(self) -> bool:
        return self.type == VECTOR

    @property
    def is_full_text(self) -> bool:
        # The service's default for a string field is searchable.
        return self.type == STRING and self.searchable is not False

    def arrow_type(self) -> pa.DataType:
        if self.is_vector:
            return pa.list_(pa.float32(), self.dimensions or 0)
        if self.type == STRING_COLLECTION:
            return pa.list_(pa.string())
        return SCALAR_TYPES[self.type]


class IndexDefinition(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    name: str
    fields: list[FieldDefinition]
    vector_search: dict[str, Any] | None = Field(default=None, alias="vectorSearch")

    @property
    def key_field(self) -> FieldDefinition:
        return next(f for f in self.fields if f.key)

    def field(self, name: str) -> FieldDefinition | None:
        return next((f for f in self.fields if f.name == name), None)

    def full_text_fields(self) -> list[str]:
        return [f.name for f in self.fields if f.is_full_text]

    def retrievable_fields(self) -> list[str]:
        return [f.name for f in self.fields if f.retrievable is not False]

    def vector_metric(self, field: FieldDefinition) -> DistanceType:
        """The LanceDB distance type of a vector field, from its profile's algorithm."""
        search = self.vector_search or {}
        profile = _named(search.get("profiles"), field.vector_search_profile, "vector profile")
        algorithm = _named(search.get("algorithms"), profile.get("algorithm"), "algorithm")
        parameters = algorithm.get("hnswParameters") or algorithm.get("exhaustiveKnnParameters")
        metric = (parameters or {}).get("metric") or "cosine"
        if metric not in METRICS:
            raise not_supported(f"the vector metric {metric!r}")
        return METRICS[metric]

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [pa.field(f.name, f.arrow_type(), nullable=not f.key) for f in self.fields]
        )

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)


def _named(items: Any, name: str | None, what: str) -> dict[str, Any]:
    for item in items or []:
        if isinstance(item, dict) and item.get("name") == name:
            return item
    raise bad_request(f"the {what} {name!r} is not defined in vectorSearch")


def parse_definition(body: Any, *, name: str) -> IndexDefinition:
    """Validate a definition body for the index ``name``; raises ServiceError(400)."""
    if not isinstance(body, dict):
        raise bad_request("the index definition must be a JSON object")
    try:
        definition = IndexDefinition.model_validate({**body, "name": body.get("name", name)})
    except ValidationError as exc:
        raise bad_request(f"invalid index definition: {exc.errors()[0]['msg']}") from exc
    if definition.name != name:
        raise bad_request(f"the definition names {definition.name!r}, the URL {name!r}")
    _check_name(definition.name)
    _check_fields(definition)
    return definition


def _check_name(name: str) -> None:
    if not _NAME.match(name) or name != name.lower():
        raise bad_request(f"invalid index name {name!r}: use lower-case letters, digits, dashes")


def _check_fields(definition: IndexDefinition) -> None:
    names = [f.name for f in definition.fields]
    if len(set(names)) != len(names):
        raise bad_request("the index definition repeats a field name")
    keys = [f for f in definition.fields if f.key]
    if len(keys) != 1 or keys[0].type != STRING:
        raise bad_request("an index needs exactly one key field, of type Edm.String")
    for field in definition.fields:
        _check_field(definition, field)


def _check_field(definition: IndexDefinition, field: FieldDefinition) -> None:
    if not _FIELD_NAME.match(field.name):
        raise bad_request(f"invalid field name {field.name!r}")
    if field.type not in (*SCALAR_TYPES, STRING_COLLECTION, VECTOR):
        raise not_supported(f"the field type {field.type!r} (field {field.name!r})")
    if field.is_vector:
        if not field.dimensions or field.dimensions < 1:
            raise bad_request(f"the vector field {field.name!r} needs positive dimensions")
        definition.vector_metric(field)
