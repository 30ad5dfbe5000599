"""What an index backend answers: single rankings of chunk ids, asked for in a batch.

Fusion, de-duplication per place (page or section) and the price check after ranking are the
retriever's job (:mod:`retrieval.retriever`); a backend only ranks, fetches records by id and
counts facets.

    >>> index.rank([RankingQuery(field="text", text="trail shoes", top=50),
    ...             RankingQuery(field="vector", vector=query_vector, top=50)])
    [[RankedChunk(chunk_id="p.csv-1", score=7.2, citation="p.csv#id=1", price=120.0), ...], [...]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ridgeline.places import place_of
from ridgeline.types import SearchFilters

# text: BM25 over chunk content; vector: cosine over the text vectors; image: over image vectors.
RankingField = Literal["text", "vector", "image"]


@dataclass(frozen=True)
class RankingQuery:
    """One ranking: the ``top`` best chunks the ``filters`` let through, best first.

    ``text`` is used by a ``text`` ranking, ``vector`` by the two others. ``exact_scores``
    asks a backend with approximate vector search to re-score its candidates exactly (the
    scores will be shown); fused rankings use ranks only and skip that cost.
    """

    field: RankingField
    top: int
    text: str = ""
    vector: Sequence[float] | None = None
    filters: SearchFilters | None = None
    exact_scores: bool = False

    def __post_init__(self) -> None:
        if self.top < 1:
            raise ValueError(f"a ranking needs top >= 1, got {self.top}")
        if self.field != "text" and self.vector is None:
            raise ValueError(f"a {self.field} ranking needs a query vector")


@dataclass(frozen=True)
class RankedChunk:
    """One entry of a ranking: enough to fuse, group by place and check a price, not a record.

    ``score`` is the backend's BM25 score in a text ranking (comparable within one backend
    only) and the cosine similarity in a vector or image ranking (comparable across backends).
    ``page_number`` and ``title`` are the chunk's, read so that the retriever can tell the
    sections of a file without pages apart (:mod:`ridgeline.places`); a backend that leaves
    them out groups such a file as one place.
    """

    chunk_id: str
    score: float
    citation: str
    price: float | None = None
    page_number: int | None = None
    title: str | None = None

    @property
    def place(self) -> str:
        """The page, record or section this chunk is in (:func:`ridgeline.places.place_of`)."""
        return place_of(self.citation, page_number=self.page_number, title=self.title)
