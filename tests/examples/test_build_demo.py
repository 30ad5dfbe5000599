"""The demo corpus build: contents, grounding of the sample Q&A, and byte-for-byte determinism."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image

from examples.build_demo import EXAMPLES_DIR, BuiltFile, build_demo, main
from examples.scripts.handbook_content import PACK_TABLE, SLEEP_TABLE, WARRANTY_TABLE
from examples.scripts.sales_chart import UNITS_SOLD

CITATION = re.compile(r"\[([^\]]+)\]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[BuiltFile]]:
    out = tmp_path_factory.mktemp("demo")
    return out, build_demo(out)


def _products(out: Path) -> list[dict[str, str]]:
    with (out / "catalog" / "products.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _pdf_pages(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_catalog_has_at_least_20_products_each_with_its_png(corpus):
    out, _ = corpus
    products = _products(out)
    assert len(products) >= 20
    for row in products:
        with Image.open(out / "catalog" / row["image"]) as image:
            assert image.format == "PNG"
    assert len(list((out / "catalog" / "images").glob("*.png"))) == len(products)


def test_manuals_have_the_required_sections(corpus):
    out, _ = corpus
    manuals = sorted((out / "manuals").glob("*_manual.md"))
    assert len(manuals) >= 5
    for manual in manuals:
        text = manual.read_text(encoding="utf-8")
        for section in ("## Specifications", "## Care and Cleaning", "## Warranty", "## Returns"):
            assert section in text, f"{manual.name} lacks {section}"
    assert (out / "manuals" / "shop_policies.md").is_file()


def test_every_handbook_page_has_text(corpus):
    out, _ = corpus
    pages = _pdf_pages(out / "handbook.pdf")
    assert len(pages) >= 5
    assert all(len(text.split()) > 20 for text in pages)


def test_handbook_tables_are_in_the_text_layer(corpus):
    out, _ = corpus
    text = "\n".join(_pdf_pages(out / "handbook.pdf"))
    for table in (SLEEP_TABLE, PACK_TABLE, WARRANTY_TABLE):
        for row in table.rows:
            assert all(cell in text for cell in row), row


def test_chart_figures_are_only_pixels(corpus):
    out, _ = corpus
    pages = _pdf_pages(out / "handbook.pdf")
    for value in UNITS_SOLD.values():
        assert str(value) not in "\n".join(pages)
    document = pypdfium2.PdfDocument(out / "handbook.pdf")
    chart_page = next(
        i for i, text in enumerate(pages) if "see the chart" in " ".join(text.split())
    )
    images = list(document[chart_page].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    document.close()
    assert len(images) == 1


def test_two_builds_are_byte_identical(corpus, tmp_path):
    first, built = corpus
    second = build_demo(tmp_path)
    assert len(second) == len(built)
    for item in built:
        relative = item.path.relative_to(first)
        assert (tmp_path / relative).read_bytes() == item.path.read_bytes(), relative


def test_rebuilding_in_place_rewrites_nothing(corpus):
    out, _ = corpus
    assert not any(item.changed for item in build_demo(out))


def _cited_text(out: Path, citation: str) -> str:
    name, _, fragment = citation.partition("#")
    if name == "products.csv":
        row_id = fragment.removeprefix("id=")
        return " ".join(next(r for r in _products(out) if r["id"] == row_id).values())
    if name == "handbook.pdf":
        return _pdf_pages(out / name)[int(fragment.removeprefix("page=")) - 1]
    return (out / "manuals" / name).read_text(encoding="utf-8")


def test_demo_qa_truths_cite_sources_that_hold_their_numbers(corpus):
    out, _ = corpus
    lines = (EXAMPLES_DIR / "demo-qa.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 15
    for line in lines:
        row = json.loads(line)
        assert set(row) == {"question", "truth"}
        assert row["truth"].rstrip().endswith("]"), row["truth"]
        citations = CITATION.findall(row["truth"])
        assert citations, row["truth"]
        sources = " ".join(_cited_text(out, c) for c in citations)
        claim = CITATION.sub("", row["truth"])
        for number in NUMBER.findall(claim.replace(",", "")):
            assert number in sources.replace(",", ""), (number, row["question"])


def test_cli_prints_every_file_it_built(tmp_path, capsys):
    main(["--out", str(tmp_path)])
    printed = capsys.readouterr().out
    assert str(tmp_path / "handbook.pdf") in printed
    assert str(tmp_path / "catalog" / "images" / "p01.png") in printed
