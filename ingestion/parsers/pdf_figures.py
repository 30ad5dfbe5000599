"""Figures of a PDF page, saved as PNG files: its embedded raster images of a meaningful size,
then the charts and diagrams drawn as vectors (``vector_figures``), rendered from the page.

Each figure is named ``figure{page}_{n}.png`` and carries the text just under it (a caption), or
else just above it, as context; a drawn figure's context also holds its own words (title,
legend, labels). Small images (bullets, rules, logos) are skipped. An embedded image larger
than ``max_pixels`` (``RIDGELINE_MAX_IMAGE_PIXELS``) is skipped before it is decoded (its size is
read from the PDF's image dictionary) and the reason is noted for the ingest report: a few
hundred bytes of PDF can declare a 900-megapixel picture. Drawn figures are rendered within it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from ingestion.parsers.anchors import figure_marker
from ingestion.parsers.assets import save_png
from ingestion.parsers.figure_text import text_around
from ingestion.parsers.pdf_layout import PlumberLayout
from ingestion.parsers.vector_figures import (
    Bounds,
    DrawnFigure,
    TableCheck,
    find_drawn_figures,
    overlap_share,
    render_region,
)
from ridgeline.types import ImageAsset

_CONTEXT_POINTS = 60.0  # how far below (or above) a figure its caption is looked for
CONTEXT_CHARS = 400


def text_in(page: pdfium.PdfPage, **bounds: float) -> str:
    """The page's text layer, optionally within ``left/bottom/right/top`` (PDF points)."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_bounded(**bounds)
    finally:
        textpage.close()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _context(page: pdfium.PdfPage, bounds: tuple[float, float, float, float]) -> str:
    left, bottom, right, top = bounds  # PDF y grows upwards: "below" is a smaller y
    below = text_in(
        page, left=left, bottom=max(bottom - _CONTEXT_POINTS, 0), right=right, top=bottom
    )
    text = (
        below
        if below.strip()
        else text_in(page, left=left, bottom=top, right=right, top=top + _CONTEXT_POINTS)
    )
    return " ".join(text.split())[:CONTEXT_CHARS]


def _pixels(image: pdfium.PdfImage, *, max_pixels: int) -> Image.Image | None:
    """The image at its stored resolution; rendered instead when pdfium cannot decode it raw
    (at its size on the page, one pixel per point: None when that is over ``max_pixels``)."""
    try:
        return image.get_bitmap(render=False).to_pil()
    except (pdfium.PdfiumError, ValueError):
        left, bottom, right, top = image.get_bounds()
        if (right - left) * (top - bottom) > max_pixels:
            return None
        return image.get_bitmap(render=True).to_pil()


def _over_limit(number: int, width: int, height: int, max_pixels: int) -> str:
    return (
        f"page {number}: an embedded image of {width}x{height} = {width * height:,} pixels is "
        f"above the limit of {max_pixels:,} (RIDGELINE_MAX_IMAGE_PIXELS); skipped, not decoded"
    )


class PageFigure(NamedTuple):
    """A saved figure and where it is on its page; ``drawn``: rendered from vector drawings,
    so the text inside its bounds is the figure's own (kept out of the page's prose)."""

    asset: ImageAsset
    bounds: Bounds
    drawn: bool = False


def extract_figures(
    page: pdfium.PdfPage,
    number: int,
    folder: Path,
    *,
    min_pixels: int,
    max_pixels: int,
    is_table: TableCheck | None = None,
    skipped: list[str] | None = None,
) -> list[PageFigure]:
    """Saves the page's figures in ``folder``: embedded images, then drawn figures (rendered
    within ``max_pixels``; ``is_table`` tells a bar chart from a shaded table). Why an embedded
    image over ``max_pixels`` was left out is appended to ``skipped``."""
    figures: list[PageFigure] = []
    notes = skipped if skipped is not None else []
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        width_px, height_px = image.get_px_size()  # from the image dictionary: nothing decoded
        if min(width_px, height_px) < min_pixels:
            continue
        pixels = (
            None if width_px * height_px > max_pixels else _pixels(image, max_pixels=max_pixels)
        )
        if pixels is None:
            notes.append(_over_limit(number, width_px, height_px, max_pixels))
            continue
        name = f"figure{number}_{len(figures) + 1}.png"
        saved = save_png(pixels, folder, name)
        bounds = image.get_bounds()
        asset = ImageAsset(path=str(saved), figure_name=name, context=_context(page, bounds))
        figures.append(PageFigure(asset, bounds))
    embedded = [figure.bounds for figure in figures]
    for drawn in find_drawn_figures(page, is_table=is_table, avoid=embedded):
        name = f"figure{number}_{len(figures) + 1}.png"
        image = render_region(page, drawn.bounds, max_pixels=max_pixels)
        asset = ImageAsset(
            path=str(save_png(image, folder, name)), figure_name=name, context=_drawn_context(drawn)
        )
        figures.append(PageFigure(asset, drawn.bounds, drawn=True))
    return figures


def table_check(layout: PlumberLayout, index: int, height: float) -> TableCheck:
    """Whether a region of page ``index`` is mostly one of the tables pdfplumber finds there
    (asked only for regions of boxes and rules, so most pages never pay for it)."""

    def is_table(bounds: Bounds) -> bool:
        boxes = [
            (x0, height - bottom, x1, height - top)
            for x0, top, x1, bottom in layout.table_boxes(index)
        ]
        return any(overlap_share(bounds, box) > 0.5 for box in boxes)

    return is_table


def drawn_boxes(figures: Sequence[PageFigure], height: float) -> list[Bounds]:
    """The drawn figures' bounds measured from the top of the page, as pdfplumber measures."""
    return [
        (f.bounds[0], height - f.bounds[3], f.bounds[2], height - f.bounds[1])
        for f in figures
        if f.drawn
    ]


def _drawn_context(figure: DrawnFigure) -> str:
    """Its caption line, then its own words (title, legend, labels) for offline captions."""
    words = f"Figure text: {figure.text}" if figure.text else ""
    caption = figure.caption.rstrip()
    if caption and words and not caption.endswith((".", ":", "!", "?")):
        caption += "."
    return " ".join(part for part in (caption, words) if part)[:CONTEXT_CHARS]


def has_drawings(page: pdfium.PdfPage) -> bool:
    """Whether the page draws any lines or boxes: ruled tables cannot exist without them."""
    return next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])), None) is not None


def text_with_figures(page: pdfium.PdfPage, figures: Sequence[PageFigure]) -> str:
    """The page text with each figure's line placed where the figure is; a drawn figure's own
    words (tick labels, legend, values) leave the prose, since its figure carries them."""
    return text_around(
        page, [(figure_marker(str(f.asset.figure_name)), f.bounds, f.drawn) for f in figures]
    )
