"""Bug 4 (ingestion): PDFs obey RIDGELINE_MAX_IMAGE_PIXELS like every other picture.

A few hundred bytes of PDF can declare a 14400x14400-point page (829 megapixels when rendered
for OCR, 5.6 GB of memory) or a huge embedded image. Page renders are scaled down to fit the
limit; an embedded image over it is skipped without being decoded, and the report says so.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from PIL import Image

from ingestion.parsers.pdf import PdfParser
from tests.security.ingest_fixtures import ReadsWhatItSees, pipeline, tiny_pdf

LIMIT = 1_000_000


def test_a_huge_page_is_rendered_within_the_pixel_limit(tmp_path: Path) -> None:
    pdf = tiny_pdf(tmp_path / "poster.pdf", width_pt=14400, height_pt=14400)
    assert pdf.stat().st_size < 500
    ocr = ReadsWhatItSees()
    parser = PdfParser(
        ocr=ocr, assets_dir=tmp_path / "assets", page_images=True, max_image_pixels=LIMIT
    )

    (page,) = parser.parse(pdf, source="poster.pdf")

    ((width, height),) = ocr.sizes  # the render OCR was given
    assert width * height <= LIMIT and width == height and width > 900
    (saved,) = page.images  # the stored page picture obeys the limit too
    with Image.open(saved.path) as image:
        assert image.size[0] * image.size[1] <= LIMIT


def test_an_embedded_image_over_the_limit_is_skipped_with_a_reason(tmp_path: Path) -> None:
    big, small = tmp_path / "big.png", tmp_path / "small.png"
    Image.new("RGB", (1250, 1000), "navy").save(big)  # 1.25 megapixels
    Image.new("RGB", (300, 200), "orange").save(small)
    document = FPDF()
    document.set_font("helvetica", size=11)
    document.add_page()
    document.multi_cell(w=0, text="The stove folds flat.")
    document.image(str(big), w=60)
    document.image(str(small), w=40)
    pdf = tmp_path / "stove.pdf"
    document.output(str(pdf))
    index_dir = tmp_path / "index"

    report = pipeline(index_dir, max_pixels=LIMIT).run([pdf])

    (result,) = report.added
    assert result.images == 1  # the small picture only
    (warning,) = result.warnings
    assert "1250x1000" in warning and "above the limit of 1,000,000" in warning
    assert "RIDGELINE_MAX_IMAGE_PIXELS" in warning
    stored = sorted(p.name for p in (index_dir / "assets").rglob("*.png"))
    assert stored == ["figure1_1.png"]
    with Image.open(next((index_dir / "assets").rglob("figure1_1.png"))) as figure:
        assert figure.size == (300, 200)
