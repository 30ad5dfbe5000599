"""The service's indexes on disk: one JSON definition and one LanceDB table per index.

    >>> catalog = IndexCatalog(Path(".ridgeline/search-service"))
    >>> created = catalog.put(definition)
    >>> definition, table = catalog.open("products")

Writes (index changes, document batches) take the catalog's lock, so concurrent requests never
interleave two commits to one table; reads need no lock (LanceDB readers see whole commits).
"""

from __future__ import annotations

import json
import os
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import lancedb
import pyarrow as pa
from lancedb.index import FTS
from lancedb.table import Table

from retrieval.search_service.errors import ServiceError, bad_request, not_found
from retrieval.search_service.index_definition import (
    FieldDefinition,
    IndexDefinition,
    parse_definition,
)

_STANDARD_ANALYZER = FTS(stem=False, remove_stop_words=False, lower_case=True, ascii_folding=False)


class IndexCatalog:
    def __init__(self, directory: Path) -> None:
        self._directory = Path(directory)
        self._db: Any = None
        self.lock = threading.RLock()

    @property
    def _definitions(self) -> Path:
        return self._directory / "definitions"

    def _connect(self) -> Any:
        if self._db is None:
            self._definitions.mkdir(parents=True, exist_ok=True)
            self._db = lancedb.connect(
                self._directory / "tables", read_consistency_interval=timedelta(0)
            )
        return self._db

    def _path(self, name: str) -> Path:
        return self._definitions / f"{name}.json"

    # -- definitions --------------------------------------------------------------------------

    def names(self) -> list[str]:
        self._connect()
        return sorted(p.stem for p in self._definitions.glob("*.json"))

    def get(self, name: str) -> IndexDefinition:
        self._connect()
        path = self._path(name)
        if not path.is_file():
            raise not_found(f"The index '{name}'")
        return parse_definition(json.loads(path.read_text(encoding="utf-8")), name=name)

    def open(self, name: str) -> tuple[IndexDefinition, Table]:
        definition = self.get(name)
        return definition, self._connect().open_table(name)

    def create(self, definition: IndexDefinition) -> None:
        """Create a new index; 409 if one of that name exists."""
        with self.lock:
            if self._path(definition.name).is_file():
                raise ServiceError(
                    409, "ResourceNameAlreadyInUse", f"The index '{definition.name}' exists."
                )
            self._create_table(definition)
            self._write(definition)

    def put(self, definition: IndexDefinition) -> bool:
        """Create or update an index; True if it was created.

        As on Azure AI Search, fields can be added (existing documents hold null in them) but
        an existing field cannot change or go.
        """
        with self.lock:
            if not self._path(definition.name).is_file():
                self.create(definition)
                return True
            added = _added_fields(self.get(definition.name), definition)
            if added:
                self._add_columns(definition.name, added)
            self._write(definition)
            return False

    def _add_columns(self, name: str, added: list[FieldDefinition]) -> None:
        table = self._connect().open_table(name)
        table.add_columns(pa.schema([pa.field(f.name, f.arrow_type()) for f in added]))
        for field in added:
            if field.is_full_text:
                table.create_index(field.name, config=_STANDARD_ANALYZER)

    def delete(self, name: str) -> None:
        with self.lock:
            path = self._path(name)
            if not path.is_file():
                raise not_found(f"The index '{name}'")
            path.unlink()
            self._connect().drop_table(name, ignore_missing=True)

    def _write(self, definition: IndexDefinition) -> None:
        # Write then rename: a reader never sees half a definition.
        path = self._path(definition.name)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(definition.as_json()), encoding="utf-8")
        os.replace(temporary, path)

    def _create_table(self, definition: IndexDefinition) -> None:
        db = self._connect()
        db.drop_table(definition.name, ignore_missing=True)  # a leftover of a failed create
        table = db.create_table(definition.name, schema=definition.arrow_schema())
        # Like the standard analyzer: lower-cased words, no stemming, no stop words.
        for field in definition.full_text_fields():
            table.create_index(field, config=_STANDARD_ANALYZER)


def _fields_of(definition: IndexDefinition) -> list[dict[str, Any]]:
    return [f.model_dump(by_alias=True, exclude_none=True) for f in definition.fields]


def _added_fields(current: IndexDefinition, wanted: IndexDefinition) -> list[FieldDefinition]:
    """The fields ``wanted`` adds to ``current``; 400 if it changes or drops one."""
    kept = {field["name"]: field for field in _fields_of(current)}
    added: list[FieldDefinition] = []
    for field, dumped in zip(wanted.fields, _fields_of(wanted), strict=True):
        if field.name not in kept:
            added.append(field)
        elif kept.pop(field.name) != dumped:
            kept[field.name] = dumped  # changed: reported below
            break
    if kept or any(field.key or field.is_vector for field in added):
        raise bad_request(
            f"the fields of index '{wanted.name}' cannot be changed or removed by the local "
            "service (fields can only be added): delete and recreate the index"
        )
    return added
