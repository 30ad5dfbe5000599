"""Settings -> the components of the per-file ingestion stages, for this process or a worker.

Kept apart from :mod:`ridgeline.cli.wiring` (which also builds the chat app) so that a Ray
worker building its parsers and embedders imports ingestion and the model providers only.

    >>> components = build_stage_components(settings, image_vectors=True)  # doctest: +SKIP
"""

from __future__ import annotations

from ingestion.engines import StageComponents
from ingestion.enrich.factory import build_enricher, build_image_embedder, cached_ocr
from ingestion.parsers import DocumentIntelligenceParser
from ingestion.prepare import FilePreparer
from ingestion.registry import ParserRegistry, default_parser_registry
from ingestion.splitter import TokenSplitter
from ridgeline.plugins.registry import plugin_registry
from ridgeline.protocols import OcrEngine, TextEmbedder
from ridgeline.providers.embedder_registry import build_text_embedder as registered_embedder
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.settings import Settings


def build_text_embedder(settings: Settings) -> TextEmbedder:
    """The registered text embedder ``settings.text_embedder`` names (not loaded yet)."""
    return registered_embedder(settings)


def build_ocr(settings: Settings) -> OcrEngine:
    """The registered OCR engine ``settings.ocr_engine`` names (not loaded yet)."""
    return plugin_registry().ocr_engines.factory(settings.ocr_engine)(settings)


def build_splitter(settings: Settings) -> TokenSplitter:
    if settings.chunking == "sentence-window":
        return TokenSplitter(
            tokenizer=TiktokenTokenizer(settings.tokenizer_encoding),
            chunk_tokens=settings.window_tokens,
            overlap_tokens=0,
            # A catalog record stays whole, as in a passage index.
            max_tokens=max(settings.chunk_tokens, settings.window_tokens),
            flow_across_pages=settings.chunks_cross_pdf_pages,
            windows=True,
        )
    return TokenSplitter(
        tokenizer=TiktokenTokenizer(settings.tokenizer_encoding),
        chunk_tokens=settings.chunk_tokens,
        overlap_tokens=settings.chunk_overlap_tokens,
        flow_across_pages=settings.chunks_cross_pdf_pages,
        sentence_starts=settings.chunk_sentence_starts,
    )


def build_document_intelligence(settings: Settings) -> DocumentIntelligenceParser | None:
    """The Document Intelligence parser when its endpoint and key are both configured."""
    if not settings.docintel_endpoint or settings.docintel_key is None:
        return None
    return DocumentIntelligenceParser(
        endpoint=settings.docintel_endpoint,
        key=settings.docintel_key.get_secret_value(),
        assets_dir=settings.index_dir / "assets",
        max_pages=settings.max_pdf_pages,
        max_image_pixels=settings.max_image_pixels,
    )


def build_parser_registry(settings: Settings, *, ocr: OcrEngine) -> ParserRegistry:
    return default_parser_registry(
        ocr=ocr,
        max_image_pixels=settings.max_image_pixels,
        assets_dir=settings.index_dir / "assets",
        max_pdf_pages=settings.max_pdf_pages,
        pdf_page_images=settings.pdf_page_images,
        document_intelligence=build_document_intelligence(settings),
    )


def build_stage_components(settings: Settings, *, image_vectors: bool) -> StageComponents:
    """What a Ray worker prepares and embeds files with: the same parsers, splitter, enricher
    and embedders as ``ridgeline ingest`` builds for one process. ``image_vectors``: whether the
    driver's index takes image vectors (checked there, against the index)."""
    ocr = cached_ocr(settings, build_ocr(settings))
    preparer = FilePreparer(
        registry=build_parser_registry(settings, ocr=ocr),
        splitter=build_splitter(settings),
        enricher=build_enricher(settings, ocr=ocr),
    )
    return StageComponents(
        preparer=preparer,
        embedder=build_text_embedder(settings),
        image_embedder=build_image_embedder(settings) if image_vectors else None,
    )
