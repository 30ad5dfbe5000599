"""Images in the chat: ``data:`` URLs the user attached, and source images sent to vision models.

Usage::

    with attached_image_file("data:image/png;base64,iVBOR...") as path:
        retriever.search("", mode="hybrid", top=5, image=path)
    file_data_url("/index/assets/manual-1a2b/figure1_1.png")  # "data:image/png;base64,..."
    inline_image("/index/assets/manual-1a2b/figure1_1.png", "manual.pdf")  # the same data URL
"""

from __future__ import annotations

import base64
import binascii
import io
import mimetypes
import re
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

from ridgeline.errors import RidgelineError

# A vision model gets source images up to this size; bigger ones are left out (and say so).
MAX_SOURCE_IMAGE_BYTES = 4 * 1024 * 1024
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}
# Formats an attached image may have (what the image search and vision models read).
QUERY_IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP")
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000
_DATA_URL = re.compile(r"^data:(image/[a-z0-9.+-]+);base64,(.*)$", re.IGNORECASE | re.DOTALL)


class InvalidImageError(RidgelineError):
    """An attached image is not a readable ``data:image/...;base64,`` URL."""


class ImageTooLargeError(InvalidImageError):
    """An attached image has more pixels than RIDGELINE_MAX_IMAGE_PIXELS (HTTP 413)."""


def check_image_bytes(data: bytes, *, max_pixels: int) -> None:
    """Raises unless ``data`` is a PNG, JPEG, GIF, WebP or BMP of at most ``max_pixels`` pixels.

    Only the header is read: the size is known before a pixel is decoded, so a small file
    claiming a huge picture (a decompression bomb) costs nothing.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(
            f"attached image: too many pixels ({exc}); the limit is {max_pixels:,} "
            "(RIDGELINE_MAX_IMAGE_PIXELS)"
        ) from None
    except Exception:  # Pillow raises many kinds on bytes that are not an image
        raise InvalidImageError(
            f"attached image: not a readable image (use {', '.join(QUERY_IMAGE_FORMATS)})"
        ) from None
    if kind not in QUERY_IMAGE_FORMATS:
        raise InvalidImageError(
            f"attached image: {kind} images are not accepted (use {', '.join(QUERY_IMAGE_FORMATS)})"
        )
    if width * height > max_pixels:
        raise ImageTooLargeError(
            f"attached image: {width}x{height} is {width * height:,} pixels, over the limit of "
            f"{max_pixels:,} (RIDGELINE_MAX_IMAGE_PIXELS)"
        )


def decode_data_url(url: str) -> tuple[str, bytes]:
    """``(mime type, bytes)`` of a base64 ``data:image/...`` URL; raises InvalidImageError."""
    match = _DATA_URL.match(url.strip())
    if match is None:
        raise InvalidImageError(
            "attached image: only data:image/...;base64 URLs can be used (got "
            f"{url[:40]!r}{'...' if len(url) > 40 else ''})"
        )
    try:
        data = base64.b64decode(match.group(2), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidImageError(f"attached image: the base64 data is invalid ({exc})") from exc
    if not data:
        raise InvalidImageError("attached image: the data URL is empty")
    return match.group(1).lower(), data


@contextmanager
def attached_image_file(url: str, *, max_pixels: int = DEFAULT_MAX_IMAGE_PIXELS) -> Iterator[Path]:
    """The decoded image of a data URL in a temporary file, removed on exit; the image is
    checked first (:func:`check_image_bytes`)."""
    mime, data = decode_data_url(url)
    check_image_bytes(data, max_pixels=max_pixels)
    suffix = mimetypes.guess_extension(mime) or ".img"
    with tempfile.TemporaryDirectory(prefix="ridgeline-query-") as folder:
        path = Path(folder) / f"query{suffix}"
        path.write_bytes(data)
        yield path


def file_data_url(path: str, *, max_bytes: int = MAX_SOURCE_IMAGE_BYTES) -> str | None:
    """A source image as a data URL; None if it is missing, not an image, or too big."""
    file = Path(path)
    if file.suffix.lower() not in IMAGE_SUFFIXES or not file.is_file():
        return None
    if file.stat().st_size > max_bytes:
        return None
    mime = mimetypes.guess_type(file.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"


def inline_image(stored_path: str, source: str) -> str | None:
    """A response's name for a source image when no content store serves files: its bytes as a
    ``data:`` URL (None when it cannot be sent), never the server's path. ``source``: the
    document it belongs to (unused here; content stores name images by it)."""
    del source
    return file_data_url(stored_path)
