"""A cache of query embeddings for the chat server, where the same questions come back often
(suggested follow-ups, demo questions, an evaluator's dataset).

Embedding a query is the slowest step of a hybrid search on a CPU (tens of milliseconds); a
cached one costs a dictionary lookup. Documents are never cached.

Usage::

    embedder = CachedQueryEmbedder(SentenceTransformerEmbedder(), size=1024)
    HybridRetriever(index=index, embedder=embedder)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from ridgeline.protocols import TextEmbedder


class CachedQueryEmbedder:
    """A TextEmbedder that remembers the vectors of its ``size`` most recent queries."""

    def __init__(self, embedder: TextEmbedder, *, size: int = 1024) -> None:
        if size < 1:
            raise ValueError(f"size must be at least 1, got {size}")
        self._embedder = embedder
        self._size = size
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()
        self.name = embedder.name

    @property
    def dimension(self) -> int:
        return self._embedder.dimension

    @property
    def max_input_tokens(self) -> int:
        return self._embedder.max_input_tokens

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self._embedder.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            if text in self._vectors:
                self._vectors.move_to_end(text)
                return self._vectors[text]
        vector = self._embedder.embed_query(text)  # outside the lock: others keep going
        with self._lock:
            self._vectors[text] = vector
            if len(self._vectors) > self._size:
                self._vectors.popitem(last=False)
        return vector
