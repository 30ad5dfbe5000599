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


def test_every_supported_format_has_a_parser(tmp_path: Path) -> None:
    from ingestion.parsers import (
        AudioParser,
        CsvCatalogParser,
        DocxParser,
        HtmlParser,
        JsonCatalogParser,
        PptxParser,
        XlsxParser,
    )

    registry = default_parser_registry(
        ocr=FixedOcr(""), max_image_pixels=1000, assets_dir=tmp_path, max_pdf_pages=5
    )

    expected = {
        "a.docx": DocxParser,
        "a.pptx": PptxParser,
        "a.xlsx": XlsxParser,
        "a.html": HtmlParser,
        "a.htm": HtmlParser,
        "a.csv": CsvCatalogParser,
        "a.json": JsonCatalogParser,
        "a.wav": AudioParser,
        "a.mp3": AudioParser,
        "a.m4a": AudioParser,
        "a.tiff": ImageParser,
        "a.webp": ImageParser,
        "a.gif": ImageParser,
        "a.bmp": ImageParser,
    }
    for name, parser_type in expected.items():
        assert isinstance(registry.for_path(Path(name)), parser_type), name
    pdf = registry.for_path(Path("a.pdf"))
    assert isinstance(pdf, PdfParser) and (pdf.assets_dir, pdf.max_pages) == (tmp_path, 5)
    word = registry.for_path(Path("a.docx"))
    assert isinstance(word, DocxParser) and word.assets_dir == tmp_path


def test_document_intelligence_replaces_the_local_parsers_it_covers() -> None:
    from ingestion.parsers import DocumentIntelligenceParser

    service = DocumentIntelligenceParser(endpoint="http://127.0.0.1:1", key="k")
    registry = default_parser_registry(
        ocr=FixedOcr(""), max_image_pixels=1000, document_intelligence=service
    )

    for name in ("a.pdf", "a.docx", "a.pptx", "a.xlsx", "a.png", "a.tif"):
        assert registry.for_path(Path(name)) is service, name
    assert isinstance(registry.for_path(Path("a.md")), MarkdownParser)
