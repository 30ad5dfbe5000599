"""Reciprocal rank fusion (RRF) of a BM25 ranking, a text-vector ranking and an image ranking.

Each ranking contributes ``1 / (k + rank)`` (rank 1-based) to every chunk it contains; the
fused score is the sum. Only ranks matter, so BM25 scores and cosine similarities need no
normalisation. A lone ranking keeps its own scores (BM25 or cosine).

``weights`` scales a ranking's terms: ``{"image": 3.0}`` makes a rank in the image ranking count
as much as that rank in three rankings (a question asked with a photo trusts the photo more
than the text read off it). Rankings not named weigh 1.0.

    >>> fused = fuse({"text": text_ranking, "vector": vector_ranking}, k=60)
    >>> fuse(rankings, weights={"image": 3.0})
    >>> fused[0].chunk_id, fused[0].score, fused[0].ranks

:func:`reciprocal_rank` is the one weighted-RRF primitive: :func:`fuse` uses it over chunk ids,
:mod:`retrieval.multi_query` over the pages of the rankings of a question's parts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ridgeline.ranking import RankedChunk, RankingField

# Chosen on the tuning splits of Northwind and SciFact (docs/benchmarks.md, "RRF k=20"); the
# settings' default (RIDGELINE_RRF_K) is the same number, checked by a test.
DEFAULT_RRF_K = 20

_Name = TypeVar("_Name")


@dataclass(frozen=True)
class Vote(Generic[_Name]):
    """One key of a fused ranking: its summed score and its rank in each ranking that held it."""

    key: str
    score: float
    ranks: dict[_Name, int]


def reciprocal_rank(
    rankings: Mapping[_Name, tuple[Sequence[str], float]], *, k: int
) -> list[Vote[_Name]]:
    """Weighted reciprocal-rank fusion of rankings of keys, best first.

    ``rankings`` maps a name to (keys best first, weight); each key scores the sum of
    ``weight / (k + rank)`` (rank 1-based) over the rankings holding it. A key listed twice in
    one ranking counts once, at its first (best) place: a page with many chunks gets no more
    votes than a page with one. Ties break by the better single rank, then by key, so the order
    does not depend on the order of the rankings.
    """
    if k < 1:
        raise ValueError(f"rrf k must be at least 1, got {k}")
    ranks: dict[str, dict[_Name, int]] = {}
    for name, (keys, weight) in rankings.items():
        if not weight >= 0:  # also refuses NaN
            raise ValueError(f"the weight of the {name} ranking must be at least 0, got {weight}")
        for rank, key in enumerate(keys, start=1):
            ranks.setdefault(key, {}).setdefault(name, rank)
    votes = [
        Vote(key, sum(rankings[n][1] / (k + r) for n, r in held.items()), held)
        for key, held in ranks.items()
    ]
    return sorted(votes, key=lambda v: (-v.score, min(v.ranks.values()), v.key))


@dataclass
class Fused:
    """A chunk of the fused ranking: its score and its rank in each ranking that held it;
    ``place`` is the page or section it is in (:attr:`ridgeline.ranking.RankedChunk.place`)."""

    chunk_id: str
    citation: str
    place: str
    ranks: dict[RankingField, int] = field(default_factory=dict)
    score: float = 0.0

    def rank_fields(self) -> dict[str, int]:
        """``text_rank``, ``vector_rank``, ``image_rank`` as SearchHit takes them."""
        return {f"{name}_rank": rank for name, rank in self.ranks.items()}


def fuse(
    rankings: Mapping[RankingField, Sequence[RankedChunk]],
    *,
    k: int = DEFAULT_RRF_K,
    top: int | None = None,
    weights: Mapping[RankingField, float] | None = None,
) -> list[Fused]:
    """One ranking from several (best first), keeping each chunk's rank in each of them.

    Ties are broken by the better single rank, then by chunk id, so the order is deterministic.
    A chunk listed twice in one ranking counts at its first (best) position.
    """
    if k < 1:
        raise ValueError(f"rrf k must be at least 1, got {k}")
    weights = weights or {}
    for name, weight in weights.items():
        if not weight > 0:  # also refuses NaN
            raise ValueError(f"the weight of the {name} ranking must be above 0, got {weight}")
    present = {name: ranking for name, ranking in rankings.items() if ranking is not None}
    if len(present) == 1:
        ((name, ranking),) = present.items()
        ordered = _alone(name, ranking)
    else:
        ordered = _fused(present, k, weights)
    return ordered if top is None else ordered[:top]


def _alone(name: RankingField, ranking: Sequence[RankedChunk]) -> list[Fused]:
    seen: set[str] = set()
    kept: list[Fused] = []
    for entry in ranking:
        if entry.chunk_id not in seen:
            seen.add(entry.chunk_id)
            ranks: dict[RankingField, int] = {name: len(kept) + 1}
            kept.append(Fused(entry.chunk_id, entry.citation, entry.place, ranks, entry.score))
    return kept


def _fused(
    rankings: Mapping[RankingField, Sequence[RankedChunk]],
    k: int,
    weights: Mapping[RankingField, float],
) -> list[Fused]:
    first: dict[str, RankedChunk] = {}
    for ranking in rankings.values():
        for entry in ranking:
            first.setdefault(entry.chunk_id, entry)
    votes = reciprocal_rank(
        {
            name: ([entry.chunk_id for entry in ranking], weights.get(name, 1.0))
            for name, ranking in rankings.items()
        },
        k=k,
    )
    return [
        Fused(v.key, first[v.key].citation, first[v.key].place, v.ranks, v.score) for v in votes
    ]
