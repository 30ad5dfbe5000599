"""In-memory test doubles for the ingestion tests (they implement kernel protocols)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

from tests.fakes import HashingEmbedder, MemoryIndex

_WORD = re.compile(r"\w+")


class InMemoryIndex(MemoryIndex):
    """The shared in-memory SearchIndex (``tests.fakes.MemoryIndex``), with its write log."""


class FixedOcr:
    """An OcrEngine that 'reads' a fixed text and remembers which images it was shown."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: list[Path] = []

    def read_text(self, image_path: Path) -> str:
        self.seen.append(image_path)
        return self.text


class RecordingProgress:
    """An IngestProgress that records what it was told."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.results: list[str] = []

    def on_start(self, total: int) -> None:
        self.total = total

    def on_file(self, result: object) -> None:
        self.results.append(getattr(result, "source", "?"))


class CountingCaptioner:
    """A Captioner that writes what it was given into the caption and counts its calls."""

    name = "counting-test-captioner"

    def __init__(self) -> None:
        self.calls: list[Path] = []

    def caption(self, image_path: Path, *, context: str = "", ocr_text: str = "") -> str:
        self.calls.append(image_path)
        return f"A picture of {image_path.stem} ({context}; text: {ocr_text})"


class MeanColourImageEmbedder:
    """An ImageEmbedder (not text-aligned) whose vector is the image's mean RGB, normalised."""

    name = "mean-colour-test-embedder"
    text_aligned = False

    def __init__(self) -> None:
        self.calls: list[list[Path]] = []

    @property
    def dimension(self) -> int:
        return 3

    def embed_images(self, image_paths: Sequence[Path]) -> list[list[float]]:
        from PIL import Image, ImageStat

        self.calls.append(list(image_paths))
        vectors = []
        for path in image_paths:
            with Image.open(path) as image:
                mean = ImageStat.Stat(image.convert("RGB")).mean
            norm = math.sqrt(sum(v * v for v in mean)) or 1.0
            vectors.append([v / norm for v in mean])
        return vectors

    def embed_text(self, text: str) -> list[float]:
        from ridgeline.errors import FeatureNotAvailableError

        raise FeatureNotAvailableError("mean-colour vectors are not text-aligned")


class RecordingEmbedder(HashingEmbedder):
    """The hashing embedder, recording every text it embeds and the size of each call."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.calls: list[int] = []

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.texts.extend(texts)
        self.calls.append(len(texts))
        return super().embed_documents(texts)
