import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from ingestion.parsers.excel import XlsxParser
from ridgeline.errors import CorruptFileError, IngestionError
from ridgeline.types import ChunkKind


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_plain_sheet_is_one_page_holding_a_markdown_table(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "plan.xlsx",
        {"Notes": [["Intro only"]], "Trips": [["Trip", "Date"], ["Alps", dt.date(2025, 7, 1)]]},
    )

    notes, trips = XlsxParser().parse(path, source="plan.xlsx")

    assert (notes.page_number, notes.title) == (1, "Notes")
    assert (trips.page_number, trips.title) == (2, "Trips")
    assert trips.text == "| Trip | Date |\n|---|---|\n| Alps | 2025-07-01T00:00:00 |"


def test_a_sheet_with_name_and_price_columns_is_a_catalog(tmp_path: Path) -> None:
    rows = [
        ["ID", "Name", "Price", "Brand", "Image"],
        [7, "TrailMaster Tent", 250, "Acme", "img/tent.jpg"],
        [8, "Summit Lantern", "$19.50", "Bright", None],
    ]
    path = workbook(tmp_path / "products.xlsx", {"Products": rows})

    tent, lantern = XlsxParser().parse(path, source="products.xlsx")

    assert (tent.kind, tent.record_id, tent.fields["price"]) == (ChunkKind.CATALOG, "7", 250.0)
    assert tent.images[0].path == str((tmp_path / "img" / "tent.jpg").resolve())
    assert (lantern.record_id, lantern.fields["price"], lantern.fields["brand"]) == (
        "8",
        19.5,
        "Bright",
    )


def test_catalog_ids_must_be_unique_across_sheets(tmp_path: Path) -> None:
    sheet = [["id", "name", "price"], [1, "Tent", 10]]
    path = workbook(tmp_path / "two.xlsx", {"A": sheet, "B": sheet})

    with pytest.raises(IngestionError, match=r"sheets 'A' and 'B' both have a record with id '1'"):
        list(XlsxParser().parse(path, source="two.xlsx"))


def test_a_bad_price_names_the_file_and_row(tmp_path: Path) -> None:
    path = workbook(tmp_path / "bad.xlsx", {"P": [["name", "price"], ["Tent", "cheap"]]})

    with pytest.raises(IngestionError, match=r"bad\.xlsx: row 1: price 'cheap' is not a number"):
        list(XlsxParser().parse(path, source="bad.xlsx"))


def test_random_bytes_are_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "junk.xlsx"
    path.write_bytes(b"PK\x03\x04 junk")

    with pytest.raises(CorruptFileError, match=r"junk\.xlsx"):
        list(XlsxParser().parse(path, source="junk.xlsx"))
