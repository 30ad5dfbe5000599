"""PDF files: the text layer of each page, with 1-based page numbers, read with pypdfium2.

Pages without a text layer (scans) come out with empty text: OCR of scanned pages is a later
step, and it is not faked here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ridgeline.errors import CorruptFileError, IngestionError
from ridgeline.types import Page

_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise IngestionError(
                path, "the PDF is password-protected; remove the password and ingest it again"
            ) from exc
        raise CorruptFileError(path, f"not a readable PDF ({exc})") from exc


def _page_text(document: pdfium.PdfDocument, index: int, path: Path) -> str:
    try:
        page = document[index]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_bounded()
            finally:
                textpage.close()
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(path, f"page {index + 1} cannot be read ({exc})") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _TRAILING_SPACE.sub("\n", text).strip()  # pdfium pads line ends with spaces


def _title(document: pdfium.PdfDocument) -> str | None:
    title = document.get_metadata_dict().get("Title", "").strip()
    return title or None


class PdfParser:
    """Parses ``.pdf`` files page by page; citations read ``file.pdf#page=N``.

    >>> [p.page_number for p in PdfParser().parse(Path("a.pdf"), source="a.pdf")]  # doctest: +SKIP
    [1, 2, 3]
    """

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        document = _open(path)
        try:
            title = _title(document)
            for index in range(len(document)):
                text = _page_text(document, index, path)
                yield Page(source=source, page_number=index + 1, text=text, title=title)
        finally:
            document.close()
