"""Several image embedders as one: their unit vectors side by side, each with its say.

The cosine of two fused vectors is the weighted mean of the parts' cosines (each part is
L2-normalised, scaled by the square root of its share of the weight, concatenated), so two parts
that err differently correct each other. The default offline embedder fuses EfficientNet-Lite0
features (what a learned model sees) with the classical descriptors (colour, layout, shape) at
equal weight: leave-one-out top-1 on the catalog photos 0.88, against 0.77 and 0.72 for the parts
alone (docs/embedders.md).

    >>> fused = FusedImageEmbedder([EfficientNetLiteEmbedder(), VisualSimilarityEmbedder()])
    >>> fused.dimension                                 # 1280 + 1188
    2468
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ridgeline.errors import FeatureNotAvailableError
from ridgeline.protocols import ImageEmbedder


class FusedImageEmbedder:
    """An :class:`ridgeline.protocols.ImageEmbedder` made of ``parts`` (not text-aligned).

    ``weights`` (default: equal) set each part's share of the cosine. The name lists the parts'
    names, so an index built with any other mix is told apart. Nothing loads until the first
    image: the parts load lazily themselves.
    """

    text_aligned = False

    def __init__(
        self, parts: Sequence[ImageEmbedder], *, weights: Sequence[float] | None = None
    ) -> None:
        if len(parts) < 2:
            raise ValueError("a fused image embedder needs at least two parts")
        shares = list(weights) if weights is not None else [1.0] * len(parts)
        if len(shares) != len(parts) or any(w <= 0 for w in shares):
            raise ValueError(f"need one positive weight per part, got {shares}")
        self._parts = tuple(parts)
        total = sum(shares)
        self._scales = [float(np.sqrt(w / total)) for w in shares]
        equal = len(set(shares)) == 1
        self.name = "+".join(p.name for p in self._parts) + ("" if equal else "-weighted")

    @property
    def dimension(self) -> int:
        return sum(part.dimension for part in self._parts)

    def embed_images(self, image_paths: Sequence[Path]) -> list[list[float]]:
        if not image_paths:
            return []
        blocks = [
            scale * _unit_rows(np.asarray(part.embed_images(image_paths), dtype=np.float64))
            for part, scale in zip(self._parts, self._scales, strict=True)
        ]
        return _unit_rows(np.concatenate(blocks, axis=1)).tolist()

    def embed_text(self, text: str) -> list[float]:
        raise FeatureNotAvailableError(
            f"{self.name} compares images with images and cannot embed text; configure a "
            "text-aligned image embedder (CLIP, Azure AI Vision) for text-to-image search, or "
            "search the images' OCR text and captions instead"
        )


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)
