"""Ingestion: files -> pages (parsers) -> chunks (splitter) -> vectors -> a search index.

Usage::

    registry = default_parser_registry(ocr=RapidOcrEngine(), max_image_pixels=50_000_000)
    splitter = TokenSplitter(tokenizer=TiktokenTokenizer())
    pipeline = IngestionPipeline(registry=registry, splitter=splitter, embedder=embedder,
                                 index=index, max_file_bytes=100 * 1024 * 1024)
    report = pipeline.run([Path("docs")])
"""

from ingestion.pipeline import IngestionPipeline
from ingestion.registry import ParserRegistry, default_parser_registry
from ingestion.report import FileResult, IngestProgress, IngestReport
from ingestion.splitter import TokenSplitter, embedding_text

__all__ = [
    "FileResult",
    "IngestProgress",
    "IngestReport",
    "IngestionPipeline",
    "ParserRegistry",
    "TokenSplitter",
    "default_parser_registry",
    "embedding_text",
]
