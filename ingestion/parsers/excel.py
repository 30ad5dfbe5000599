"""Excel workbooks (.xlsx): one page per sheet with the sheet as a Markdown table.

A sheet whose header row has both a ``name`` and a ``price`` column is a product catalog: each row
becomes a catalog record exactly like a CSV row (typed fields, ``book.xlsx#id=N`` citations).
Other sheets are cited ``book.xlsx#page=N`` where N is the sheet's position. Formulas are read as
their last saved values. The file is checked for zip bombs before openpyxl opens it.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from ingestion.parsers.archive_limits import ArchiveLimits, check_office_archive
from ingestion.parsers.catalog_record import record_pages
from ingestion.parsers.tables import markdown_table
from ridgeline.errors import CorruptFileError, IngestionError
from ridgeline.types import Page

Row = list[object]


def _value(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


class _Sheet(Protocol):
    """The part of an openpyxl worksheet read here (openpyxl ships no type hints)."""

    def iter_rows(self, *, values_only: bool) -> Iterable[Sequence[object]]: ...


def _rows(sheet: _Sheet) -> list[Row]:
    """Non-empty rows, with trailing empty cells cut (read-only sheets pad to the used range)."""
    rows: list[Row] = []
    for raw in sheet.iter_rows(values_only=True):
        row = [_value(value) for value in raw]
        while row and row[-1] in (None, ""):
            row.pop()
        if row:
            rows.append(row)
    return rows


def is_catalog_header(header: Sequence[object]) -> bool:
    names = {str(value).strip().lower() for value in header if value is not None}
    return {"name", "price"} <= names


class XlsxParser:
    """Parses ``.xlsx`` workbooks sheet by sheet.

    >>> pages = XlsxParser().parse(Path("book.xlsx"), source="book.xlsx")  # doctest: +SKIP
    >>> [(p.page_number, p.title) for p in pages]  # doctest: +SKIP
    [(1, 'Prices'), (2, 'Sizes')]
    """

    def __init__(self, *, archive_limits: ArchiveLimits | None = None) -> None:
        self.archive_limits = archive_limits or ArchiveLimits()

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        check_office_archive(path, self.archive_limits)
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise CorruptFileError(path, f"not a readable Excel workbook ({exc})") from exc
        try:
            seen_ids: dict[str, str] = {}
            for number, sheet in enumerate(workbook.worksheets, start=1):
                rows = _rows(sheet)
                if rows and is_catalog_header(rows[0]):
                    yield from _catalog(rows, sheet.title, path, source, seen_ids)
                elif rows:
                    yield Page(
                        source=source,
                        page_number=number,
                        title=sheet.title,
                        text=markdown_table(rows),
                    )
        finally:
            workbook.close()


def _catalog(
    rows: list[Row], sheet: str, path: Path, source: str, seen_ids: dict[str, str]
) -> Iterator[Page]:
    header = [str(value).strip() if value is not None else "" for value in rows[0]]
    records = [
        {column: value for column, value in zip(header, row, strict=False) if column}
        for row in rows[1:]
    ]
    for page in record_pages(records, path=path, source=source):
        record_id = str(page.record_id)
        if record_id in seen_ids:
            raise IngestionError(
                path,
                f"sheets {seen_ids[record_id]!r} and {sheet!r} both have a record with id "
                f"{record_id!r}; catalog ids must be unique in a workbook",
            )
        seen_ids[record_id] = sheet
        yield page
