import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from fpdf import FPDF

from ingestion.parsers.pdf import PdfParser
from ridgeline.errors import CorruptFileError, IngestionError
from tests.ingestion.fakes import FixedOcr

MakePdf = Callable[[str, Sequence[str]], Path]


def test_each_page_keeps_its_text_and_1_based_number(make_pdf: MakePdf) -> None:
    path = make_pdf("manual.pdf", ["Setup: unfold the tent.", "Care: dry it before storage."])

    pages = list(PdfParser().parse(path, source="manual.pdf"))

    assert [p.page_number for p in pages] == [1, 2]
    assert pages[0].text == "Setup: unfold the tent."
    assert pages[1].text == "Care: dry it before storage."
    assert pages[1].source == "manual.pdf"


def test_a_page_without_text_layer_yields_empty_text(make_pdf: MakePdf) -> None:
    path = make_pdf("scan.pdf", ["Cover", ""])

    pages = list(PdfParser().parse(path, source="scan.pdf"))

    assert [p.text for p in pages] == ["Cover", ""]


def test_random_bytes_are_a_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(os.urandom(2048))

    with pytest.raises(CorruptFileError, match=r"broken\.pdf.*not a readable PDF"):
        list(PdfParser().parse(path, source="broken.pdf"))


def test_a_password_protected_pdf_is_refused_clearly(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Secret plans")
    pdf.set_encryption(owner_password="owner", user_password="user")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))

    with pytest.raises(IngestionError, match="password-protected") as caught:
        list(PdfParser().parse(path, source="locked.pdf"))
    assert not isinstance(caught.value, CorruptFileError)


def test_a_table_is_kept_whole_as_markdown_and_not_repeated_as_loose_words(
    rich_pdf: Path,
) -> None:
    (page,) = PdfParser().parse(rich_pdf, source="tents.pdf")

    table = "| Model | Sleeps | Weight |\n|---|---|---|\n| TrailMaster | 4 | 3.2 kg |"
    assert table in page.text
    assert page.text.count("TrailMaster") == 2  # the table row and the caption, nothing else
    assert page.text.index("Tent sizes") < page.text.index("| Model") < page.text.index("Care:")


def test_a_figure_is_saved_as_png_with_its_caption_and_named_in_the_text(
    rich_pdf: Path, tmp_path: Path
) -> None:
    from PIL import Image

    (page,) = PdfParser(assets_dir=tmp_path / "assets").parse(rich_pdf, source="tents.pdf")

    (figure,) = page.images
    assert figure.figure_name == "figure1_1.png"
    assert Path(figure.path).parent.parent == tmp_path / "assets"
    with Image.open(figure.path) as image:
        assert image.format == "PNG" and image.size == (200, 120)
    assert figure.context.startswith("Figure 1: the TrailMaster pitched.")
    text = page.text
    assert (
        text.index("The tent is shown")
        < text.index("[Figure figure1_1.png]")
        < text.index("Figure 1:")
    )


def test_without_an_assets_folder_no_figure_is_extracted(rich_pdf: Path) -> None:
    (page,) = PdfParser().parse(rich_pdf, source="tents.pdf")

    assert page.images == () and "[Figure" not in page.text


def test_page_images_are_optional(rich_pdf: Path, tmp_path: Path) -> None:
    parser = PdfParser(assets_dir=tmp_path, page_images=True)

    (page,) = parser.parse(rich_pdf, source="tents.pdf")

    page_image = [image for image in page.images if image.figure_name is None]
    assert [Path(image.path).name for image in page_image] == ["page1.png"]
    assert page_image[0].context.startswith("Tent sizes are listed below.")


def test_a_scanned_page_is_rendered_and_read_by_ocr(scanned_pdf: Path, tmp_path: Path) -> None:
    ocr = FixedOcr("Warranty: two years")

    (page,) = PdfParser(ocr=ocr, assets_dir=tmp_path).parse(scanned_pdf, source="scan.pdf")

    assert page.text == "Warranty: two years"
    assert len(ocr.seen) == 1 and page.images == ()  # the scan itself is not a figure


def test_a_pdf_over_the_page_limit_is_refused(make_pdf: MakePdf) -> None:
    path = make_pdf("long.pdf", ["one", "two", "three"])

    with pytest.raises(
        IngestionError, match=r"long\.pdf: the PDF has 3 pages, above the limit of 2"
    ):
        list(PdfParser(max_pages=2).parse(path, source="long.pdf"))


def test_a_figure_on_a_page_without_tables_is_named_between_the_text_around_it(
    tmp_path: Path,
) -> None:
    from tests.ingestion.parsers.conftest import picture

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(w=0, text="Before the picture.", new_x="LMARGIN", new_y="NEXT")
    pdf.image(picture(), w=60)
    pdf.multi_cell(w=0, text="Figure 2: the lantern.", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(w=0, text="After the caption.", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "lantern.pdf"
    pdf.output(str(path))

    (page,) = PdfParser(assets_dir=tmp_path).parse(path, source="lantern.pdf")

    assert page.text == (
        "Before the picture.\n\n[Figure figure1_1.png]\n\n"
        "Figure 2: the lantern.\nAfter the caption."
    )
    assert page.images[0].context.startswith("Figure 2: the lantern.")
