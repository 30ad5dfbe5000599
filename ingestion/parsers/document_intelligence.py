"""Azure AI Document Intelligence (prebuilt-layout) as the parser for PDF, Office and image files.

The service reads the file (text, reading order, tables); ``layout_result`` maps its answer to
pages. The ``azure-ai-formrecognizer`` SDK speaks API version 2023-07-31, whose layout result has
no figures, so figures of PDFs are found locally exactly as the local PDF parser finds them
(embedded images, and charts drawn as vectors cropped from the page by ``render_region``) and
placed on their pages; the paragraphs inside a drawn figure (its tick labels, its legend) are
left out of the page text, since the figure carries them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingestion.parsers.assets import asset_folder
from ingestion.parsers.layout_result import Box, Figures, PlacedFigure, pages_from_layout
from ingestion.parsers.pdf import check_page_count, open_pdf
from ingestion.parsers.pdf_figures import PageFigure, extract_figures, table_check
from ingestion.parsers.pdf_layout import PlumberLayout
from ridgeline.errors import IngestionError
from ridgeline.types import Page

DOCUMENT_INTELLIGENCE_EXTENSIONS = (
    ".pdf",
    ".docx",
    ".pptx",
    ".xlsx",
    ".html",
    ".png",
    ".jpg",
    ".jpeg",
    ".bmp",
    ".tif",
    ".tiff",
)


class DocumentIntelligenceParser:
    """Sends a file to Document Intelligence and turns the layout into pages.

    >>> parser = DocumentIntelligenceParser(endpoint="https://x.cognitiveservices.azure.com",
    ...     key="...", assets_dir=Path("assets"))  # doctest: +SKIP
    >>> pages = list(parser.parse(Path("a.pdf"), source="a.pdf"))  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        endpoint: str,
        key: str,
        model_id: str = "prebuilt-layout",
        assets_dir: Path | None = None,
        max_pages: int = 2000,
        min_figure_pixels: int = 64,
        max_image_pixels: int = 50_000_000,
        polling_interval: float = 1.0,
    ) -> None:
        self.endpoint = endpoint
        self._key = key
        self.model_id = model_id
        self.assets_dir = assets_dir
        self.max_pages = max_pages
        self.min_figure_pixels = min_figure_pixels
        self.max_image_pixels = max_image_pixels  # embedded images over it are not decoded
        self.polling_interval = polling_interval
        self._client: Any = None

    def _analysis_client(self) -> Any:
        if self._client is None:
            from azure.ai.formrecognizer import DocumentAnalysisClient
            from azure.core.credentials import AzureKeyCredential

            self._client = DocumentAnalysisClient(
                self.endpoint,
                AzureKeyCredential(self._key),
                polling_interval=self.polling_interval,
            )
        return self._client

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        figures = self._pdf_figures(path) if path.suffix.lower() == ".pdf" else {}
        yield from pages_from_layout(self._analyze(path), source=source, figures=figures)

    def _analyze(self, path: Path) -> Any:
        from azure.core.exceptions import AzureError

        try:
            with path.open("rb") as document:
                poller = self._analysis_client().begin_analyze_document(self.model_id, document)
                return poller.result()
        except AzureError as exc:
            message = getattr(exc, "message", None) or str(exc)
            reason = f"Document Intelligence could not analyze it ({message})"
            raise IngestionError(path, reason) from exc

    def _pdf_figures(self, path: Path) -> Figures:
        document = open_pdf(path)
        try:
            check_page_count(path, len(document), self.max_pages)
            if self.assets_dir is None:
                return {}
            with PlumberLayout(path) as layout:
                return self._figures_of(document, asset_folder(self.assets_dir, path), layout)
        finally:
            document.close()

    def _figures_of(self, document: Any, folder: Path, layout: PlumberLayout) -> Figures:
        figures = {}
        for index in range(len(document)):
            page = document[index]
            try:
                height = page.get_height()
                found = extract_figures(
                    page,
                    index + 1,
                    folder,
                    min_pixels=self.min_figure_pixels,
                    max_pixels=self.max_image_pixels,
                    is_table=table_check(layout, index, height),
                )
            finally:
                page.close()
            if found:
                figures[index + 1] = [
                    PlacedFigure(f.asset, height - f.bounds[3], _drawn_area(f, height))
                    for f in found
                ]
        return figures


def _drawn_area(figure: PageFigure, height: float) -> Box | None:
    """A drawn figure's bounds from the top of the page, as the layout result measures."""
    if not figure.drawn:
        return None
    left, bottom, right, top = figure.bounds
    return left, height - top, right, height - bottom
