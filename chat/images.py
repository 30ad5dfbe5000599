"""Images in the chat: ``data:`` URLs the user attached, and source images sent to vision models.

Usage::

    with attached_image_file("data:image/png;base64,iVBOR...") as path:
        retriever.search("", mode="hybrid", top=5, image=path)
    file_data_url("/index/assets/manual-1a2b/figure1_1.png")  # "data:image/png;base64,..."
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ridgeline.errors import RidgelineError

# A vision model gets source images up to this size; bigger ones are left out (and say so).
MAX_SOURCE_IMAGE_BYTES = 4 * 1024 * 1024
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}
_DATA_URL = re.compile(r"^data:(image/[a-z0-9.+-]+);base64,(.*)$", re.IGNORECASE | re.DOTALL)


class InvalidImageError(RidgelineError):
    """An attached image is not a readable ``data:image/...;base64,`` URL."""


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
def attached_image_file(url: str) -> Iterator[Path]:
    """The decoded image of a data URL in a temporary file, removed on exit."""
    mime, data = decode_data_url(url)
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
