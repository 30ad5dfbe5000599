"""A chart drawn as vectors, end to end: parsed, OCR'd and captioned offline, split, indexed."""

from pathlib import Path

from ingestion.parsers.anchors import FIGURE_LINE
from ridgeline.providers.captioner import OFFLINE_LABEL
from tests.ingestion.fakes import InMemoryIndex
from tests.ingestion.parsers.vector_pdfs import CHART_LABELS, CHART_LEGEND, chart_pdf
from tests.ingestion.pipelines import ocr_pipeline


def test_a_drawn_chart_is_read_by_ocr_and_its_labels_stay_out_of_the_prose(
    tmp_path: Path,
) -> None:
    index = InMemoryIndex()
    pipeline = ocr_pipeline(index, assets_dir=tmp_path / "assets")

    report = pipeline.run([chart_pdf(tmp_path)])

    assert report.total_images == 1
    chunks = index.all_chunks()
    (figure,) = {image for chunk in chunks for image in chunk.images}
    assert figure.figure_name == "figure1_1.png"
    for word in (CHART_LEGEND, *CHART_LABELS):
        assert word in figure.ocr_text
    assert figure.caption.startswith(OFFLINE_LABEL) and "Quarterly Lantern Sales" in figure.caption
    prose = "\n".join(FIGURE_LINE.sub("", chunk.content) for chunk in chunks)
    assert "Sales grew in every quarter" in prose and "outsold every tent" in prose
    for word in (CHART_LEGEND, *CHART_LABELS):
        assert word not in prose
