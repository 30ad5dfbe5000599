"""Small real corpora for the end-to-end tests: a PDF made with fpdf2, a CSV catalog, and an
image with text drawn by Pillow."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

# Duty-board lines that fill each page, so that every page is longer than one chunk (200 tokens),
# as real pages are: PDF chunks run on across page breaks and cite the page where they start,
# and with one-line pages the whole guide would be a single chunk cited at page 1.
_DUTIES = ["parking", "locker", "uniform", "radio", "weather", "first aid", "dock", "trail"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _duty_board(page: int) -> str:
    return " ".join(
        f"Board note {page}.{n}: the {_DUTIES[n % 8]} rota for {_DAYS[n % 7]} hangs by door {n}."
        for n in range(1, 19)
    )


def _write_pdf(path: Path) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    facts = [
        "Welcome to the Alder Peak staff guide. Opening hours are nine to six.",
        "Kayak rentals must be returned by 5 pm. A late kayak return costs 40 dollars per hour. "
        "Life jackets are included with every kayak rental.",
        "Employees receive a 25 percent discount on footwear after ninety days of service.",
    ]
    for number, fact in enumerate(facts, start=1):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"{_duty_board(number)}\n\n{fact}")
    pdf.output(str(path))


def _write_catalog(path: Path) -> None:
    path.write_text(
        "id,name,price,category,brand,description\n"
        '1,Granite Dome Tent,189.00,Tents,Alder Peak,"A freestanding two-person dome tent '
        'with a full rainfly."\n'
        '2,Basalt Trekking Poles,59.50,Accessories,Alder Peak,"Carbon poles that fold to 38 cm."\n'
        '3,Larch 65 Backpack,229.00,Backpacks,Northbound,"A 65 litre pack with a removable lid."\n',
        encoding="utf-8",
    )


def _write_label_image(path: Path) -> None:
    image = Image.new("RGB", (720, 200), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)
    draw.text((20, 40), "Glacier Water Filter", fill="black", font=font)
    draw.text((20, 110), "Filters 1500 litres", fill="black", font=font)
    image.save(path)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_pdf(corpus / "staff_guide.pdf")
    _write_catalog(corpus / "products.csv")
    _write_label_image(corpus / "filter_label.png")
    return corpus
