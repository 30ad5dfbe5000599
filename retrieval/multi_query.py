"""Multi-part questions: search each part, fuse, and make sure every part keeps its evidence.

A thin layer over any :class:`ridgeline.protocols.Retriever` (in practice the
:class:`retrieval.retriever.HybridRetriever`): a question the decomposer
(:mod:`retrieval.query.decompose`) splits into parts is searched as a whole and part by part; the
rankings are fused by reciprocal rank, one hit per place (page or section), and the best place of
every part that the fused head left out takes one of the last places of the head, so each part
has evidence in the top sources. A question of one part, or one with a query image, goes straight
to the retriever.

>>> retriever = MultiQueryRetriever(HybridRetriever(index=index, embedder=embedder))
>>> retriever.search("What is coinsurance and what are the exceptions?", mode="hybrid", top=5)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

from retrieval.fusion import DEFAULT_RRF_K, reciprocal_rank
from retrieval.query.decompose import Decomposer, RuleDecomposer
from ridgeline.protocols import Retriever
from ridgeline.ranking import RankingField
from ridgeline.settings import RetrievalMode
from ridgeline.types import SearchFilters, SearchHit

# The whole question's ranking counts this much more than one part's: it holds the pages that
# answer several parts at once.
_WHOLE_WEIGHT = 1.0


class MultiQueryRetriever:
    """A :class:`ridgeline.protocols.Retriever` that searches the parts of multi-part questions."""

    def __init__(
        self,
        retriever: Retriever,
        *,
        decomposer: Decomposer | None = None,
        whole_weight: float = _WHOLE_WEIGHT,
        cover_parts: bool = True,
        rrf_k: int = DEFAULT_RRF_K,
    ) -> None:
        if whole_weight < 0:
            raise ValueError(f"whole_weight must be at least 0, got {whole_weight}")
        if rrf_k < 1:
            raise ValueError(f"rrf_k must be at least 1, got {rrf_k}")
        self._retriever = retriever
        self._rrf_k = rrf_k
        self._decomposer = decomposer or RuleDecomposer()
        self._whole_weight = whole_weight
        self._cover_parts = cover_parts

    @property
    def retriever(self) -> Retriever:
        """The retriever each part is searched with."""
        return self._retriever

    @property
    def rrf_k(self) -> int:
        """The RRF k the rankings of the whole question and its parts are fused with (chat
        passes the configured ``RIDGELINE_RRF_K``, the one its hybrid retriever fuses with)."""
        return self._rrf_k

    def parts(self, text: str) -> list[str]:
        """The parts ``text`` is searched as (one part: searched as it is)."""
        return self._decomposer.decompose(text)

    def search(
        self,
        text: str,
        *,
        mode: RetrievalMode,
        top: int,
        filters: SearchFilters | None = None,
        image: Path | None = None,
        skip: int = 0,
        weights: Mapping[RankingField, float] | None = None,
    ) -> list[SearchHit]:
        parts = self.parts(text) if image is None else []
        if len(parts) < 2:
            return self._retriever.search(
                text, mode=mode, top=top, filters=filters, image=image, skip=skip, weights=weights
            )
        wanted = top + skip
        search = partial(self._retriever.search, mode=mode, top=wanted, filters=filters)
        whole = search(text, weights=weights)
        each = [search(part, weights=weights) for part in parts]
        weighed = [self._whole_weight] + [1.0] * len(each)
        fused = fuse_by_place([whole, *each], weighed, k=self._rrf_k)
        if self._cover_parts:
            fused = cover(fused, [ranking[:1] for ranking in each], head=top)
        return fused[skip:wanted]


def fuse_by_place(
    rankings: Sequence[Sequence[SearchHit]], weights: Sequence[float], *, k: int = DEFAULT_RRF_K
) -> list[SearchHit]:
    """Weighted reciprocal-rank fusion (:func:`retrieval.fusion.reciprocal_rank`), one hit per
    place (page or section, :mod:`ridgeline.places`): the first hit of that place met, the
    rankings read in order."""
    best: dict[str, SearchHit] = {}
    for ranking in rankings:
        for hit in ranking:
            best.setdefault(hit.chunk.place, hit)
    votes = reciprocal_rank(
        {
            number: ([hit.chunk.place for hit in ranking], weight)
            for number, (ranking, weight) in enumerate(zip(rankings, weights, strict=True))
        },
        k=k,
    )
    return [best[v.key].model_copy(update={"score": v.score}) for v in votes]


def cover(
    fused: Sequence[SearchHit], required: Sequence[Sequence[SearchHit]], *, head: int
) -> list[SearchHit]:
    """``fused`` with each required hit missing from its first ``head`` moved into the head's
    last places (the lowest-ranked of the head make room), in the order of ``required``."""
    shown = {hit.chunk.place for hit in fused[:head]}
    missing: list[str] = []
    for hits in required:
        for hit in hits:
            if hit.chunk.place not in shown and hit.chunk.place not in missing:
                missing.append(hit.chunk.place)
    missing = missing[:head]
    if not missing:
        return list(fused)
    by_place = {hit.chunk.place: hit for hit in fused}
    moved = [by_place[p] for p in missing if p in by_place]
    rest = [hit for hit in fused if hit.chunk.place not in missing]
    keep = head - len(moved)
    return rest[:keep] + moved + rest[keep:]
