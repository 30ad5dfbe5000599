"""An optional second ranking stage: a model reads the query with each candidate and re-scores it.

Fusion ranks by where a chunk stood in each list; a cross-encoder reads query and chunk together,
which is slower but sees the interaction. Offline it needs cross-encoder weights in a local
directory (nothing is fetched); Azure's semantic ranker is the index backend's own business.

    >>> reranker = CrossEncoderReranker(Path("models/ms-marco-MiniLM-L-6-v2"))
    >>> reranker.rerank("waterproof boots", hits)                   # doctest: +SKIP
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ridgeline.errors import FeatureNotAvailableError, ModelError
from ridgeline.types import SearchHit


@runtime_checkable
class Reranker(Protocol):
    """Re-orders search hits for a query, best first; ``score`` becomes the reranker's."""

    name: str

    def rerank(self, query: str, hits: Sequence[SearchHit]) -> list[SearchHit]: ...


class CrossEncoderReranker:
    """A sentence-transformers ``CrossEncoder`` loaded from a local directory on first use.

    A missing directory or an uninstalled sentence-transformers raises FeatureNotAvailableError
    (reranking is optional); a directory that holds no loadable model raises ModelError.
    """

    def __init__(self, model_path: Path, *, batch_size: int = 16, max_length: int = 512) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self._model_path = Path(model_path)
        self._batch_size = batch_size
        self._max_length = max_length
        self._model: Any = None
        self._lock = threading.Lock()
        self.name = f"cross-encoder:{self._model_path.name}"

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = self._load()
            return self._model

    def _load(self) -> Any:
        if not self._model_path.is_dir():
            raise FeatureNotAvailableError(
                f"reranking needs cross-encoder weights in a local directory; "
                f"{self._model_path} does not exist (nothing is downloaded at run time)"
            )
        if not (self._model_path / "config.json").is_file():
            # Checked here: given a directory without one, the loader goes looking on a hub.
            raise ModelError(f"{self._model_path}: no config.json, not a cross-encoder directory")
        try:
            from sentence_transformers import CrossEncoder
        except ImportError as exc:
            raise FeatureNotAvailableError(
                "reranking needs the sentence-transformers package"
            ) from exc
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            return CrossEncoder(
                str(self._model_path),
                device="cpu",
                max_length=self._max_length,
                local_files_only=True,
            )
        except (OSError, ValueError) as exc:
            raise ModelError(f"{self._model_path}: not a loadable cross-encoder ({exc})") from exc

    def rerank(self, query: str, hits: Sequence[SearchHit]) -> list[SearchHit]:
        if not hits:
            return []
        model = self._loaded()
        pairs = [(query, hit.chunk.content) for hit in hits]
        scores = model.predict(pairs, batch_size=self._batch_size, show_progress_bar=False)
        rescored = [
            hit.model_copy(update={"score": float(score)})
            for hit, score in zip(hits, scores, strict=True)
        ]
        # Stable: equal scores keep the first stage's order.
        return sorted(rescored, key=lambda hit: -hit.score)
