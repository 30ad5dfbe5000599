"""One search through the one fusion path, shaped like a single index call, for index tests.

    >>> search(index, text="running", vector=v, mode="hybrid", top=3, filters=f)

It builds a :class:`HybridRetriever` over ``index`` whose embedder answers with ``vector``
(or embeds the text with the hashing embedder) and whose image embedder answers with
``image_vector``, so a test states the vectors it means.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from retrieval.price_check import PriceCheck
from retrieval.retriever import HybridRetriever
from ridgeline.protocols import SearchIndex
from ridgeline.settings import RetrievalMode
from ridgeline.types import SearchFilters, SearchHit
from tests.fakes import FixedImageEmbedder, HashingEmbedder

_QUERY_IMAGE = Path("query-image.png")  # never read: the image embedder answers with a vector


class GivenVector(HashingEmbedder):
    """Embeds queries as ``vector`` when one is given, else by hashing their words."""

    def __init__(self, vector: Sequence[float] | None, dimension: int) -> None:
        super().__init__(dimension=dimension)
        self._given = list(vector) if vector is not None else None

    def embed_query(self, text: str) -> list[float]:
        return self._given if self._given is not None else super().embed_query(text)


def search(
    index: SearchIndex,
    *,
    text: str,
    vector: Sequence[float] | None = None,
    mode: RetrievalMode,
    top: int,
    filters: SearchFilters | None = None,
    image_vector: Sequence[float] | None = None,
    skip: int = 0,
    min_score: float | None = None,
    candidates: int = 50,
    price_check: PriceCheck | None = None,
    dimension: int = 64,
) -> list[SearchHit]:
    """``vector`` in ``vectors`` mode with a blank ``text`` is a vector-only query, as before."""
    if mode == "vectors" and vector is not None and not text.strip():
        text = "(the given vector)"
    retriever = HybridRetriever(
        index=index,
        embedder=GivenVector(vector, dimension),
        candidates=candidates,
        image_embedder=FixedImageEmbedder(list(image_vector)) if image_vector else None,
        price_check=price_check,
        # The bare fusion path an index test means: no stop words dropped, no page grouping.
        drop_stop_words=False,
        distinct_pages=False,
    )
    image = _QUERY_IMAGE if image_vector else None
    return retriever.search(
        text, mode=mode, top=top, filters=filters, image=image, skip=skip, min_score=min_score
    )
