"""One parser per file format; each turns a file into ``Page``s (see ``ridgeline.protocols``)."""

from ingestion.parsers.archive_limits import ArchiveLimits
from ingestion.parsers.audio import (
    AUDIO_EXTENSIONS,
    AudioParser,
    OpenAiTranscriber,
    Transcriber,
    WhisperTranscriber,
)
from ingestion.parsers.catalog import CsvCatalogParser, JsonCatalogParser
from ingestion.parsers.document_intelligence import (
    DOCUMENT_INTELLIGENCE_EXTENSIONS,
    DocumentIntelligenceParser,
)
from ingestion.parsers.excel import XlsxParser
from ingestion.parsers.image import IMAGE_EXTENSIONS, ImageParser
from ingestion.parsers.markdown import MarkdownParser
from ingestion.parsers.pdf import PdfParser
from ingestion.parsers.powerpoint import PptxParser
from ingestion.parsers.text import TextParser
from ingestion.parsers.web_page import HtmlParser
from ingestion.parsers.word import DocxParser

__all__ = [
    "AUDIO_EXTENSIONS",
    "DOCUMENT_INTELLIGENCE_EXTENSIONS",
    "IMAGE_EXTENSIONS",
    "ArchiveLimits",
    "AudioParser",
    "CsvCatalogParser",
    "DocumentIntelligenceParser",
    "DocxParser",
    "HtmlParser",
    "ImageParser",
    "JsonCatalogParser",
    "MarkdownParser",
    "OpenAiTranscriber",
    "PdfParser",
    "PptxParser",
    "TextParser",
    "Transcriber",
    "WhisperTranscriber",
    "XlsxParser",
]
