"""Render the Cairn & Crest staff handbook PDF: prose pages, real tables and a bar-chart image.

The output is byte-for-byte reproducible: the creation date is pinned (fpdf2 stamps the current
time by default) and the chart is drawn deterministically, so re-ingestion sees an unchanged file.

Usage: ``python -m examples.scripts.make_handbook --out handbook.pdf``
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from examples.scripts.files import write_if_changed
from examples.scripts.handbook_content import PAGES, TITLE, HandbookPage, Table
from examples.scripts.sales_chart import render_sales_chart

FIXED_CREATION_DATE = datetime(2024, 10, 1, 9, 0, tzinfo=UTC)
FONT = "Helvetica"
CHART_WIDTH_MM = 170


class _HandbookPdf(FPDF):
    """An A4 document whose every page carries a footer with its page number."""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, size=9)
        self.cell(
            0, 10, f"Cairn & Crest Outfitters staff handbook - page {self.page_no()}", align="C"
        )


def build_handbook_pdf(pages: tuple[HandbookPage, ...] = PAGES) -> FPDF:
    """The handbook as an fpdf2 document, one ``HandbookPage`` per PDF page."""
    pdf = _HandbookPdf(format="A4")
    pdf.set_creation_date(FIXED_CREATION_DATE)
    pdf.set_title(TITLE)
    pdf.set_author("Cairn & Crest Outfitters")
    pdf.set_auto_page_break(auto=True, margin=20)
    for number, page in enumerate(pages, start=1):
        pdf.add_page()
        if number == 1:
            _write_title(pdf)
        _write_page(pdf, page)
    return pdf


def handbook_pdf_bytes() -> bytes:
    """The handbook PDF as bytes."""
    return bytes(build_handbook_pdf().output())


def make_handbook(out_path: Path) -> bool:
    """Write the handbook PDF to ``out_path``; return whether the file changed."""
    return write_if_changed(out_path, handbook_pdf_bytes())


def _write_title(pdf: FPDF) -> None:
    pdf.set_font(FONT, style="B", size=20)
    pdf.multi_cell(0, 10, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _write_page(pdf: FPDF, page: HandbookPage) -> None:
    pdf.set_font(FONT, style="B", size=15)
    pdf.multi_cell(0, 8, page.heading, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, size=11)
    for paragraph in page.paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    for table in page.tables:
        _write_table(pdf, table)
    if page.with_chart:
        pdf.image(render_sales_chart(), x=(pdf.w - CHART_WIDTH_MM) / 2, w=CHART_WIDTH_MM)


def _write_table(pdf: FPDF, table: Table) -> None:
    pdf.set_font(FONT, style="B", size=11)
    pdf.multi_cell(0, 7, table.caption, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    heading_style = FontFace(emphasis="BOLD", fill_color=(225, 232, 236))
    with pdf.table(
        col_widths=table.col_widths, text_align="LEFT", headings_style=heading_style
    ) as grid:
        for values in (table.header, *table.rows):
            row = grid.row()
            for value in values:
                row.cell(value)
    pdf.ln(4)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write the PDF")
    out = parser.parse_args(argv).out
    print(f"{'wrote' if make_handbook(out) else 'unchanged'} {out}")


if __name__ == "__main__":
    main()
