"""Image files: the text an OCR engine reads in the image becomes a searchable page.

PNG, JPEG, BMP, TIFF, WebP and GIF (its first frame) are read with Pillow. The image is checked
before OCR sees it: a file whose pixel count is above the limit is refused
(a decompression bomb: a few KB on disk, gigabytes once decoded), and a file Pillow cannot decode
is reported as corrupt. When OCR finds no text, the page still names the image (its file name
in words) and says plainly that no text was found, so the image stays findable by name.
"""

from __future__ import annotations

import re
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ridgeline.errors import CorruptFileError, IngestionError
from ridgeline.protocols import OcrEngine
from ridgeline.types import ChunkKind, ImageAsset, Page

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")


def stem_words(path: Path) -> str:
    """``"blue_tent-front2.jpg"`` -> ``"blue tent front2"``."""
    return " ".join(re.split(r"[\W_]+", path.stem)).strip() or path.stem


def _check_image(path: Path, *, max_pixels: int) -> str:
    """The image's format (``"PNG"``, ``"GIF"``...), after checking that it decodes safely."""
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit; our own check below is the one that decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise IngestionError(path, _too_big(width, height, max_pixels))
                image.load()  # decodes the pixels: catches truncated and damaged files
                return str(image.format)
    except Image.DecompressionBombError as exc:
        raise IngestionError(path, f"refused as a possible decompression bomb ({exc})") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise CorruptFileError(path, f"not a readable image ({exc})") from exc


def _too_big(width: int, height: int, max_pixels: int) -> str:
    return (
        f"image is {width}x{height} = {width * height:,} pixels, above the limit of "
        f"{max_pixels:,} (a possible decompression bomb; raise RIDGELINE_MAX_IMAGE_PIXELS "
        "if the image is genuine)"
    )


def _page_text(name: str, ocr_text: str) -> str:
    if ocr_text:
        return f"Image: {name}\nText in the image:\n{ocr_text}"
    return f"Image: {name}\n(OCR found no text in this image.)"


# Formats every OCR engine reads; others (TIFF, WebP, GIF) are shown to OCR as a PNG copy.
_OCR_READY = frozenset({"PNG", "JPEG", "BMP"})


class ImageParser:
    """Parses one image file into one page of kind ``image`` carrying the image itself.

    >>> parser = ImageParser(ocr=RapidOcrEngine(), max_image_pixels=50_000_000)  # doctest: +SKIP
    >>> next(parser.parse(Path("label.png"), source="label.png")).text  # doctest: +SKIP
    'Image: label\\nText in the image:\\nSummit Lantern 300 lumens'
    """

    def __init__(self, *, ocr: OcrEngine, max_image_pixels: int) -> None:
        self._ocr = ocr
        self.max_image_pixels = max_image_pixels

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        image_format = _check_image(path, max_pixels=self.max_image_pixels)
        if image_format in _OCR_READY:
            ocr_text = self._ocr.read_text(path).strip()
        else:
            ocr_text = self._read_converted(path)
        name = stem_words(path)
        yield Page(
            source=source,
            text=_page_text(name, ocr_text),
            kind=ChunkKind.IMAGE,
            title=name,
            images=(ImageAsset(path=str(path.resolve()), ocr_text=ocr_text),),
        )

    def _read_converted(self, path: Path) -> str:
        """OCR of the first frame (GIF, multi-page TIFF) saved as a temporary PNG."""
        with tempfile.TemporaryDirectory(prefix="ridgeline-image-") as folder:
            copy = Path(folder) / "frame.png"
            with Image.open(path) as image:
                image.seek(0)
                image.convert("RGB").save(copy)
            return self._ocr.read_text(copy).strip()
