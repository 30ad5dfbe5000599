"""Which parser reads which file: a map from file extension to parser factory.

The built-in parsers are registered through the same ``register`` call that a plugin or a test
uses, so there is one way in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ingestion.parsers import (
    IMAGE_EXTENSIONS,
    CsvCatalogParser,
    ImageParser,
    JsonCatalogParser,
    MarkdownParser,
    PdfParser,
    TextParser,
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


def default_parser_registry(*, ocr: OcrEngine, max_image_pixels: int) -> ParserRegistry:
    """The built-in parsers: text, Markdown, PDF, CSV/JSON catalogs and images (OCR)."""
    registry = ParserRegistry()
    registry.register([".txt"], TextParser)
    registry.register([".md", ".markdown"], MarkdownParser)
    registry.register([".pdf"], PdfParser)
    registry.register([".csv"], CsvCatalogParser)
    registry.register([".json"], JsonCatalogParser)
    registry.register(
        IMAGE_EXTENSIONS, lambda: ImageParser(ocr=ocr, max_image_pixels=max_image_pixels)
    )
    return registry
