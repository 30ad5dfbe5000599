"""Figures of a PDF page: its embedded raster images of a meaningful size, saved as PNG files.

Each figure is named ``figure{page}_{n}.png`` and carries the text just under it (a caption), or
else just above it, as context. Small images (bullets, rules, logos) are skipped. An image larger
than ``max_pixels`` (``RIDGELINE_MAX_IMAGE_PIXELS``) is skipped before it is decoded (its size is
read from the PDF's image dictionary) and the reason is noted for the ingest report: a few
hundred bytes of PDF can declare a 900-megapixel picture.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from ingestion.parsers.anchors import figure_marker
from ingestion.parsers.assets import save_png
from ridgeline.types import ImageAsset

_TRAILING_SPACE = re.compile(r"[ \t]+\n")  # pdfium pads line ends with spaces
_BAND_INSET = 3.0  # points
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


Bounds = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


def extract_figures(
    page: pdfium.PdfPage,
    number: int,
    folder: Path,
    *,
    min_pixels: int,
    max_pixels: int,
    skipped: list[str] | None = None,
) -> list[tuple[ImageAsset, Bounds]]:
    """Saves the page's figures in ``folder``; each with its bounds on the page. Why an image
    over ``max_pixels`` was left out is appended to ``skipped``."""
    figures: list[tuple[ImageAsset, Bounds]] = []
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
        figures.append((asset, bounds))
    return figures


def has_drawings(page: pdfium.PdfPage) -> bool:
    """Whether the page draws any lines or boxes: ruled tables cannot exist without them."""
    return next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])), None) is not None


def text_with_figures(page: pdfium.PdfPage, figures: list[tuple[ImageAsset, Bounds]]) -> str:
    """The page text with each figure's line placed where the figure is.

    The page is cut into horizontal bands at the figures' edges and each band's text is read
    once, so text beside a figure follows its line and nothing is read twice.
    """
    width, cursor = page.get_width(), page.get_height()
    parts: list[str] = []
    for asset, (_, bottom, _, top) in sorted(figures, key=lambda figure: -figure[1][3]):
        if top < cursor:
            parts.append(text_in(page, left=0, bottom=top, right=width, top=cursor))
            cursor = top
        parts.append(figure_marker(str(asset.figure_name)))
        if bottom < cursor:
            # Inset: a descender or accent poking into the band belongs to the line outside it.
            inset = min(_BAND_INSET, (cursor - bottom) / 2)
            band = {"bottom": bottom + inset, "top": cursor - inset}
            parts.append(text_in(page, left=0, right=width, **band))
            cursor = bottom
    parts.append(text_in(page, left=0, bottom=0, right=width, top=cursor))
    cleaned = (_TRAILING_SPACE.sub("\n", part).strip() for part in parts)
    return "\n\n".join(part for part in cleaned if part)
