"""Small real input files for the ingestion tests, made in tmp_path."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[[str, Sequence[str]], Path]:
    """Writes a PDF with one page per given text (an empty text gives a page with no text)."""

    def make(name: str, pages: Sequence[str]) -> Path:
        pdf = FPDF()
        pdf.set_font("helvetica", size=11)
        for text in pages:
            pdf.add_page()
            if text:
                pdf.multi_cell(w=0, text=text)
        path = tmp_path / name
        pdf.output(str(path))
        return path

    return make


CATALOG_ROWS = [
    {
        "id": "7",
        "name": "TrailMaster Tent",
        "price": "250.0",
        "category": "Tents",
        "brand": "OutdoorLiving",
        "description": "A roomy tent for four campers.",
        "color": "green",
        "images": "img/tent1.jpg;img/tent2.jpg",
    },
    {
        "id": "8",
        "name": "Summit Lantern",
        "price": "$1,025.50",
        "category": "Lighting",
        "brand": "BrightPeak",
        "description": "Three hundred lumens.",
        "color": "",
        "images": "https://example.com/lantern.jpg",
    },
]


@pytest.fixture
def csv_catalog(tmp_path: Path) -> Path:
    header = list(CATALOG_ROWS[0])
    lines = [",".join(header)]
    lines += [",".join(f'"{row[column]}"' for column in header) for row in CATALOG_ROWS]
    path = tmp_path / "products.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def json_catalog(tmp_path: Path) -> Path:
    records = [
        {"id": 1, "name": "Alpine Stove", "price": 89.5, "category": "Cooking",
         "brand": "CampChef", "images": ["stove.png"], "specs": {"weight_g": 350}},
        {"name": "Trail Mug", "price": 12, "category": "Cooking"},
    ]  # fmt: skip
    path = tmp_path / "gear.json"
    path.write_text(json.dumps({"products": records}), encoding="utf-8")
    return path


@pytest.fixture
def text_png(tmp_path: Path) -> Path:
    """A white PNG with large black print: 'SUMMIT LANTERN'."""
    image = Image.new("RGB", (640, 160), "white")
    font = ImageFont.load_default(size=56)
    ImageDraw.Draw(image).text((24, 40), "SUMMIT LANTERN", fill="black", font=font)
    path = tmp_path / "lantern_label.png"
    image.save(path)
    return path
