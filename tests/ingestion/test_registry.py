from pathlib import Path

import pytest

from ingestion.parsers import ImageParser, MarkdownParser, PdfParser, TextParser
from ingestion.registry import ParserRegistry, default_parser_registry
from ridgeline.errors import UnsupportedFileError
from tests.ingestion.fakes import FixedOcr


def test_the_default_registry_picks_a_parser_by_extension_case_insensitively() -> None:
    registry = default_parser_registry(ocr=FixedOcr(""), max_image_pixels=1000)

    assert isinstance(registry.for_path(Path("a.PDF")), PdfParser)
    assert isinstance(registry.for_path(Path("b.markdown")), MarkdownParser)
    image_parser = registry.for_path(Path("c.JPeg"))
    assert isinstance(image_parser, ImageParser) and image_parser.max_image_pixels == 1000


def test_an_unknown_extension_is_refused_with_the_supported_list() -> None:
    registry = default_parser_registry(ocr=FixedOcr(""), max_image_pixels=1000)

    with pytest.raises(UnsupportedFileError, match=r"unsupported file type '\.xyz' \(supported: "):
        registry.for_path(Path("notes.xyz"))
    with pytest.raises(UnsupportedFileError, match=r"\(no extension\)"):
        registry.for_path(Path("README"))


def test_a_later_registration_overrides_and_extensions_are_normalised() -> None:
    registry = ParserRegistry()
    registry.register(["TXT"], MarkdownParser)
    registry.register([".txt", "log"], TextParser)

    assert registry.extensions == [".log", ".txt"]
    assert isinstance(registry.for_path(Path("x.txt")), TextParser)
