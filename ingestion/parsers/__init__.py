"""One parser per file format; each turns a file into ``Page``s (see ``ridgeline.protocols``)."""

from ingestion.parsers.catalog import CsvCatalogParser, JsonCatalogParser
from ingestion.parsers.image import IMAGE_EXTENSIONS, ImageParser
from ingestion.parsers.markdown import MarkdownParser
from ingestion.parsers.pdf import PdfParser
from ingestion.parsers.text import TextParser

__all__ = [
    "IMAGE_EXTENSIONS",
    "CsvCatalogParser",
    "ImageParser",
    "JsonCatalogParser",
    "MarkdownParser",
    "PdfParser",
    "TextParser",
]
