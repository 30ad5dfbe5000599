"""The real single-process pipeline with real OCR and the offline captioner, for tests that need
figures read as a user's ingest reads them (fake, fast text embedder)."""

from __future__ import annotations

from pathlib import Path

from ingestion.enrich import ImageEnricher
from ingestion.pipeline import IngestionPipeline
from ingestion.registry import default_parser_registry
from ingestion.splitter import TokenSplitter
from ridgeline.protocols import SearchIndex
from ridgeline.providers.captioner import OfflineCaptioner
from ridgeline.providers.ocr import RapidOcrEngine
from ridgeline.providers.tokenizer import TiktokenTokenizer
from tests.fakes import HashingEmbedder


def ocr_pipeline(index: SearchIndex, *, assets_dir: Path) -> IngestionPipeline:
    """Parsers, RapidOCR, offline captions, 200-token chunks, into ``index``."""
    ocr = RapidOcrEngine()
    return IngestionPipeline(
        registry=default_parser_registry(ocr=ocr, max_image_pixels=10**7, assets_dir=assets_dir),
        splitter=TokenSplitter(tokenizer=TiktokenTokenizer(), chunk_tokens=200, overlap_tokens=20),
        embedder=HashingEmbedder(),
        index=index,
        max_file_bytes=10**6,
        enricher=ImageEnricher(
            ocr=ocr, captioner=OfflineCaptioner(), cache=None, max_image_pixels=10**7
        ),
    )
