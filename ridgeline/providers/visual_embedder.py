"""Offline image-to-image similarity from classical descriptors (numpy + Pillow only).

No image-text model ships its weights in a package, so offline image queries compare pictures by
what they look like: colour, shape (edge orientations) and texture. Each descriptor is a block of
the vector; blocks are square-rooted (Hellinger: a few dominant bins no longer swamp the rest),
L2-normalised one by one, weighted, concatenated and L2-normalised again, so the dot product of two
vectors is a cosine similarity.

Product photos sit on varied backgrounds (forests, studios, mountains), and the product is near the
centre. Every pixel's vote is therefore weighted by a centre-weighted foreground estimate: a
Gaussian falloff from the centre times how far the pixel's colour is from the colours of the image
border (the border is mostly background).

    >>> embedder = VisualSimilarityEmbedder()
    >>> a, b = embedder.embed_images([Path("tent1.jpg"), Path("tent2.jpg")])  # doctest: +SKIP
    >>> sum(x * y for x, y in zip(a, b))  # cosine similarity                   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, UnidentifiedImageError

from ridgeline.errors import FeatureNotAvailableError, ModelError

Descriptor = Literal["colour", "layout", "edges", "texture"]
# Chosen by bench/image_query.py (figures in docs/retrieval.md): texture did not help on product
# photos, shape (edges) helps most.
DEFAULT_DESCRIPTORS: tuple[Descriptor, ...] = ("colour", "layout", "edges")
DEFAULT_WEIGHTS: dict[Descriptor, float] = {
    "colour": 0.7,
    "layout": 1.0,
    "edges": 1.3,
    "texture": 0.5,
}

_SIDE = 128  # every image is resized to _SIDE x _SIDE before description
_HUE_BINS, _SAT_BINS, _VAL_BINS = 12, 4, 4
_LAYOUT_GRID, _LAYOUT_HUES = 4, 8
_EDGE_GRID, _EDGE_BINS = 6, 9
_TEXTURE_GRID = 2
_LBP_CODES = 10  # rotation-invariant uniform patterns of 8 neighbours (0..8) + "non-uniform"


def _descriptor_size(name: Descriptor) -> int:
    sizes: dict[Descriptor, int] = {
        "colour": _HUE_BINS * _SAT_BINS * _VAL_BINS,
        "layout": _LAYOUT_GRID * _LAYOUT_GRID * (_LAYOUT_HUES + 2),
        "edges": _EDGE_GRID * _EDGE_GRID * _EDGE_BINS,
        "texture": _TEXTURE_GRID * _TEXTURE_GRID * _LBP_CODES,
    }
    return sizes[name]


class VisualSimilarityEmbedder:
    """A :class:`ridgeline.protocols.ImageEmbedder` for image-to-image search, offline.

    Not text-aligned: text cannot be placed in this space, so ``embed_text`` raises
    FeatureNotAvailableError. ``descriptors`` picks the blocks (see the module docstring);
    ``foreground`` turns the centre/border foreground weighting on or off.
    """

    text_aligned = False

    def __init__(
        self,
        *,
        descriptors: Sequence[Descriptor] = DEFAULT_DESCRIPTORS,
        weights: dict[Descriptor, float] | None = None,
        foreground: bool = True,
    ) -> None:
        if not descriptors:
            raise ValueError("at least one descriptor is required")
        unknown = sorted(set(descriptors) - set(DEFAULT_WEIGHTS))
        if unknown:
            raise ValueError(f"unknown descriptors {unknown}: use {sorted(DEFAULT_WEIGHTS)}")
        self._descriptors = tuple(descriptors)
        self._weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        self._foreground = foreground
        self.name = "visual-" + "+".join(self._descriptors) + ("" if foreground else "-nofg")

    @property
    def dimension(self) -> int:
        return sum(_descriptor_size(name) for name in self._descriptors)

    def embed_images(self, image_paths: Sequence[Path]) -> list[list[float]]:
        return [self.embed_array(_load_rgb(Path(p))).tolist() for p in image_paths]

    def embed_text(self, text: str) -> list[float]:
        raise FeatureNotAvailableError(
            f"{self.name} compares images by colour, shape and texture and cannot embed text; "
            "configure a text-aligned image embedder (CLIP, Azure AI Vision) for text-to-image "
            "search, or search the images' OCR text and captions instead"
        )

    def embed_array(self, rgb: np.ndarray) -> np.ndarray:
        """The unit vector of an RGB image given as an ``(H, W, 3)`` float array in [0, 1]."""
        hsv = _rgb_to_hsv(rgb)
        weight = _foreground_weight(rgb) if self._foreground else np.ones(rgb.shape[:2])
        blocks = []
        for name in self._descriptors:
            block = _DESCRIBE[name](rgb, hsv, weight)
            block = np.sqrt(block / block.sum()) if block.sum() > 0 else block
            norm = np.linalg.norm(block)
            blocks.append(self._weights[name] * (block / norm if norm > 0 else block))
        vector = np.concatenate(blocks)
        norm = np.linalg.norm(vector)
        return vector / norm if norm > 0 else vector


def _load_rgb(path: Path) -> np.ndarray:
    try:
        with Image.open(path) as image:
            small = image.convert("RGB").resize((_SIDE, _SIDE), Image.Resampling.BILINEAR)
    except FileNotFoundError as exc:
        raise ModelError(f"{path}: image file not found") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ModelError(f"{path}: not a readable image ({exc})") from exc
    return np.asarray(small, dtype=np.float64) / 255.0


def _rgb_to_hsv(rgb: np.ndarray) -> np.ndarray:
    """Hue, saturation, value in [0, 1] for every pixel."""
    maxc, minc = rgb.max(axis=2), rgb.min(axis=2)
    delta = maxc - minc
    safe = np.where(delta > 0, delta, 1.0)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    hue = np.where(
        maxc == r, ((g - b) / safe) % 6, np.where(maxc == g, (b - r) / safe + 2, (r - g) / safe + 4)
    )
    hue = np.where(delta > 0, hue / 6.0, 0.0)
    sat = np.where(maxc > 0, delta / np.where(maxc > 0, maxc, 1.0), 0.0)
    return np.stack([hue, sat, maxc], axis=2)


def _foreground_weight(rgb: np.ndarray) -> np.ndarray:
    """Centre Gaussian x distance from the border's colours, scaled to a mean of 1."""
    side = rgb.shape[0]
    ys, xs = np.mgrid[0:side, 0:side] / (side - 1) - 0.5
    centre = np.exp(-(xs**2 + ys**2) / (2 * 0.3**2))
    strip = max(1, side // 16)
    border = np.concatenate(
        [
            rgb[:strip].reshape(-1, 3),
            rgb[-strip:].reshape(-1, 3),
            rgb[:, :strip].reshape(-1, 3),
            rgb[:, -strip:].reshape(-1, 3),
        ]
    )
    # Distance to the nearest of a few border colours (coarse palette by sub-sampling).
    palette = border[:: max(1, len(border) // 64)]
    pixels = rgb.reshape(-1, 3)
    squared = (pixels**2).sum(1)[:, None] + (palette**2).sum(1)[None, :] - 2 * pixels @ palette.T
    dist = np.sqrt(np.maximum(squared.min(axis=1), 0.0)).reshape(rgb.shape[:2])
    distinct = np.clip(dist / 0.25, 0.0, 1.0)
    weight = centre * (0.25 + distinct)
    return weight / weight.mean()


def _colour(rgb: np.ndarray, hsv: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Weighted HSV histogram; greys (low saturation) keep their value bins."""
    h = np.minimum((hsv[..., 0] * _HUE_BINS).astype(int), _HUE_BINS - 1)
    s = np.minimum((hsv[..., 1] * _SAT_BINS).astype(int), _SAT_BINS - 1)
    v = np.minimum((hsv[..., 2] * _VAL_BINS).astype(int), _VAL_BINS - 1)
    index = (h * _SAT_BINS + s) * _VAL_BINS + v
    return np.bincount(index.ravel(), weights=weight.ravel(), minlength=_descriptor_size("colour"))


def _layout(rgb: np.ndarray, hsv: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Coarse hue histogram (plus dark and grey bins) in each cell of a grid: where colours are."""
    hue = np.minimum((hsv[..., 0] * _LAYOUT_HUES).astype(int), _LAYOUT_HUES - 1)
    grey = hsv[..., 1] < 0.2
    dark = hsv[..., 2] < 0.2
    code = np.where(dark, _LAYOUT_HUES, np.where(grey, _LAYOUT_HUES + 1, hue))
    return _grid_histograms(code, weight, grid=_LAYOUT_GRID, bins=_LAYOUT_HUES + 2)


def _edges(rgb: np.ndarray, hsv: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Histogram of gradient orientations (unsigned, magnitude-weighted) per grid cell."""
    grey = rgb @ np.array([0.299, 0.587, 0.114])
    gy, gx = np.gradient(grey)
    magnitude = np.hypot(gx, gy)
    angle = np.arctan2(gy, gx) % np.pi
    code = np.minimum((angle / np.pi * _EDGE_BINS).astype(int), _EDGE_BINS - 1)
    return _grid_histograms(code, magnitude * weight, grid=_EDGE_GRID, bins=_EDGE_BINS)


def _texture(rgb: np.ndarray, hsv: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Rotation-invariant uniform local binary patterns (8 neighbours) per grid cell."""
    grey = rgb @ np.array([0.299, 0.587, 0.114])
    centre = grey[1:-1, 1:-1]
    offsets = [(-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1)]
    bits = np.stack(
        [
            grey[1 + dy : grey.shape[0] - 1 + dy, 1 + dx : grey.shape[1] - 1 + dx] >= centre
            for dy, dx in offsets
        ]
    ).astype(int)
    transitions = np.abs(np.diff(np.concatenate([bits, bits[:1]]), axis=0)).sum(axis=0)
    code = np.where(transitions <= 2, bits.sum(axis=0), _LBP_CODES - 1)
    return _grid_histograms(code, weight[1:-1, 1:-1], grid=_TEXTURE_GRID, bins=_LBP_CODES)


def _grid_histograms(code: np.ndarray, weight: np.ndarray, *, grid: int, bins: int) -> np.ndarray:
    rows = np.minimum(np.arange(code.shape[0]) * grid // code.shape[0], grid - 1)
    cols = np.minimum(np.arange(code.shape[1]) * grid // code.shape[1], grid - 1)
    cell = rows[:, None] * grid + cols[None, :]
    index = cell * bins + code
    return np.bincount(index.ravel(), weights=weight.ravel(), minlength=grid * grid * bins)


_DESCRIBE = {"colour": _colour, "layout": _layout, "edges": _edges, "texture": _texture}
