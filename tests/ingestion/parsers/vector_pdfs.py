"""PDFs with drawings, written with fpdf2: a bar chart drawn with lines, boxes and labels, and
the drawings that are not figures (ruled and shaded tables, a boxed paragraph)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from PIL import Image

CHART_LABELS = ("Q1", "Q2", "Q3", "Q4")
CHART_TITLE = "Quarterly Lantern Sales"
CHART_LEGEND = "Lanterns"
CAPTION = "Figure 1: Lantern sales by quarter."
TABLE_ROWS = [
    ("Model", "Sleeps", "Weight"),
    ("TrailMaster", "4", "3.2 kg"),
    ("Summit", "2", "1.9 kg"),
]


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(w=0, text=text, new_x="LMARGIN", new_y="NEXT")


def draw_bar_chart(pdf: FPDF, *, left: float, top: float) -> float:
    """A 100 x 70 mm bar chart: title, axes, gridlines, four bars with their values, tick
    labels and a legend. Returns the y under it."""
    pdf.set_font("helvetica", size=13)
    pdf.text(left + 22, top + 6, CHART_TITLE)
    base, height = top + 60, 48.0
    pdf.set_font("helvetica", size=10)
    pdf.set_draw_color(200, 200, 200)
    for step, value in enumerate((0, 50, 100, 150)):
        y = base - step * height / 3
        pdf.line(left + 12, y, left + 100, y)
        pdf.text(left + 2, y + 1.5, str(value))
    pdf.set_draw_color(0, 0, 0)
    pdf.line(left + 12, base - height, left + 12, base)
    pdf.set_fill_color(40, 90, 200)
    for index, (label, value) in enumerate(zip(CHART_LABELS, (40, 75, 90, 120), strict=True)):
        x = left + 20 + index * 20
        bar = height * value / 150
        pdf.rect(x, base - bar, 10, bar, style="F")
        pdf.text(x + 1.5, base - bar - 1.5, str(value))
        pdf.text(x + 2, base + 6, label)
    pdf.rect(left + 40, top + 68, 4, 4, style="F")
    pdf.text(left + 46, top + 71.5, CHART_LEGEND)
    return top + 76


def chart_pdf(folder: Path) -> Path:
    """Prose, a vector bar chart with its caption under it, prose."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    _paragraph(pdf, "Sales grew in every quarter of the year.")
    bottom = draw_bar_chart(pdf, left=30, top=pdf.get_y() + 8)
    pdf.set_font("helvetica", size=11)
    pdf.set_y(bottom + 4)
    _paragraph(pdf, CAPTION)
    pdf.ln(8)
    _paragraph(pdf, "The lantern outsold every tent in the catalog.")
    path = folder / "sales.pdf"
    pdf.output(str(path))
    return path


def table_pdf(folder: Path, *, shaded: bool) -> Path:
    """A ruled table (every cell boxed), optionally with shaded rows, between two sentences."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    _paragraph(pdf, "Tent sizes are listed below.")
    pdf.ln(4)
    options = {"cell_fill_color": (220, 230, 240), "cell_fill_mode": "ROWS"} if shaded else {}
    with pdf.table(**options) as table:
        for values in TABLE_ROWS:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(6)
    _paragraph(pdf, "Care: dry the tent before storage.")
    path = folder / ("shaded.pdf" if shaded else "ruled.pdf")
    pdf.output(str(path))
    return path


def table_and_chart_pdf(folder: Path) -> Path:
    """A ruled table, then a vector bar chart, on one page."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    with pdf.table() as table:
        for values in TABLE_ROWS:
            row = table.row()
            for value in values:
                row.cell(value)
    bottom = draw_bar_chart(pdf, left=30, top=pdf.get_y() + 10)
    pdf.set_font("helvetica", size=11)
    pdf.set_y(bottom + 4)
    _paragraph(pdf, "Care: dry the tent before storage.")
    path = folder / "table-and-chart.pdf"
    pdf.output(str(path))
    return path


def framed_picture_pdf(folder: Path, picture: Image.Image) -> Path:
    """An embedded picture with a drawn frame and a drop shadow: one figure, not two."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.set_fill_color(160, 160, 160)
    pdf.rect(32, 32, 80, 48, style="F")  # the shadow
    pdf.image(picture, x=30, y=30, w=80, h=48)
    pdf.rect(30, 30, 80, 48)  # the frame
    pdf.set_y(84)
    _paragraph(pdf, "Figure 2: the lantern at night.")
    path = folder / "framed.pdf"
    pdf.output(str(path))
    return path


def boxed_paragraph_pdf(folder: Path) -> Path:
    """A paragraph in a bordered, shaded box: a callout, not a figure."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.set_fill_color(250, 240, 200)
    text = (
        "Safety note: never run a stove inside the tent. Carbon monoxide builds up quickly "
        "in a closed space and gives no warning. Cook outside, downwind, on flat ground."
    )
    pdf.multi_cell(w=120, text=text, border=1, fill=True, new_x="LMARGIN", new_y="NEXT")
    path = folder / "callout.pdf"
    pdf.output(str(path))
    return path


def scatter_pdf(folder: Path, *, dots: int) -> Path:
    """A scatter plot of ``dots`` small squares inside two axes, with a title: one figure drawn
    with thousands of paths."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(60, 30, "Tent weight against price")
    pdf.line(30, 40, 30, 160)
    pdf.line(30, 160, 180, 160)
    pdf.set_fill_color(200, 60, 40)
    for index in range(dots):
        x = 32 + (index * 37) % 146
        y = 42 + (index * 53) % 116
        pdf.rect(x, y, 0.8, 0.8, style="F")
    path = folder / "scatter.pdf"
    pdf.output(str(path))
    return path
