"""Reciprocal rank fusion (RRF) of a BM25 ranking, a text-vector ranking and an image ranking.

Each list contributes ``1 / (k + rank)`` (rank 1-based) to every chunk it contains; the fused
score is the sum. Only ranks matter, so BM25 scores and cosine similarities need no
normalisation.

    >>> fused = reciprocal_rank_fusion(text_hits, vector_hits, k=60)
    >>> fused = reciprocal_rank_fusion(text_hits, vector_hits, image_hits=image_hits)
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
    image_rank: int | None = None

    def ranks(self) -> list[int]:
        return [r for r in (self.text_rank, self.vector_rank, self.image_rank) if r is not None]

    def score(self, k: int) -> float:
        return sum(1.0 / (k + rank) for rank in self.ranks())


def _merge(fused: dict[str, _Fused], hits: Sequence[SearchHit], field: str) -> None:
    for rank, hit in enumerate(hits, start=1):
        entry = fused.setdefault(hit.chunk.chunk_id, _Fused(chunk=hit.chunk))
        if getattr(entry, field) is None:
            setattr(entry, field, rank)


def reciprocal_rank_fusion(
    text_hits: Sequence[SearchHit],
    vector_hits: Sequence[SearchHit],
    *,
    image_hits: Sequence[SearchHit] = (),
    k: int = DEFAULT_RRF_K,
    top: int | None = None,
) -> list[SearchHit]:
    """Fuse up to three rankings (best first) into one, keeping each chunk's rank in each list.

    Ties are broken by the better single rank, then by chunk id, so the order is deterministic.
    A chunk listed twice in one ranking counts at its first (best) position.
    """
    if k < 1:
        raise ValueError(f"rrf k must be at least 1, got {k}")
    fused: dict[str, _Fused] = {}
    _merge(fused, text_hits, "text_rank")
    _merge(fused, vector_hits, "vector_rank")
    _merge(fused, image_hits, "image_rank")
    ordered = sorted(fused.values(), key=lambda e: (-e.score(k), min(e.ranks()), e.chunk.chunk_id))
    if top is not None:
        ordered = ordered[:top]
    return [
        SearchHit(
            chunk=e.chunk,
            score=e.score(k),
            text_rank=e.text_rank,
            vector_rank=e.vector_rank,
            image_rank=e.image_rank,
        )
        for e in ordered
    ]
