"""Enrichment between parsing and splitting: OCR text, captions and context for images."""

from ingestion.enrich.cache import CachingOcrEngine, EnrichmentCache
from ingestion.enrich.images import EnrichmentResult, ImageEnricher, local_image_path

__all__ = [
    "CachingOcrEngine",
    "EnrichmentCache",
    "EnrichmentResult",
    "ImageEnricher",
    "local_image_path",
]
