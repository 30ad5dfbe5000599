"""Which parser reads which file: a map from file extension to parser.

Parsers are registered in the plugin registry's ``parsers`` role (extension -> factory taking a
:class:`ParserContext`); the built-ins below go through that same call, from the ``builtin``
plugin. A run binds the registered factories to its context with :func:`parser_registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
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
from ingestion.parsers.jsonl import JsonlParser
from ridgeline.errors import UnsupportedFileError
from ridgeline.plugins.registry import (
    ExtensionRole,
    PluginRegistry,
    normalise_extension,
    plugin_registry,
)
from ridgeline.protocols import OcrEngine, Parser

ParserFactory = Callable[[], Parser]
_ContextFactory = Callable[["ParserContext"], Parser]


@dataclass(frozen=True, kw_only=True)
class ParserContext:
    """What a parser factory may use: the run's OCR engine, limits and assets folder.

    ``assets_dir`` is where figures and embedded pictures are saved (none are without it).
    ``transcriber`` defaults to offline Whisper (the ``audio`` extra). With
    ``document_intelligence`` set, that parser reads PDF, Office, HTML and scanned images.
    """

    ocr: OcrEngine
    max_image_pixels: int
    assets_dir: Path | None = None
    max_pdf_pages: int = 2000
    pdf_page_images: bool = False
    archive_limits: ArchiveLimits = field(default_factory=ArchiveLimits)
    transcriber: Transcriber | None = None
    document_intelligence: DocumentIntelligenceParser | None = None


class ParserRegistry:
    """Maps file extensions (case-insensitive) to parser factories, for one run.

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
            self._factories[normalise_extension(extension)] = factory

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


def parser_registry(
    context: ParserContext, plugins: PluginRegistry | None = None
) -> ParserRegistry:
    """Every registered parser (built-in and plugins), bound to ``context``."""
    # One transcriber for the run: Whisper loads its model once, on the first audio file.
    context = replace(context, transcriber=context.transcriber or WhisperTranscriber())
    registry = ParserRegistry()
    for extension, factory in (plugins or plugin_registry()).parsers.items():
        registry.register([extension], partial(factory, context))
    return registry


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
    """The registered parsers for every supported format (see :class:`ParserContext`)."""
    context = ParserContext(
        ocr=ocr,
        max_image_pixels=max_image_pixels,
        assets_dir=assets_dir,
        max_pdf_pages=max_pdf_pages,
        pdf_page_images=pdf_page_images,
        archive_limits=archive_limits or ArchiveLimits(),
        transcriber=transcriber,
        document_intelligence=document_intelligence,
    )
    return parser_registry(context)


def register_builtin_parsers(parsers: ExtensionRole) -> None:
    """The built-in parsers, registered by the ``builtin`` plugin like any other."""
    local: dict[str, _ContextFactory] = {
        ".txt": lambda context: TextParser(),
        ".csv": lambda context: CsvCatalogParser(),
        ".json": lambda context: JsonCatalogParser(),
        ".jsonl": lambda context: JsonlParser(),
        ".pdf": _pdf,
        ".html": _html,
        ".htm": _html,
        ".md": _markdown,
        ".markdown": _markdown,
        ".docx": _docx,
        ".pptx": _pptx,
        ".xlsx": _xlsx,
        **dict.fromkeys(IMAGE_EXTENSIONS, _image),
        **dict.fromkeys(AUDIO_EXTENSIONS, _audio),
    }
    for extension, factory in local.items():
        chosen = _or_document_intelligence(factory) if extension in _DI else factory
        parsers.register([extension], chosen)


_DI = frozenset(DOCUMENT_INTELLIGENCE_EXTENSIONS)


def _or_document_intelligence(local: _ContextFactory) -> _ContextFactory:
    """Document Intelligence when the run has it, else the local parser."""
    return lambda context: context.document_intelligence or local(context)


def _pdf(context: ParserContext) -> Parser:
    return PdfParser(
        ocr=context.ocr,
        assets_dir=context.assets_dir,
        max_pages=context.max_pdf_pages,
        page_images=context.pdf_page_images,
        max_image_pixels=context.max_image_pixels,
    )


def _html(context: ParserContext) -> Parser:
    return HtmlParser(assets_dir=context.assets_dir, max_image_pixels=context.max_image_pixels)


def _markdown(context: ParserContext) -> Parser:
    return MarkdownParser(assets_dir=context.assets_dir, max_image_pixels=context.max_image_pixels)


def _docx(context: ParserContext) -> Parser:
    return DocxParser(
        assets_dir=context.assets_dir,
        max_image_pixels=context.max_image_pixels,
        archive_limits=context.archive_limits,
    )


def _pptx(context: ParserContext) -> Parser:
    return PptxParser(
        assets_dir=context.assets_dir,
        max_image_pixels=context.max_image_pixels,
        archive_limits=context.archive_limits,
    )


def _xlsx(context: ParserContext) -> Parser:
    return XlsxParser(archive_limits=context.archive_limits)


def _image(context: ParserContext) -> Parser:
    return ImageParser(ocr=context.ocr, max_image_pixels=context.max_image_pixels)


def _audio(context: ParserContext) -> Parser:
    return AudioParser(transcriber=context.transcriber or WhisperTranscriber())
