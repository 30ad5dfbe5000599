"""BM25 pseudo-relevance feedback, measured in ``bench.retrieval northwind-prf`` (not shipped).

The question is searched once; the content words most frequent in the first ``documents`` hits
and absent from the question (at most ``terms``) are appended, and the longer query is searched
again. Kept here, in the benchmark, until the untouched half says it generalises.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from retrieval.query.stopwords import content_words
from ridgeline.protocols import Retriever
from ridgeline.settings import RetrievalMode
from ridgeline.types import SearchFilters, SearchHit


class FeedbackRetriever:
    """A :class:`ridgeline.protocols.Retriever` whose query grows by feedback terms."""

    def __init__(self, retriever: Retriever, *, documents: int = 3, terms: int = 5) -> None:
        if documents < 1 or terms < 1:
            raise ValueError(f"documents and terms must be at least 1, got {documents}, {terms}")
        self._retriever = retriever
        self._documents = documents
        self._terms = terms

    def expanded(self, text: str, *, mode: RetrievalMode) -> str:
        first = self._retriever.search(text, mode=mode, top=self._documents)
        asked = set(content_words(text))
        counts = Counter(
            w for hit in first for w in content_words(hit.chunk.content) if w not in asked
        )
        extra = [w for w, _ in counts.most_common(self._terms)]
        return f"{text} {' '.join(extra)}" if extra else text

    def search(
        self,
        text: str,
        *,
        mode: RetrievalMode,
        top: int,
        filters: SearchFilters | None = None,
        image: Path | None = None,
        skip: int = 0,
    ) -> list[SearchHit]:
        query = self.expanded(text, mode=mode)
        return self._retriever.search(
            query, mode=mode, top=top, filters=filters, image=image, skip=skip
        )
