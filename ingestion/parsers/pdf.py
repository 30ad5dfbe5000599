"""PDF files: one page per PDF page, with tables as Markdown, figures as images, and OCR of scans.

Text comes from pypdfium2's text layer. A page that draws lines or boxes may hold a ruled table:
pdfplumber looks for tables there (only there: it is ~50x slower than pdfium), and when it finds
one the page is rebuilt from pdfplumber's text lines outside the tables with each table as one
Markdown block at its place, so a table is neither lost nor repeated as loose words. Embedded
raster images of a meaningful size are saved as PNG figures (``figure{page}_{n}.png``) in the
assets folder and named in the page text by a ``[Figure figureP_N.png]`` line where they stand.
A page with no text layer (a scan) is rendered and read by the OCR engine when one is given.

Every render and every embedded image obeys ``max_image_pixels`` (``RIDGELINE_MAX_IMAGE_PIXELS``):
a page is rendered at a smaller scale when the usual one would exceed it (a 451-byte PDF can
declare a 200x200-inch page, 829 megapixels at the OCR scale), and an embedded image over it is
skipped undecoded, with the reason in ``warnings`` (the ingest report shows them).
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from ingestion.parsers.anchors import figure_marker
from ingestion.parsers.assets import asset_folder, save_png
from ingestion.parsers.pdf_figures import (
    CONTEXT_CHARS,
    PageFigure,
    drawn_boxes,
    extract_figures,
    has_drawings,
    table_check,
    text_in,
    text_with_figures,
)
from ingestion.parsers.pdf_layout import PageItem, PlumberLayout, compose
from ridgeline.errors import CorruptFileError, IngestionError
from ridgeline.protocols import OcrEngine
from ridgeline.types import ImageAsset, Page

_TRAILING_SPACE = re.compile(r"[ \t]+\n")
# Scanned pages are rendered at 2x (144 dpi): enough for OCR of body text, small enough to be fast.
_OCR_SCALE = 2.0


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """The document, or a clear error for an encrypted or unreadable file."""
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise IngestionError(
                path, "the PDF is password-protected; remove the password and ingest it again"
            ) from exc
        raise CorruptFileError(path, f"not a readable PDF ({exc})") from exc


def check_page_count(path: Path, count: int, max_pages: int) -> None:
    if count > max_pages:
        raise IngestionError(
            path,
            f"the PDF has {count:,} pages, above the limit of {max_pages:,} "
            "(raise RIDGELINE_MAX_PDF_PAGES if it is genuine)",
        )


def _text_layer(page: pdfium.PdfPage) -> str:
    return _TRAILING_SPACE.sub("\n", text_in(page)).strip()  # pdfium pads line ends with spaces


def render_scale(page: pdfium.PdfPage, *, max_pixels: int, wanted: float = _OCR_SCALE) -> float:
    """``wanted``, or less so that the page rendered at that scale has at most ``max_pixels``."""
    width, height = page.get_size()  # points; one pixel per point at scale 1
    area = abs(width * height)
    if area <= 0:
        return wanted
    # A hair under the exact root: pdfium rounds each side of the bitmap up.
    return min(wanted, math.sqrt(max_pixels / area) * 0.999)


def _title(document: pdfium.PdfDocument) -> str | None:
    title = document.get_metadata_dict().get("Title", "").strip()
    return title or None


class PdfParser:
    """Parses ``.pdf`` files page by page; citations read ``file.pdf#page=N``.

    Without ``assets_dir`` figures are not extracted; without ``ocr`` scanned pages stay empty.
    Figures are embedded images and charts drawn as vectors (rendered within
    ``max_image_pixels``). ``page_images`` also saves a picture of every page that holds a
    figure, and of scanned pages (off by default: it is slow and big).

    >>> parser = PdfParser(ocr=RapidOcrEngine(), assets_dir=Path("assets"))  # doctest: +SKIP
    >>> [p.page_number for p in parser.parse(Path("a.pdf"), source="a.pdf")]  # doctest: +SKIP
    [1, 2, 3]
    """

    def __init__(
        self,
        *,
        ocr: OcrEngine | None = None,
        assets_dir: Path | None = None,
        max_pages: int = 2000,
        page_images: bool = False,
        min_figure_pixels: int = 64,
        max_image_pixels: int = 50_000_000,
    ) -> None:
        self._ocr = ocr
        self.assets_dir = assets_dir
        self.max_pages = max_pages
        self.page_images = page_images
        self.min_figure_pixels = min_figure_pixels
        self.max_image_pixels = max_image_pixels
        self.warnings: list[str] = []  # images left out of the last parse, and why

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        self.warnings = []
        document = open_pdf(path)
        try:
            check_page_count(path, len(document), self.max_pages)
            title = _title(document)
            with PlumberLayout(path) as layout:
                for index in range(len(document)):
                    try:
                        page = document[index]
                        try:
                            text, images = self._content(page, index + 1, path, layout)
                        finally:
                            page.close()
                    except pdfium.PdfiumError as exc:
                        raise CorruptFileError(
                            path, f"page {index + 1} cannot be read ({exc})"
                        ) from exc
                    yield Page(
                        source=source, page_number=index + 1, text=text, title=title, images=images
                    )
        finally:
            document.close()

    def _content(
        self, page: pdfium.PdfPage, number: int, path: Path, layout: PlumberLayout
    ) -> tuple[str, tuple[ImageAsset, ...]]:
        text = _text_layer(page)
        if not text:
            # A scan: the whole page is one picture, read by OCR rather than kept as a figure.
            text = self._ocr_page(page) if self._ocr is not None else ""
            return text, self._page_image(page, number, path, text)
        figures = self._figures(page, number, path, layout)
        tabled = self._with_tables(page, number, layout, figures) if has_drawings(page) else None
        if tabled is not None:
            text = tabled
        elif figures:
            text = text_with_figures(page, figures)
        assets = tuple(figure.asset for figure in figures)
        return text, assets + (self._page_image(page, number, path, text) if figures else ())

    def _with_tables(
        self,
        page: pdfium.PdfPage,
        number: int,
        layout: PlumberLayout,
        figures: list[PageFigure],
    ) -> str | None:
        """The page laid out by pdfplumber when it finds tables on it, else ``None``."""
        height = page.get_height()
        table_count, items = layout.items(number - 1, drawn=drawn_boxes(figures, height))
        if not table_count:
            return None
        items.extend(
            PageItem(height - bounds[3], figure_marker(str(asset.figure_name)), block=True)
            for asset, bounds, _ in figures
        )
        return compose(items)

    def _figures(
        self, page: pdfium.PdfPage, number: int, path: Path, layout: PlumberLayout
    ) -> list[PageFigure]:
        if self.assets_dir is None:
            return []
        folder = asset_folder(self.assets_dir, path)
        return extract_figures(
            page,
            number,
            folder,
            min_pixels=self.min_figure_pixels,
            max_pixels=self.max_image_pixels,
            is_table=table_check(layout, number - 1, page.get_height()),
            skipped=self.warnings,
        )

    def _render(self, page: pdfium.PdfPage) -> Image.Image:
        """The page as a picture for OCR or ``page_images``, within ``max_image_pixels``."""
        scale = render_scale(page, max_pixels=self.max_image_pixels)
        return page.render(scale=scale).to_pil()

    def _ocr_page(self, page: pdfium.PdfPage) -> str:
        assert self._ocr is not None
        with tempfile.TemporaryDirectory(prefix="ridgeline-ocr-") as folder:
            image_path = Path(folder) / "page.png"
            self._render(page).save(image_path)
            return self._ocr.read_text(image_path).strip()

    def _page_image(
        self, page: pdfium.PdfPage, number: int, path: Path, text: str
    ) -> tuple[ImageAsset, ...]:
        if not self.page_images or self.assets_dir is None:
            return ()
        folder = asset_folder(self.assets_dir, path)
        saved = save_png(self._render(page), folder, f"page{number}.png")
        return (ImageAsset(path=str(saved), context=" ".join(text.split())[:CONTEXT_CHARS]),)
