"""Reading the catalog CSV: good rows become Products, bad rows name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from examples.build_demo import CATALOG_CSV
from examples.scripts.catalog import read_catalog

HEADER = "id,name,price,category,brand,description,image\n"


def test_the_demo_catalog_parses():
    products = read_catalog(CATALOG_CSV)
    assert len({p.id for p in products}) == len(products)
    assert {p.category for p in products} >= {"Tents", "Backpacks", "Stoves", "Navigation"}


def test_a_bad_price_names_file_line_and_field(tmp_path: Path):
    path = tmp_path / "products.csv"
    path.write_text(HEADER + '1,Tent,free,Tents,Acme,"A tent.",images/p01.png\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"products\.csv, line 2: invalid field\(s\) price"):
        read_catalog(path)


def test_a_missing_column_is_reported(tmp_path: Path):
    path = tmp_path / "products.csv"
    path.write_text("id,name\n1,Tent\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        read_catalog(path)
