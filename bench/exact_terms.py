"""A query-dependent fusion weight, measured as a benchmark variant (issue 14).

Questions that name exact terms (a number or code such as "X4" or "2,000", a quoted phrase, an
acronym such as "PPO") are where BM25 beats the embedder, which blurs such tokens; for those the
BM25 ranking is weighted ``text_weight``. Other questions keep the wrapped retriever's weights.

>>> retriever = ExactTermWeighting(HybridRetriever(index=index, embedder=embedder), text_weight=2)
>>> retriever.search('What is the "out-of-pocket maximum" for PPO members?', mode="hybrid", top=5)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from ridgeline.protocols import Retriever
from ridgeline.ranking import RankingField
from ridgeline.settings import RetrievalMode
from ridgeline.types import SearchFilters, SearchHit

_EXACT = re.compile(r"\d|\"[^\"]+\"|\b[A-Z]{2,}\b")


def has_exact_terms(text: str) -> bool:
    return _EXACT.search(text) is not None


class ExactTermWeighting:
    """A :class:`ridgeline.protocols.Retriever` raising BM25's weight for exact-term questions."""

    def __init__(self, retriever: Retriever, *, text_weight: float) -> None:
        if not text_weight > 0:
            raise ValueError(f"text_weight must be above 0, got {text_weight}")
        self._retriever = retriever
        self._text_weight = text_weight

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
        if has_exact_terms(text) and "text" not in (weights or {}):
            weights = {**(weights or {}), "text": self._text_weight}
        return self._retriever.search(
            text, mode=mode, top=top, filters=filters, image=image, skip=skip, weights=weights
        )
