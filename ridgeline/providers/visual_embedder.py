"""Offline image-to-image similarity from classical descriptors (numpy + Pillow only).

No image-text model ships its weights in a package, so offline image queries compare pictures by
what they look like: colour, colour layout, shape (edge orientations, multi-scale oriented Gabor
energy: a GIST-like block) and texture. Each descriptor is a block of the vector. A block is
square-rooted (Hellinger: a few dominant bins no longer swamp the rest), centred (its mean value
subtracted: the dot product of two blocks becomes a correlation, as in OpenCV's HISTCMP_CORREL)
and L2-normalised; the blocks are weighted, concatenated and L2-normalised again, so the dot
product of two vectors is a cosine similarity.

Why centre: every entry of a square-rooted histogram is positive, so without centring any two
blocks share a large common component, and how much a block can move the sum depends on how
peaked its histograms are, not on how informative it is (measured on the catalog photos: the
cosine of the edge blocks of two photos varied with a standard deviation of 0.04, the colour
blocks' with 0.17, so colour outvoted shape whatever the weights). Centred, the blocks spread alike
and equal weights mean equal say.

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

Descriptor = Literal["colour", "layout", "edges", "gist", "texture"]
# bench/image_query.py prints every variant (figures in docs/embedders.md): texture did not help
# on product photos; the blocks get equal weights (centred blocks make that meaningful) rather
# than weights fitted to the few catalog photos there are.
DEFAULT_DESCRIPTORS: tuple[Descriptor, ...] = ("colour", "layout", "edges", "gist")
DEFAULT_WEIGHTS: dict[Descriptor, float] = {
    "colour": 1.0,
    "layout": 1.0,
    "edges": 1.0,
    "gist": 1.0,
    "texture": 1.0,
}
# Bumped whenever the vectors change, so that the name of the embedder changes with them.
VERSION = 2

_SIDE = 128  # every image is resized to _SIDE x _SIDE before description
_HUE_BINS, _SAT_BINS, _VAL_BINS = 12, 4, 4
_LAYOUT_GRID, _LAYOUT_HUES = 4, 8
_EDGE_GRID, _EDGE_BINS = 6, 9
_TEXTURE_GRID = 2
# GIST-like block: log-Gabor filters at octave-spaced centre frequencies (cycles per pixel), one
# octave of radial bandwidth, orientations overlapping their neighbours; energy pooled per cell.
_GIST_GRID, _GIST_SCALES, _GIST_ORIENTATIONS = 4, 4, 8
_GIST_TOP_FREQUENCY, _GIST_LOG_BANDWIDTH = 0.25, 0.55
_LBP_CODES = 10  # rotation-invariant uniform patterns of 8 neighbours (0..8) + "non-uniform"


def _descriptor_size(name: Descriptor) -> int:
    sizes: dict[Descriptor, int] = {
        "colour": _HUE_BINS * _SAT_BINS * _VAL_BINS,
        "layout": _LAYOUT_GRID * _LAYOUT_GRID * (_LAYOUT_HUES + 2),
        "edges": _EDGE_GRID * _EDGE_GRID * _EDGE_BINS,
        "gist": _GIST_GRID * _GIST_GRID * _GIST_SCALES * _GIST_ORIENTATIONS,
        "texture": _TEXTURE_GRID * _TEXTURE_GRID * _LBP_CODES,
    }
    return sizes[name]


class VisualSimilarityEmbedder:
    """A :class:`ridgeline.protocols.ImageEmbedder` for image-to-image search, offline.

    Not text-aligned: text cannot be placed in this space, so ``embed_text`` raises
    FeatureNotAvailableError. ``descriptors`` picks the blocks (see the module docstring);
    ``foreground`` turns the centre/border foreground weighting on or off; ``centred`` turns the
    centring of each block off (with version 1's weights, the version-1 vectors, for comparison).
    ``name`` changes with any of these options and with ``VERSION``; ``dimension`` with the
    descriptors.
    """

    text_aligned = False

    def __init__(
        self,
        *,
        descriptors: Sequence[Descriptor] = DEFAULT_DESCRIPTORS,
        weights: dict[Descriptor, float] | None = None,
        foreground: bool = True,
        centred: bool = True,
    ) -> None:
        if not descriptors:
            raise ValueError("at least one descriptor is required")
        unknown = sorted(set(descriptors) - set(DEFAULT_WEIGHTS))
        if unknown:
            raise ValueError(f"unknown descriptors {unknown}: use {sorted(DEFAULT_WEIGHTS)}")
        self._descriptors = tuple(descriptors)
        self._weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        self._foreground = foreground
        self._centred = centred
        self._gist_banks: dict[tuple[int, int], np.ndarray] = {}  # filled on first use
        self.name = (
            f"visual{VERSION}-"
            + "+".join(self._descriptors)
            + ("" if foreground else "-nofg")
            + ("" if centred else "-uncentred")
            + ("" if self._weights == DEFAULT_WEIGHTS else "-weighted")
        )

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
            if name == "gist":
                block = _gist(rgb, weight, self._gist_bank(rgb.shape[:2]))
            else:
                block = _DESCRIBE[name](rgb, hsv, weight)
            blocks.append(self._weights[name] * _normalised(block, centred=self._centred))
        vector = np.concatenate(blocks)
        norm = np.linalg.norm(vector)
        return vector / norm if norm > 0 else vector

    def _gist_bank(self, shape: tuple[int, int]) -> np.ndarray:
        if shape not in self._gist_banks:
            self._gist_banks[shape] = _log_gabor_bank(shape)
        return self._gist_banks[shape]


def _normalised(block: np.ndarray, *, centred: bool) -> np.ndarray:
    """Square-rooted shares of the block's mass, centred if asked, at unit length."""
    total = block.sum()
    if total <= 0:  # nothing to describe (no edges in a flat image): the block stays zero
        return np.zeros_like(block)
    block = np.sqrt(np.maximum(block, 0.0) / total)
    if centred:
        block = block - block.mean()
    norm = np.linalg.norm(block)
    return block / norm if norm > 0 else block


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


def _log_gabor_bank(shape: tuple[int, int]) -> np.ndarray:
    """``(scales * orientations, H, W // 2 + 1)`` real filters for ``numpy.fft.rfft2`` spectra.

    Each filter is symmetric in frequency (orientations are unsigned), so its response to a real
    image is real: the local energy at that scale and orientation.
    """
    fy = np.fft.fftfreq(shape[0])[:, None]
    fx = np.fft.rfftfreq(shape[1])[None, :]
    radius = np.hypot(fx, fy)
    radius[0, 0] = 1.0  # the DC term; the image's mean is removed before filtering anyway
    theta = np.arctan2(fy, fx)
    filters = []
    for scale in range(_GIST_SCALES):
        centre = _GIST_TOP_FREQUENCY / 2**scale
        radial = np.exp(-(np.log(radius / centre) ** 2) / (2 * _GIST_LOG_BANDWIDTH**2))
        for k in range(_GIST_ORIENTATIONS):
            offset = np.abs(np.angle(np.exp(1j * (theta - np.pi * k / _GIST_ORIENTATIONS))))
            offset = np.minimum(offset, np.pi - offset)
            spread = np.pi / _GIST_ORIENTATIONS / 1.2
            filters.append(radial * np.exp(-(offset**2) / (2 * spread**2)))
    bank = np.array(filters)
    bank[:, 0, 0] = 0.0
    return bank


def _gist(rgb: np.ndarray, weight: np.ndarray, bank: np.ndarray) -> np.ndarray:
    """Oriented energy at several scales, summed per grid cell (after Oliva & Torralba's GIST)."""
    grey = rgb @ np.array([0.299, 0.587, 0.114])
    spectrum = np.fft.rfft2(grey - grey.mean())
    energy = np.abs(np.fft.irfft2(spectrum[None] * bank, s=grey.shape))
    # One count over all bands: band b's cells are bins b * cells ... (b + 1) * cells - 1.
    cells = _GIST_GRID * _GIST_GRID
    index = np.arange(len(energy))[:, None, None] * cells + _cells(grey.shape, _GIST_GRID)
    weights = (energy * weight).ravel()
    return np.bincount(index.ravel(), weights=weights, minlength=len(energy) * cells)


def _cells(shape: tuple[int, ...], grid: int) -> np.ndarray:
    """The grid cell (row-major number) of every pixel of an image of ``shape``."""
    rows = np.minimum(np.arange(shape[0]) * grid // shape[0], grid - 1)
    cols = np.minimum(np.arange(shape[1]) * grid // shape[1], grid - 1)
    return rows[:, None] * grid + cols[None, :]


def _grid_histograms(code: np.ndarray, weight: np.ndarray, *, grid: int, bins: int) -> np.ndarray:
    index = _cells(code.shape, grid) * bins + code
    return np.bincount(index.ravel(), weights=weight.ravel(), minlength=grid * grid * bins)


_DESCRIBE = {"colour": _colour, "layout": _layout, "edges": _edges, "texture": _texture}
