"""Small real Office, PDF and image files for the parser tests, written into tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw

TABLE_ROWS = [
    ("Model", "Sleeps", "Weight"),
    ("TrailMaster", "4", "3.2 kg"),
    ("Summit", "2", "1.9 kg"),
]


def picture(width: int = 200, height: int = 120) -> Image.Image:
    """A drawing with two colours, big enough to count as a figure."""
    image = Image.new("RGB", (width, height), "navy")
    ImageDraw.Draw(image).rectangle((20, 20, width - 20, height - 20), fill="orange")
    return image


@pytest.fixture
def picture_file(tmp_path: Path) -> Path:
    path = tmp_path / "picture.png"
    picture().save(path)
    return path


@pytest.fixture
def rich_pdf(tmp_path: Path) -> Path:
    """One page: a sentence, a 3-row table, a figure with a caption under it, a closing line."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()

    def paragraph(text: str) -> None:
        pdf.multi_cell(w=0, text=text, new_x="LMARGIN", new_y="NEXT")

    paragraph("Tent sizes are listed below.")
    with pdf.table() as table:
        for values in TABLE_ROWS:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(5)
    paragraph("The tent is shown here.")
    pdf.image(picture(), w=60)
    paragraph("Figure 1: the TrailMaster pitched.")
    pdf.ln(30)
    paragraph("Care: dry it before storage.")
    path = tmp_path / "tents.pdf"
    pdf.output(str(path))
    return path


@pytest.fixture
def scanned_pdf(tmp_path: Path) -> Path:
    """A page that is only a picture (no text layer), like a scan."""
    pdf = FPDF()
    pdf.add_page()
    pdf.image(picture(400, 500), x=10, y=10, w=190)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    return path
