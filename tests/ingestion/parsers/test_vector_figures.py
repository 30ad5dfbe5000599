import time
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from ingestion.parsers.pdf import PdfParser
from ingestion.parsers.vector_figures import find_drawn_figures
from tests.ingestion.parsers.vector_pdfs import (
    CAPTION,
    CHART_LABELS,
    CHART_LEGEND,
    CHART_TITLE,
    boxed_paragraph_pdf,
    chart_pdf,
    framed_picture_pdf,
    scatter_pdf,
    table_and_chart_pdf,
    table_pdf,
)


def test_a_chart_drawn_with_lines_and_boxes_becomes_one_figure_with_its_words(
    tmp_path: Path,
) -> None:
    (page,) = PdfParser(assets_dir=tmp_path / "assets").parse(
        chart_pdf(tmp_path), source="sales.pdf"
    )

    (figure,) = page.images
    assert figure.figure_name == "figure1_1.png"
    with Image.open(figure.path) as image:
        assert image.format == "PNG" and image.width > 600  # rendered at 3x: labels legible
    assert figure.context.startswith(CAPTION)
    for word in (CHART_TITLE, CHART_LEGEND, *CHART_LABELS, "120"):
        assert word in figure.context


def test_a_charts_labels_leave_the_prose_and_its_line_stands_where_it_was(
    tmp_path: Path,
) -> None:
    (page,) = PdfParser(assets_dir=tmp_path / "assets").parse(
        chart_pdf(tmp_path), source="sales.pdf"
    )

    assert page.text == (
        "Sales grew in every quarter of the year.\n\n[Figure figure1_1.png]\n\n"
        f"{CAPTION}\nThe lantern outsold every tent in the catalog."
    )


def test_a_figure_render_stays_within_the_pixel_limit(tmp_path: Path) -> None:
    parser = PdfParser(assets_dir=tmp_path / "assets", max_image_pixels=40_000)

    (page,) = parser.parse(chart_pdf(tmp_path), source="sales.pdf")

    with Image.open(page.images[0].path) as image:
        assert image.width * image.height <= 40_000 and image.width > 100


def test_a_ruled_table_is_a_table_not_a_figure(tmp_path: Path) -> None:
    (page,) = PdfParser(assets_dir=tmp_path).parse(table_pdf(tmp_path, shaded=False), source="t")

    assert page.images == ()
    assert "| TrailMaster | 4 | 3.2 kg |" in page.text and "[Figure" not in page.text


def test_a_shaded_table_is_told_from_a_bar_chart_by_the_table_finder(tmp_path: Path) -> None:
    path = table_pdf(tmp_path, shaded=True)
    document = pdfium.PdfDocument(path)
    try:
        boxes_and_rules = find_drawn_figures(document[0])  # no table check: a candidate
    finally:
        document.close()

    (page,) = PdfParser(assets_dir=tmp_path).parse(path, source="shaded.pdf")

    assert len(boxes_and_rules) == 1
    assert page.images == () and "| Summit | 2 | 1.9 kg |" in page.text


def test_on_a_page_with_a_table_the_chart_labels_leave_the_laid_out_text_too(
    tmp_path: Path,
) -> None:
    path = table_and_chart_pdf(tmp_path)

    (page,) = PdfParser(assets_dir=tmp_path / "assets").parse(path, source="t.pdf")

    assert [image.figure_name for image in page.images] == ["figure1_1.png"]
    assert page.text == (
        "| Model | Sleeps | Weight |\n|---|---|---|\n| TrailMaster | 4 | 3.2 kg |\n"
        "| Summit | 2 | 1.9 kg |\n\n[Figure figure1_1.png]\n\nCare: dry the tent before storage."
    )


def test_a_framed_embedded_picture_is_one_figure_not_two(tmp_path: Path) -> None:
    from tests.ingestion.parsers.conftest import picture

    path = framed_picture_pdf(tmp_path, picture())

    (page,) = PdfParser(assets_dir=tmp_path / "assets").parse(path, source="f.pdf")

    (figure,) = page.images
    with Image.open(figure.path) as image:
        assert image.size == picture().size  # the embedded picture itself, not a page render


def test_a_boxed_paragraph_is_not_a_figure(tmp_path: Path) -> None:
    (page,) = PdfParser(assets_dir=tmp_path).parse(boxed_paragraph_pdf(tmp_path), source="c")

    assert page.images == () and page.text.startswith("Safety note: never run a stove")


def test_page_images_are_saved_only_for_pages_that_hold_figures(tmp_path: Path) -> None:
    parser = PdfParser(assets_dir=tmp_path / "assets", page_images=True)

    (chart_page,) = parser.parse(chart_pdf(tmp_path), source="sales.pdf")
    (table_page,) = parser.parse(table_pdf(tmp_path, shaded=False), source="ruled.pdf")

    assert [Path(i.path).name for i in chart_page.images] == ["figure1_1.png", "page1.png"]
    assert table_page.images == ()


def test_a_scatter_plot_of_thousands_of_paths_is_one_figure_found_quickly(tmp_path: Path) -> None:
    path = scatter_pdf(tmp_path, dots=4000)
    document = pdfium.PdfDocument(path)
    try:
        started = time.perf_counter()
        (figure,) = find_drawn_figures(document[0])
        seconds = time.perf_counter() - started
    finally:
        document.close()

    assert figure.text == "Tent weight against price"
    assert seconds < 5.0  # ~1 s here; comparing the 4,000 paths pairwise took 25 s
