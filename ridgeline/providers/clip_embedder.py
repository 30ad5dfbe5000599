"""A CLIP image embedder (text-aligned) on the CPU, from a local model directory.

No CLIP weights ship in a package, so the model must already be on disk (a directory saved with
``save_pretrained``: config, weights, tokenizer and image-processor files). A hub id is accepted
only when hub downloads are explicitly allowed (``allow_download=True``); otherwise nothing is
fetched and a missing directory is a clear ``ConfigError``. The model loads on first use.

    >>> clip = ClipImageEmbedder("/models/clip-vit-base-patch32")
    >>> clip.embed_images([Path("tent.jpg")])[0][:3]   # doctest: +SKIP
    [0.012, -0.034, 0.051]
    >>> clip.embed_text("a green dome tent")          # same space: text-to-image search
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ridgeline.errors import ConfigError, CorruptFileError, ModelError


@dataclass(frozen=True)
class _Loaded:
    model: Any
    processor: Any


def _normalise(values: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [float(v) / norm for v in values]


def _features(output: Any) -> Any:
    """transformers 5 returns a model output with ``pooler_output``; older versions a tensor."""
    return output.pooler_output if hasattr(output, "pooler_output") else output


class ClipImageEmbedder:
    """Embeds images and text into CLIP's shared space (``text_aligned`` is True)."""

    text_aligned = True

    def __init__(
        self, model_path: str | Path, *, allow_download: bool = False, batch_size: int = 16
    ) -> None:
        self.model_path = str(model_path)
        self.allow_download = allow_download
        self.batch_size = batch_size
        self.name = f"clip:{Path(self.model_path).name}"
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()

    def _source(self) -> str:
        path = Path(self.model_path).expanduser()
        if path.is_dir():
            return str(path)
        if self.allow_download:
            return self.model_path
        raise ConfigError(
            f"CLIP model directory {self.model_path!r} not found; save a CLIP model there "
            "(save_pretrained) or allow hub downloads (RIDGELINE_CLIP_ALLOW_DOWNLOAD=true)"
        )

    def _load(self) -> _Loaded:
        with self._lock:
            if self._loaded is None:
                from transformers import CLIPModel, CLIPProcessor

                source = self._source()
                local_only = not self.allow_download
                try:
                    model = CLIPModel.from_pretrained(source, local_files_only=local_only)
                    processor = CLIPProcessor.from_pretrained(source, local_files_only=local_only)
                except (OSError, ValueError) as exc:
                    raise ModelError(f"cannot load CLIP model {self.model_path!r}: {exc}") from exc
                self._loaded = _Loaded(model=model.eval(), processor=processor)
            return self._loaded

    @property
    def dimension(self) -> int:
        return int(self._load().model.config.projection_dim)

    def embed_images(self, image_paths: Sequence[Path]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(image_paths), self.batch_size):
            vectors.extend(self._embed_image_batch(image_paths[start : start + self.batch_size]))
        return vectors

    def _embed_image_batch(self, image_paths: Sequence[Path]) -> list[list[float]]:
        import torch

        loaded = self._load()
        images = [_open_rgb(path) for path in image_paths]
        with torch.inference_mode():
            inputs = loaded.processor(images=images, return_tensors="pt")
            features = _features(loaded.model.get_image_features(**inputs))
        return [_normalise(row) for row in features.tolist()]

    def embed_text(self, text: str) -> list[float]:
        import torch

        loaded = self._load()
        limit = int(loaded.model.config.text_config.max_position_embeddings)
        with torch.inference_mode():
            inputs = loaded.processor(
                text=[text], return_tensors="pt", padding=True, truncation=True, max_length=limit
            )
            features = _features(loaded.model.get_text_features(**inputs))
        return _normalise(features[0].tolist())


def _open_rgb(path: Path) -> Any:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise CorruptFileError(path, f"not a readable image ({exc})") from exc
