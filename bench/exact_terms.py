"""A query-dependent fusion weight, measured as a benchmark variant (issue 14).

Questions that name exact terms (a number or code such as "X4" or "2,000", a quoted phrase, an
acronym such as "PPO") are where BM25 beats the embedder, which blurs such tokens; for those the
BM25 ranking is weighted ``text_weight``. With ``rare_count``, a word the corpus holds at most
that many times (``vocabulary``: lower-cased word -> count) counts as an exact term too. Other
questions keep the wrapped retriever's weights.

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
_WORD = re.compile(r"[a-z]+")


def has_exact_terms(
    text: str, vocabulary: Mapping[str, int] | None = None, *, rare_count: int = 0
) -> bool:
    if _EXACT.search(text) is not None:
        return True
    if vocabulary is None or rare_count < 1:
        return False
    return any(0 < vocabulary.get(w, 0) <= rare_count for w in _WORD.findall(text.lower()))


class ExactTermWeighting:
    """A :class:`ridgeline.protocols.Retriever` raising BM25's weight for exact-term questions."""

    def __init__(
        self,
        retriever: Retriever,
        *,
        text_weight: float,
        vocabulary: Mapping[str, int] | None = None,
        rare_count: int = 0,
    ) -> None:
        if not text_weight > 0:
            raise ValueError(f"text_weight must be above 0, got {text_weight}")
        self._retriever = retriever
        self._text_weight = text_weight
        self._vocabulary = vocabulary
        self._rare_count = rare_count

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
        exact = has_exact_terms(text, self._vocabulary, rare_count=self._rare_count)
        if exact and "text" not in (weights or {}):
            weights = {**(weights or {}), "text": self._text_weight}
        return self._retriever.search(
            text, mode=mode, top=top, filters=filters, image=image, skip=skip, weights=weights
        )
