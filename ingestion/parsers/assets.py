"""Where a parser stores the images it extracts (figures, embedded pictures, page renders).

Each source file gets its own folder under the assets directory, named by the file's stem and a
short hash of its full path, so two ``manual.pdf`` in different folders never overwrite each
other's figures. A re-parse writes the same names again (the newest version wins).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ridgeline.types import ImageAsset

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(kw_only=True)
class FigureOptions:
    """What every parser that stores pictures is configured with: where figures go (none are
    kept without ``assets_dir``) and the largest picture it decodes, in pixels."""

    assets_dir: Path | None = None
    max_image_pixels: int = 50_000_000


def asset_folder(assets_dir: Path, path: Path) -> Path:
    """``assets_dir / "manual-1a2b3c4d"`` for ``/docs/manual.pdf``; not created here."""
    stem = _UNSAFE.sub("_", path.stem).strip("._") or "file"
    digest = hashlib.sha256(str(path.expanduser().resolve()).encode("utf-8")).hexdigest()[:8]
    return assets_dir / f"{stem[:60]}-{digest}"


def save_png(image: Image.Image, folder: Path, name: str) -> Path:
    """Writes ``image`` as ``folder / name`` (PNG) and returns the absolute path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    image.save(target, format="PNG")
    return target.resolve()


@dataclass
class FigureStore:
    """One document's pictures saved as ``figure1.png``, ``figure2.png``... in ``folder``."""

    folder: Path
    max_pixels: int
    saved: int = 0

    def save(self, data: bytes, *, context: str) -> ImageAsset | None:
        """The stored figure, or None when Pillow cannot read ``data`` or it is too large."""
        image = open_embedded_image(data, max_pixels=self.max_pixels)
        if image is None:
            return None
        self.saved += 1
        name = f"figure{self.saved}.png"
        stored = save_png(image, self.folder, name)
        return ImageAsset(path=str(stored), figure_name=name, context=context)


def open_embedded_image(data: bytes, *, max_pixels: int) -> Image.Image | None:
    """An embedded picture decoded with Pillow; ``None`` when Pillow cannot read it (EMF, WMF...)
    or when it is larger than ``max_pixels`` (a decompression bomb inside a document)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.size[0] * image.size[1] > max_pixels:
                return None
            image.load()
            return image
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
