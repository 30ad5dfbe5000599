"""A text embedder for benchmark runs that must never embed a query (BM25-only or image-only
searches through HybridRetriever, which needs some embedder)."""

from __future__ import annotations

from collections.abc import Sequence


class NoTextEmbedder:
    """Writes a placeholder vector for documents and fails loudly if a query is embedded."""

    name = "none"
    dimension = 1
    max_input_tokens = 1

    def __init__(self, *, run: str) -> None:
        self._run = run

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [[1.0] for _ in texts]

    def embed_query(self, text: str) -> list[float]:
        raise AssertionError(f"the {self._run} run embedded a query")
