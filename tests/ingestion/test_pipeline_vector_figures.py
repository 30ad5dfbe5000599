"""A chart drawn as vectors, end to end: parsed, OCR'd and captioned offline, split, indexed."""

from pathlib import Path

from ingestion.enrich import ImageEnricher
from ingestion.parsers.anchors import FIGURE_LINE
from ingestion.pipeline import IngestionPipeline
from ingestion.registry import default_parser_registry
from ingestion.splitter import TokenSplitter
from ridgeline.providers.captioner import OFFLINE_LABEL, OfflineCaptioner
from ridgeline.providers.ocr import RapidOcrEngine
from ridgeline.providers.tokenizer import TiktokenTokenizer
from tests.fakes import HashingEmbedder
from tests.ingestion.fakes import InMemoryIndex
from tests.ingestion.parsers.vector_pdfs import CHART_LABELS, CHART_LEGEND, chart_pdf


def test_a_drawn_chart_is_read_by_ocr_and_its_labels_stay_out_of_the_prose(
    tmp_path: Path,
) -> None:
    ocr = RapidOcrEngine()
    index = InMemoryIndex()
    pipeline = IngestionPipeline(
        registry=default_parser_registry(
            ocr=ocr, max_image_pixels=10**7, assets_dir=tmp_path / "assets"
        ),
        splitter=TokenSplitter(tokenizer=TiktokenTokenizer(), chunk_tokens=200, overlap_tokens=20),
        embedder=HashingEmbedder(),
        index=index,
        max_file_bytes=10**6,
        enricher=ImageEnricher(
            ocr=ocr, captioner=OfflineCaptioner(), cache=None, max_image_pixels=10**7
        ),
    )

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
