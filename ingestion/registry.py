"""Which parser reads which file: a map from file extension to parser factory.

The built-in parsers are registered through the same ``register`` call that a plugin or a test
uses, so there is one way in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ingestion.parsers import (
    AUDIO_EXTENSIONS,
    DOCUMENT_INTELLIGENCE_EXTENSIONS,
    IMAGE_EXTENSIONS,
    ArchiveLimits,
    AudioParser,
    CsvCatalogParser,
    DocumentIntelligenceParser,
    DocxParser,
    HtmlParser,
    ImageParser,
    JsonCatalogParser,
    MarkdownParser,
    PdfParser,
    PptxParser,
    TextParser,
    Transcriber,
    WhisperTranscriber,
    XlsxParser,
)
from ridgeline.errors import UnsupportedFileError
from ridgeline.protocols import OcrEngine, Parser

ParserFactory = Callable[[], Parser]


def _normalise(extension: str) -> str:
    extension = extension.strip().lower()
    if not extension or extension == ".":
        raise ValueError("an extension must not be empty")
    return extension if extension.startswith(".") else f".{extension}"


class ParserRegistry:
    """Maps file extensions (case-insensitive) to parser factories.

    >>> registry = ParserRegistry()
    >>> registry.register([".txt"], TextParser)
    >>> type(registry.for_path(Path("notes.TXT"))).__name__
    'TextParser'
    """

    def __init__(self) -> None:
        self._factories: dict[str, ParserFactory] = {}

    def register(self, extensions: Iterable[str], factory: ParserFactory) -> None:
        """Use ``factory()`` for files with these extensions; a later call overrides an earlier."""
        for extension in extensions:
            self._factories[_normalise(extension)] = factory

    @property
    def extensions(self) -> list[str]:
        return sorted(self._factories)

    def supports(self, path: Path) -> bool:
        return path.suffix.lower() in self._factories

    def for_path(self, path: Path) -> Parser:
        """A parser for ``path``; ``UnsupportedFileError`` if no parser reads its type."""
        factory = self._factories.get(path.suffix.lower())
        if factory is None:
            kind = f"'{path.suffix.lower()}'" if path.suffix else "(no extension)"
            supported = ", ".join(self.extensions) or "none"
            raise UnsupportedFileError(
                path, f"unsupported file type {kind} (supported: {supported})"
            )
        return factory()


def default_parser_registry(
    *,
    ocr: OcrEngine,
    max_image_pixels: int,
    assets_dir: Path | None = None,
    max_pdf_pages: int = 2000,
    pdf_page_images: bool = False,
    archive_limits: ArchiveLimits | None = None,
    transcriber: Transcriber | None = None,
    document_intelligence: DocumentIntelligenceParser | None = None,
) -> ParserRegistry:
    """The built-in parsers for every supported format.

    ``assets_dir`` is where figures and embedded pictures are saved (none are without it).
    ``transcriber`` defaults to offline Whisper (the ``audio`` extra; audio files fail with an
    "install ridgeline[audio]" error when it is missing). With ``document_intelligence`` set, that
    parser reads PDF, Office, HTML and scanned-image files instead of the local ones.
    """
    limits = archive_limits or ArchiveLimits()
    registry = ParserRegistry()
    registry.register([".txt"], TextParser)
    registry.register([".csv"], CsvCatalogParser)
    registry.register([".json"], JsonCatalogParser)
    registry.register(
        [".pdf"],
        lambda: PdfParser(
            ocr=ocr,
            assets_dir=assets_dir,
            max_pages=max_pdf_pages,
            page_images=pdf_page_images,
            max_image_pixels=max_image_pixels,
        ),
    )
    office = {"assets_dir": assets_dir, "max_image_pixels": max_image_pixels}
    registry.register([".html", ".htm"], lambda: HtmlParser(**office))
    registry.register([".md", ".markdown"], lambda: MarkdownParser(**office))
    registry.register([".docx"], lambda: DocxParser(**office, archive_limits=limits))
    registry.register([".pptx"], lambda: PptxParser(**office, archive_limits=limits))
    registry.register([".xlsx"], lambda: XlsxParser(archive_limits=limits))
    registry.register(
        IMAGE_EXTENSIONS, lambda: ImageParser(ocr=ocr, max_image_pixels=max_image_pixels)
    )
    chosen = transcriber or WhisperTranscriber()
    registry.register(AUDIO_EXTENSIONS, lambda: AudioParser(transcriber=chosen))
    if document_intelligence is not None:
        registry.register(DOCUMENT_INTELLIGENCE_EXTENSIONS, lambda: document_intelligence)
    return registry
