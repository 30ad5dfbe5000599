"""Product pictures: one distinct, deterministic picture per product, with readable text."""

from __future__ import annotations

from pathlib import Path

import pytest

from examples.build_demo import CATALOG_CSV
from examples.scripts.catalog import Product, read_catalog
from examples.scripts.make_images import product_image_png, write_product_images


@pytest.fixture(scope="module")
def products() -> list[Product]:
    return read_catalog(CATALOG_CSV)


def test_each_product_gets_its_own_picture(products):
    pictures = {product_image_png(p) for p in products}
    assert len(pictures) == len(products)


def test_a_picture_is_the_same_bytes_every_time(products):
    assert product_image_png(products[0]) == product_image_png(products[0])


def test_unchanged_pictures_are_not_rewritten(products, tmp_path: Path):
    assert all(write_product_images(products[:2], tmp_path).values())
    assert not any(write_product_images(products[:2], tmp_path).values())


@pytest.mark.models
def test_ocr_reads_the_name_and_label(products, tmp_path: Path):
    from ridgeline.providers.ocr import RapidOcrEngine

    lantern = next(p for p in products if p.name == "Emberwick Hearthglow Lantern")
    path = next(iter(write_product_images([lantern], tmp_path)))
    text = RapidOcrEngine().read_text(path).upper()
    assert "HEARTHGLOW" in text
    assert "$59.00" in text
