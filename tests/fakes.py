"""Test doubles that implement Ridgeline's protocols (never patches of library internals)."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from pathlib import Path

_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """A deterministic bag-of-words embedder: texts sharing words get similar vectors.

    Fast and dependency-free, for unit tests of code that only needs *some* TextEmbedder.
    """

    name = "hashing-test-embedder"

    def __init__(self, dimension: int = 64, max_input_tokens: int = 256) -> None:
        self._dimension = dimension
        self._max_input_tokens = max_input_tokens

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def max_input_tokens(self) -> int:
        return self._max_input_tokens

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self._dimension
        for word in _WORD.findall(text.lower()):
            digest = hashlib.md5(word.encode()).digest()
            vec[int.from_bytes(digest[:4], "little") % self._dimension] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


class FixedImageEmbedder:
    """An image embedder that gives every image the same vector and records what it saw."""

    name = "fixed"
    text_aligned = False

    def __init__(self, vector: list[float]) -> None:
        self.vector = vector
        self.seen: list[Path] = []

    @property
    def dimension(self) -> int:
        return len(self.vector)

    def embed_images(self, image_paths: Sequence[Path]) -> list[list[float]]:
        self.seen.extend(image_paths)
        return [self.vector for _ in image_paths]

    def embed_text(self, text: str) -> list[float]:
        raise NotImplementedError
