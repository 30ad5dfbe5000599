"""Product catalogs in CSV or JSON: one page per record, cited as ``products.csv#id=N``.

A JSON file is a catalog when it holds a list of objects with a ``name`` (at the top level, or as
the single list inside a wrapper object such as ``{"products": [...]}``). Any other JSON (a
customer record, a configuration) is not a catalog: it becomes one text page holding the
pretty-printed document, so that it is still searchable.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from ingestion.parsers.catalog_record import record_pages
from ingestion.parsers.text_files import read_text_file
from ridgeline.errors import CorruptFileError
from ridgeline.types import Page


def _delimiter(header_line: str) -> str:
    # Judged on the header only: data cells may legitimately hold ';' (image lists) or tabs.
    for candidate in (",", "\t", ";"):
        if candidate in header_line:
            return candidate
    return ","


def _csv_rows(text: str, path: Path) -> Iterator[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(text.split("\n", 1)[0]))
    if not reader.fieldnames or not any(name.strip() for name in reader.fieldnames):
        raise CorruptFileError(path, "the CSV has no header row")
    try:
        for number, row in enumerate(reader, start=1):
            if None in row:  # DictReader files surplus cells under the key None
                raise CorruptFileError(
                    path, f"row {number} has more cells than the header has columns"
                )
            yield row
    except csv.Error as exc:
        raise CorruptFileError(path, f"CSV error near line {reader.line_num}: {exc}") from exc


class CsvCatalogParser:
    """Parses a ``.csv`` catalog with a header row (comma, tab or semicolon separated).

    >>> parser = CsvCatalogParser()
    >>> pages = list(parser.parse(Path("products.csv"), source="products.csv"))  # doctest: +SKIP
    >>> pages[0].record_id, pages[0].fields["price"]  # doctest: +SKIP
    ('1', 250.0)
    """

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        text = read_text_file(path)
        yield from record_pages(_csv_rows(text, path), path=path, source=source)


def _is_record_list(value: object) -> bool:
    return (
        isinstance(value, list)
        and all(isinstance(item, dict) for item in value)
        and any("name" in {str(key).lower() for key in item} for item in value)
    )


def catalog_records(document: object) -> list[Mapping[str, object]] | None:
    """The records if ``document`` is a catalog, else ``None``."""
    if isinstance(document, list):
        return document if not document or _is_record_list(document) else None
    if not isinstance(document, dict):
        return None
    if {"id", "name"} & {str(key).lower() for key in document}:
        return None  # an object with an identity of its own is a record, not a wrapper
    lists = [value for value in document.values() if isinstance(value, list)]
    if len(lists) == 1 and _is_record_list(lists[0]):
        return lists[0]
    return None


class JsonCatalogParser:
    """Parses a ``.json`` catalog; JSON that is not a catalog becomes one pretty-printed page."""

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        try:
            document = json.loads(read_text_file(path))
        except json.JSONDecodeError as exc:
            raise CorruptFileError(
                path, f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
            ) from exc
        records = catalog_records(document)
        if records is None:
            yield Page(source=source, text=json.dumps(document, indent=2, ensure_ascii=False))
            return
        yield from record_pages(records, path=path, source=source)
