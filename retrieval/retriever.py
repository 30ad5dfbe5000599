"""Hybrid retrieval: BM25 and vector rankings from a SearchIndex, fused by reciprocal rank.

>>> retriever = HybridRetriever(index=index, embedder=embedder)
>>> retriever.search("waterproof trail shoes", mode="hybrid", top=5)
"""

from __future__ import annotations

from retrieval.fusion import DEFAULT_RRF_K, reciprocal_rank_fusion
from ridgeline.protocols import SearchIndex, TextEmbedder
from ridgeline.settings import RetrievalMode
from ridgeline.types import SearchFilters, SearchHit


class HybridRetriever:
    """A :class:`ridgeline.protocols.Retriever` over any SearchIndex and TextEmbedder.

    The query is embedded only in ``vectors`` and ``hybrid`` modes. In ``hybrid`` mode
    ``candidates`` hits are fetched from each ranking, fused with RRF (``rrf_k``) and cut to
    ``top``; the fusion is the same function the index's own hybrid mode uses.
    """

    def __init__(
        self,
        *,
        index: SearchIndex,
        embedder: TextEmbedder,
        rrf_k: int = DEFAULT_RRF_K,
        candidates: int = 50,
    ) -> None:
        if rrf_k < 1:
            raise ValueError(f"rrf_k must be at least 1, got {rrf_k}")
        if candidates < 1:
            raise ValueError(f"candidates must be at least 1, got {candidates}")
        self._index = index
        self._embedder = embedder
        self._rrf_k = rrf_k
        self._candidates = candidates

    def search(
        self,
        text: str,
        *,
        mode: RetrievalMode,
        top: int,
        filters: SearchFilters | None = None,
    ) -> list[SearchHit]:
        if top < 1:
            raise ValueError(f"top must be at least 1, got {top}")
        if mode == "text":
            return self._index.search(text=text, vector=None, mode="text", top=top, filters=filters)
        if mode not in ("vectors", "hybrid"):
            raise ValueError(f"unknown retrieval mode {mode!r}: use text, vectors or hybrid")
        if not text.strip():
            return []
        vector = self._embedder.embed_query(text)
        if mode == "vectors":
            return self._index.search(
                text=text, vector=vector, mode="vectors", top=top, filters=filters
            )
        candidates = max(top, self._candidates)
        text_hits = self._index.search(
            text=text, vector=None, mode="text", top=candidates, filters=filters
        )
        vector_hits = self._index.search(
            text=text, vector=vector, mode="vectors", top=candidates, filters=filters
        )
        return reciprocal_rank_fusion(text_hits, vector_hits, k=self._rrf_k, top=top)
