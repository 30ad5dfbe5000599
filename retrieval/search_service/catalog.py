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
from lancedb.index import FTS
from lancedb.table import Table

from retrieval.search_service.errors import ServiceError, bad_request, not_found
from retrieval.search_service.index_definition import IndexDefinition, parse_definition

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
        """Create or update an index; True if it was created. Fields cannot change."""
        with self.lock:
            if not self._path(definition.name).is_file():
                self.create(definition)
                return True
            current = self.get(definition.name)
            if _fields_of(current) != _fields_of(definition):
                raise bad_request(
                    f"the fields of index '{definition.name}' cannot be changed by the local "
                    "service: delete and recreate the index"
                )
            self._write(definition)
            return False

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
