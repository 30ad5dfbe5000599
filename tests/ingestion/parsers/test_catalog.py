import json
from pathlib import Path

import pytest

from ingestion.parsers.catalog import CsvCatalogParser, JsonCatalogParser
from ridgeline.errors import CorruptFileError, IngestionError
from ridgeline.types import ChunkKind, ImageAsset


def test_csv_rows_become_typed_catalog_pages(csv_catalog: Path) -> None:
    pages = list(CsvCatalogParser().parse(csv_catalog, source="products.csv"))

    assert [p.record_id for p in pages] == ["7", "8"]
    tent, lantern = pages
    assert tent.kind is ChunkKind.CATALOG
    assert tent.title == "TrailMaster Tent"
    assert tent.fields == {
        "name": "TrailMaster Tent",
        "category": "Tents",
        "brand": "OutdoorLiving",
        "price": 250.0,
    }
    assert lantern.fields["price"] == 1025.5
    assert tent.text == (
        "TrailMaster Tent\nCategory: Tents\nBrand: OutdoorLiving\nPrice: $250.00\n"
        "A roomy tent for four campers.\ncolor: green"
    )
    assert "Price: $1,025.50" in lantern.text


def test_image_columns_resolve_against_the_catalog_folder(csv_catalog: Path) -> None:
    tent, lantern = CsvCatalogParser().parse(csv_catalog, source="products.csv")

    folder = csv_catalog.parent.resolve()
    assert tent.images == (
        ImageAsset(path=str(folder / "img" / "tent1.jpg")),
        ImageAsset(path=str(folder / "img" / "tent2.jpg")),
    )
    assert lantern.images == (ImageAsset(path="https://example.com/lantern.jpg"),)


def test_a_bad_price_names_the_file_and_row(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text("name,price\nTent,250\nStove,cheap\n", encoding="utf-8")

    with pytest.raises(IngestionError, match=r"prices\.csv: row 2: price 'cheap' is not a number"):
        list(CsvCatalogParser().parse(path, source="prices.csv"))


def test_rows_without_id_use_the_row_number_and_duplicates_are_refused(tmp_path: Path) -> None:
    numbered = tmp_path / "numbered.csv"
    numbered.write_text("name\nA\nB\n", encoding="utf-8")
    duplicated = tmp_path / "dup.csv"
    duplicated.write_text("id,name\n1,A\n1,B\n", encoding="utf-8")

    assert [p.record_id for p in CsvCatalogParser().parse(numbered, source="n.csv")] == ["1", "2"]
    with pytest.raises(IngestionError, match="rows 1 and 2 have the same id '1'"):
        list(CsvCatalogParser().parse(duplicated, source="dup.csv"))


def test_a_row_longer_than_the_header_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("id,name\n1,A,surplus\n", encoding="utf-8")

    with pytest.raises(CorruptFileError, match="row 1 has more cells"):
        list(CsvCatalogParser().parse(path, source="ragged.csv"))


def test_json_catalog_in_a_wrapper_object(json_catalog: Path) -> None:
    stove, mug = JsonCatalogParser().parse(json_catalog, source="gear.json")

    assert (stove.record_id, mug.record_id) == ("1", "2")
    assert stove.fields["price"] == 89.5 and mug.fields["price"] == 12.0
    assert stove.images == (ImageAsset(path=str(json_catalog.parent.resolve() / "stove.png")),)
    assert 'specs: {"weight_g": 350}' in stove.text
    assert mug.fields["brand"] is None and "Brand" not in mug.text


def test_json_that_is_not_a_catalog_becomes_one_pretty_text_page(tmp_path: Path) -> None:
    path = tmp_path / "customer.json"
    customer = {"id": "1", "firstName": "Ann", "orders": [{"id": 3, "name": "Tent"}]}
    path.write_text(json.dumps(customer), encoding="utf-8")

    pages = list(JsonCatalogParser().parse(path, source="customer.json"))

    assert len(pages) == 1
    assert pages[0].kind is ChunkKind.TEXT
    assert pages[0].text == json.dumps(customer, indent=2)


def test_invalid_json_is_corrupt_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"name": "Tent",}]', encoding="utf-8")

    with pytest.raises(CorruptFileError, match=r"broken\.json: not valid JSON .* line 1"):
        list(JsonCatalogParser().parse(path, source="broken.json"))
