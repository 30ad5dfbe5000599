"""Reciprocal rank fusion (RRF) of a BM25 ranking and a vector ranking.

Each list contributes ``1 / (k + rank)`` (rank 1-based) to every chunk it contains; the fused
score is the sum. Only ranks matter, so BM25 scores and cosine similarities need no
normalisation.

    >>> fused = reciprocal_rank_fusion(text_hits, vector_hits, k=60)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ridgeline.types import Chunk, SearchHit

DEFAULT_RRF_K = 60


@dataclass
class _Fused:
    chunk: Chunk
    text_rank: int | None = None
    vector_rank: int | None = None

    def score(self, k: int) -> float:
        ranks = (r for r in (self.text_rank, self.vector_rank) if r is not None)
        return sum(1.0 / (k + rank) for rank in ranks)

    def best_rank(self) -> int:
        return min(r for r in (self.text_rank, self.vector_rank) if r is not None)


def reciprocal_rank_fusion(
    text_hits: Sequence[SearchHit],
    vector_hits: Sequence[SearchHit],
    *,
    k: int = DEFAULT_RRF_K,
    top: int | None = None,
) -> list[SearchHit]:
    """Fuse two rankings (best first) into one, keeping each chunk's rank in both lists.

    Ties are broken by the better single rank, then by chunk id, so the order is deterministic.
    A chunk listed twice in one ranking counts at its first (best) position.
    """
    if k < 1:
        raise ValueError(f"rrf k must be at least 1, got {k}")
    fused: dict[str, _Fused] = {}
    for rank, hit in enumerate(text_hits, start=1):
        entry = fused.setdefault(hit.chunk.chunk_id, _Fused(chunk=hit.chunk))
        if entry.text_rank is None:
            entry.text_rank = rank
    for rank, hit in enumerate(vector_hits, start=1):
        entry = fused.setdefault(hit.chunk.chunk_id, _Fused(chunk=hit.chunk))
        if entry.vector_rank is None:
            entry.vector_rank = rank
    ordered = sorted(fused.values(), key=lambda e: (-e.score(k), e.best_rank(), e.chunk.chunk_id))
    if top is not None:
        ordered = ordered[:top]
    return [
        SearchHit(chunk=e.chunk, score=e.score(k), text_rank=e.text_rank, vector_rank=e.vector_rank)
        for e in ordered
    ]
