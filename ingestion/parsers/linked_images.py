"""Images a text document links to (HTML ``<img>``, Markdown ``![alt](src)``), stored as figures.

A link is followed only when it stays inside the document's own folder (``photos/tent.jpg``,
never ``../../home/x.png`` or ``/etc/x.png``: an uploaded page must not pull files from the
server into someone's index) or is an inline ``data:image/...;base64`` URI. Web addresses are not
fetched: ingestion runs offline. A link that cannot be followed, an unreadable image or one over
the size limits is skipped; the page's text is kept either way.

Followed images are saved as ``figure{n}.png`` in the document's assets folder, like pictures
embedded in Word files, so the index never depends on the linked file staying where it was.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ingestion.parsers.assets import FigureStore, asset_folder
from ridgeline.types import ImageAsset

_DATA_URI = re.compile(r"^data:image/[\w.+-]+;base64,(?P<data>.*)$", re.IGNORECASE | re.DOTALL)


@dataclass
class LinkedImages:
    """Follows one document's image links; ``assets_dir`` None means images are not kept."""

    document: Path
    assets_dir: Path | None
    max_pixels: int = 50_000_000
    max_bytes: int = 20 * 2**20

    def __post_init__(self) -> None:
        self._figures = (
            FigureStore(asset_folder(self.assets_dir, self.document), self.max_pixels)
            if self.assets_dir is not None
            else None
        )

    def load(self, ref: str, *, context: str) -> ImageAsset | None:
        """The stored figure for link ``ref``, or None when it is not followed (see module)."""
        if self._figures is None:
            return None
        data = self._bytes(ref.strip())
        return self._figures.save(data, context=context) if data else None

    def _bytes(self, ref: str) -> bytes | None:
        inline = _DATA_URI.match(ref)
        if inline is not None:
            return self._decoded(inline.group("data"))
        local = self._local_file(ref)
        if local is None or local.stat().st_size > self.max_bytes:
            return None
        return local.read_bytes()

    def _decoded(self, data: str) -> bytes | None:
        if len(data) > self.max_bytes * 4 // 3 + 4:
            return None
        try:
            return base64.b64decode("".join(data.split()), validate=True)
        except (binascii.Error, ValueError):
            return None

    def _local_file(self, ref: str) -> Path | None:
        target = link_inside(ref, self.document.parent)
        return target if target is not None and target.is_file() else None


def link_inside(ref: str, folder: Path) -> Path | None:
    """The file a relative link ``ref`` names inside ``folder`` (resolved), else ``None``.

    The one rule for every parser that follows links from a document (HTML, Markdown, catalog
    image columns): web addresses, ``file://`` and other schemes, absolute paths, and relative
    paths that leave ``folder`` (``../``, also percent-encoded, or through a symlink) are never
    followed. The target need not exist.

    >>> link_inside("img/tent.jpg", Path("/docs"))  # doctest: +SKIP
    PosixPath('/docs/img/tent.jpg')
    >>> link_inside("../../etc/passwd", Path("/docs")) is None  # doctest: +SKIP
    True
    """
    parts = urlsplit(ref.strip())
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None  # a web address, or an absolute path outside the document's folder
    root = folder.resolve()
    try:
        target = (root / unquote(parts.path)).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        return None
    return target if target.is_relative_to(root) and target != root else None
