"""Images in reports: local files become small JPEG ``data:`` URLs, so the report stands alone."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image, UnidentifiedImageError

_SIDE = 160


def thumbnail_src(image: str, *, base_dir: Path | None = None) -> str | None:
    """A ``src`` for ``<img>``: URLs as they are, readable local images as data URLs, else None.

    A relative path is looked up under ``base_dir`` (the run folder's dataset or index folder).
    """
    if image.startswith(("http://", "https://", "data:")):
        return image
    path = Path(image)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    try:
        with Image.open(path) as opened:
            picture = opened.convert("RGB")
            picture.thumbnail((_SIDE, _SIDE))
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=80)
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
