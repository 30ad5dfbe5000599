"""The enrichment stage: every local image of a page gets OCR text, a caption and its context.

The page's text then gains one short block per image (its caption, and its OCR text when the
page does not already hold it), so the chunks cut from the page carry the images' words: a text
query finds a figure by what it shows, and the caption is embedded with the text embedder along
with the rest of the chunk.

An image that cannot be enriched (a URL, a missing file, an undecodable or oversized picture)
does not fail its document: it keeps its record, gets no image vector, and the file's result
lists a warning naming it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ingestion.enrich.cache import EnrichmentCache
from ingestion.hashing import content_hash
from ingestion.parsers.anchors import figure_marker
from ridgeline.protocols import Captioner, OcrEngine
from ridgeline.types import ChunkKind, ImageAsset, Page

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://|^data:", re.IGNORECASE)
_CONTEXT_CHARS = 300
# A figure line is never cut by the splitter, so what is added to it stays well inside a chunk.
_FIGURE_LINE_CHARS = 400


def local_image_path(asset: ImageAsset) -> Path | None:
    """The asset's file when it is a local file, else ``None`` (URLs, missing files)."""
    if _URL.match(asset.path):
        return None
    path = Path(asset.path)
    return path if path.is_file() else None


def image_name(asset: ImageAsset) -> str:
    return asset.figure_name or Path(asset.path).name


@dataclass
class EnrichmentResult:
    """Enriched pages, the image paths fit for an image embedder, and what went wrong."""

    pages: list[Page]
    usable_images: set[str] = field(default_factory=set)
    images: int = 0
    warnings: list[str] = field(default_factory=list)


class ImageEnricher:
    """Adds OCR text, a caption and context to each local image of the pages it is given.

    >>> enricher = ImageEnricher(ocr=RapidOcrEngine(), captioner=OfflineCaptioner(),
    ...     cache=EnrichmentCache(index_dir / "enrichment-cache.sqlite"),
    ...     max_image_pixels=50_000_000)  # doctest: +SKIP
    >>> result = enricher.enrich(pages)  # doctest: +SKIP
    >>> result.pages[0].images[0].caption  # doctest: +SKIP
    'Offline description (no vision model): mostly white with black. Visible text: ...'
    """

    def __init__(
        self,
        *,
        ocr: OcrEngine,
        captioner: Captioner,
        cache: EnrichmentCache | None,
        max_image_pixels: int,
    ) -> None:
        self._ocr = ocr
        self._captioner = captioner
        self._cache = cache
        self.max_image_pixels = max_image_pixels

    def enrich(self, pages: Sequence[Page]) -> EnrichmentResult:
        result = EnrichmentResult(pages=[])
        for page in pages:
            result.pages.append(self._enrich_page(page, result))
        return result

    def _enrich_page(self, page: Page, result: EnrichmentResult) -> Page:
        if not page.images:
            return page
        assets = []
        blocks = []
        text = page.text
        for asset in page.images:
            enriched = self._enrich_asset(asset, page, result)
            assets.append(enriched)
            if enriched is asset:  # not enriched: it adds no words
                continue
            block = _image_block(enriched, page.text)
            placed = _after_figure_line(text, enriched, block)
            if placed is None:
                blocks.append(block)
            else:
                text = placed
        text = "\n\n".join([text.rstrip(), *blocks]) if blocks else text
        return page.model_copy(update={"images": tuple(assets), "text": text})

    def _enrich_asset(self, asset: ImageAsset, page: Page, result: EnrichmentResult) -> ImageAsset:
        """The asset with OCR text, caption and context; the same object if it cannot be read."""
        path, problem = self._usable(asset)
        if path is None:
            if problem:
                result.warnings.append(f"image {asset.path}: {problem}; not enriched")
            return asset
        result.usable_images.add(asset.path)
        result.images += 1
        return self._enrich_image(asset, path, page)

    def _usable(self, asset: ImageAsset) -> tuple[Path | None, str | None]:
        """The image's local path if it can be enriched, else why not (remote URLs: silently)."""
        if _URL.match(asset.path):
            return None, None  # offline: a remote photo is linked, never fetched
        path = Path(asset.path)
        if not path.is_file():
            return None, "no such file"
        problem = self._problem(path)
        return (None, problem) if problem else (path, None)

    def _problem(self, path: Path) -> str | None:
        """Why the image cannot be read safely, or ``None``; reads the header only."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(path) as image:
                    width, height = image.size
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
            return f"not a readable image ({exc})"
        if width * height > self.max_image_pixels:
            return (
                f"{width}x{height} pixels is above the limit of {self.max_image_pixels:,} "
                "(RIDGELINE_MAX_IMAGE_PIXELS)"
            )
        return None

    def _enrich_image(self, asset: ImageAsset, path: Path, page: Page) -> ImageAsset:
        image_hash = content_hash(path)
        ocr_text = asset.ocr_text or self._read_text(image_hash, path)
        context = asset.context or _page_context(page)
        caption = asset.caption or self._caption(image_hash, path, context, ocr_text)
        return asset.model_copy(
            update={"ocr_text": ocr_text, "caption": caption, "context": context}
        )

    def _read_text(self, image_hash: str, path: Path) -> str:
        cached = self._cache.get_ocr(image_hash) if self._cache else None
        if cached is not None:
            return cached
        text = self._ocr.read_text(path).strip()
        if self._cache:
            self._cache.put_ocr(image_hash, text)
        return text

    def _caption(self, image_hash: str, path: Path, context: str, ocr_text: str) -> str:
        key = {"captioner": self._captioner.name, "context": context, "ocr_text": ocr_text}
        cached = self._cache.get_caption(image_hash, **key) if self._cache else None
        if cached is not None:
            return cached
        caption = self._captioner.caption(path, context=context, ocr_text=ocr_text).strip()
        if self._cache:
            self._cache.put_caption(image_hash, caption, **key)
        return caption


def _page_context(page: Page) -> str:
    """Context for an image its parser gave none: the page's title and opening words.

    A standalone image's page holds nothing but the image's own text, so only its title counts.
    """
    if page.kind is ChunkKind.IMAGE:
        return page.title or ""
    text = " ".join(page.text.split())[:_CONTEXT_CHARS]
    if page.title and not text.startswith(page.title):
        return f"{page.title}. {text}".strip()
    return text


def _after_figure_line(text: str, asset: ImageAsset, block: str) -> str | None:
    """The text with ``block`` on the figure's own ``[Figure name]`` line, if it has one.

    The splitter keeps a figure line whole and gives its chunk the figure, so the words that
    describe the figure travel with it. ``None`` when the page names no such figure.
    """
    if not asset.figure_name:
        return None
    marker = figure_marker(asset.figure_name)
    start = text.find(marker)
    while start > 0 and text[start - 1] != "\n":
        start = text.find(marker, start + 1)
    if start < 0:
        return None
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    words = " ".join(block.removeprefix(f"[Image {image_name(asset)}]").split())
    return f"{text[:end]} {_shorten(words, _FIGURE_LINE_CHARS)}{text[end:]}"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _image_block(asset: ImageAsset, page_text: str) -> str:
    """The words an image adds to its page: caption, then OCR text the page lacks."""
    lines = [f"[Image {image_name(asset)}] {asset.caption}".rstrip()]
    ocr = asset.ocr_text.strip()
    if ocr and ocr not in page_text and ocr not in asset.caption:
        lines.append(f"Text in the image: {ocr}")
    return "\n".join(lines)
