"""Hybrid retrieval: BM25, text-vector and image-vector rankings, fused by reciprocal rank.

The one place where rankings become results, whatever the index backend: the index ranks
(:meth:`ridgeline.protocols.SearchIndex.rank`, all rankings of a search in one call), and the
retriever checks prices after ranking (:mod:`retrieval.price_check`), fuses, keeps one hit per
place (page or section) and fetches the records of the page it returns.

>>> retriever = HybridRetriever(index=index, embedder=embedder)
>>> retriever.search("waterproof trail shoes", mode="hybrid", top=5)
>>> retriever.search("", mode="hybrid", top=5, image=Path("photo.jpg"))   # query by image
>>> retriever.search("tent", mode="hybrid", top=5, image=photo, weights={"image": 2.0})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from retrieval.fusion import DEFAULT_RRF_K, Fused, fuse
from retrieval.listed_documents import ListedDocuments
from retrieval.price_check import PriceCheck, PricePlan
from retrieval.query.spelling import SpellingCorrector, VocabularySource
from retrieval.query.stopwords import without_stop_words
from retrieval.rerank import Reranker
from ridgeline.errors import FeatureNotAvailableError
from ridgeline.protocols import Captioner, ImageEmbedder, OcrEngine, SearchIndex, TextEmbedder
from ridgeline.ranking import RankedChunk, RankingField, RankingQuery
from ridgeline.settings import RetrievalMode
from ridgeline.types import SearchFilters, SearchHit

_MODES = ("text", "vectors", "hybrid")
_Placed = TypeVar("_Placed", Fused, SearchHit)


@dataclass(frozen=True)
class _Query:
    text: str  # the user's text plus what was read off the query image
    image_vector: list[float] | None = None


class HybridRetriever:
    """A :class:`ridgeline.protocols.Retriever` over any SearchIndex and TextEmbedder.

    The query is embedded only in ``vectors`` and ``hybrid`` modes. In ``hybrid`` mode
    ``candidates`` hits are fetched from each ranking, fused with RRF (``rrf_k``) and cut to
    ``top``. A lone ranking keeps its own scores (BM25, or cosine similarity).

    A query ``image`` adds its OCR text (``ocr``) and caption (``captioner``) to the query text,
    and, in ``vectors``/``hybrid`` modes, an image-vector ranking (``image_embedder``) fused with
    the others. Each of the three is optional. ``reranker`` re-scores the fused candidates.
    ``drop_stop_words`` sends only content words to BM25; ``distinct_pages`` returns at most one
    hit per place (a page, a record, or a section of a file without pages: see
    :mod:`ridgeline.places`), so ``top`` hits cover ``top`` places. ``correct_spelling`` replaces
    query words the index does not hold by the closest word it does hold (see
    :mod:`retrieval.query.spelling`) before either ranking sees the query; it needs an index with
    a ``vocabulary()`` (LanceDbIndex has one). ``price_check`` decides when a price range is
    checked after a ranking rather than inside it. ``listed_only`` drops hits of documents the
    index does not list (chunks of a write killed before its document row: see
    :mod:`retrieval.listed_documents`); until the next ingest repairs such a write, a search may
    then return fewer than ``top`` hits. ``weights`` are each ranking's default weight in the
    fusion (rankings not named weigh 1.0); a search's own ``weights`` override them for the
    rankings they name, so a photo question's image weight leaves the text defaults in place.
    """

    def __init__(
        self,
        *,
        index: SearchIndex,
        embedder: TextEmbedder,
        rrf_k: int = DEFAULT_RRF_K,
        candidates: int = 50,
        image_embedder: ImageEmbedder | None = None,
        ocr: OcrEngine | None = None,
        captioner: Captioner | None = None,
        reranker: Reranker | None = None,
        drop_stop_words: bool = True,
        distinct_pages: bool = True,
        correct_spelling: bool = False,
        listed_only: bool = False,
        price_check: PriceCheck | None = None,
        weights: Mapping[RankingField, float] | None = None,
    ) -> None:
        if rrf_k < 1:
            raise ValueError(f"rrf_k must be at least 1, got {rrf_k}")
        if candidates < 1:
            raise ValueError(f"candidates must be at least 1, got {candidates}")
        self._index = index
        self._embedder = embedder
        self._rrf_k = rrf_k
        self._candidates = candidates
        self._image_embedder = image_embedder
        self._ocr = ocr
        self._captioner = captioner
        self._reranker = reranker
        self._drop_stop_words = drop_stop_words
        self._distinct_pages = distinct_pages
        self._vocabulary_source = _vocabulary_source(index) if correct_spelling else None
        self._corrector: SpellingCorrector | None = None
        self._listed = ListedDocuments(index) if listed_only else None
        self._price_check = price_check or PriceCheck()
        self._weights = dict(weights or {})
        for name, weight in self._weights.items():
            if not weight > 0:  # also refuses NaN
                raise ValueError(f"the {name} ranking's weight must be above 0, got {weight}")

    def search(
        self,
        text: str,
        *,
        mode: RetrievalMode,
        top: int,
        filters: SearchFilters | None = None,
        image: Path | None = None,
        skip: int = 0,
        min_score: float | None = None,
        weights: Mapping[RankingField, float] | None = None,
    ) -> list[SearchHit]:
        """``min_score`` drops hits scored lower (BM25, cosine or RRF score), before skipping.

        ``weights``: this search's weight of each ranking in the fusion (see
        :func:`retrieval.fusion.fuse`); rankings not named keep the retriever's default weight.
        """
        if top < 1:
            raise ValueError(f"top must be at least 1, got {top}")
        if skip < 0:
            raise ValueError(f"skip must be at least 0, got {skip}")
        if mode not in _MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}: use text, vectors or hybrid")
        query = self._query(text, image=image, mode=mode)
        depth = self._depth(top + skip)
        weighed = {**self._weights, **(weights or {})}
        ranked = self._ranked(query, mode=mode, depth=depth, filters=filters, weights=weighed)
        if min_score is not None:
            ranked = [entry for entry in ranked if entry.score >= min_score]
        if self._reranker is not None and query.text.strip():
            hits = self._reranker.rerank(query.text, self._records(ranked))
            if self._distinct_pages:
                hits = _one_per_place(hits)
            return hits[skip : skip + top]
        if self._distinct_pages:
            ranked = _one_per_place(ranked)
        return self._records(ranked[skip : skip + top])

    def _records(self, ranked: Sequence[Fused]) -> list[SearchHit]:
        """The hits of ``ranked`` with their records; a chunk deleted meanwhile drops out."""
        chunks = self._index.fetch([entry.chunk_id for entry in ranked]) if ranked else {}
        hits = [
            SearchHit(chunk=chunks[entry.chunk_id], score=entry.score, **entry.rank_fields())
            for entry in ranked
            if entry.chunk_id in chunks
        ]
        return self._listed.keep(hits) if self._listed is not None else hits

    def _depth(self, wanted: int) -> int:
        """How many hits to fetch so that reranking and page grouping have room to work."""
        if self._reranker is None and not self._distinct_pages:
            return wanted
        return max(wanted * (3 if self._distinct_pages else 1), self._candidates)

    def _query(self, text: str, *, image: Path | None, mode: RetrievalMode) -> _Query:
        query = self._query_as_given(text, image=image, mode=mode)
        if self._vocabulary_source is None or not query.text.strip():
            return query
        return _Query(text=self._spelling().correct(query.text), image_vector=query.image_vector)

    def _spelling(self) -> SpellingCorrector:
        """The corrector for the index's current vocabulary (rebuilt when the index changed)."""
        assert self._vocabulary_source is not None
        vocabulary = self._vocabulary_source.vocabulary()
        corrector = self._corrector
        if corrector is None or corrector.vocabulary is not vocabulary:
            corrector = self._corrector = SpellingCorrector(vocabulary)
        return corrector

    def _query_as_given(self, text: str, *, image: Path | None, mode: RetrievalMode) -> _Query:
        if image is None:
            return _Query(text=text)
        parts = [text.strip()]
        ocr_text = self._ocr.read_text(image).strip() if self._ocr is not None else ""
        if self._captioner is not None:
            parts.append(self._captioner.caption(image, ocr_text=ocr_text).strip())
        parts.append(ocr_text)
        vector = None
        if self._image_embedder is not None and mode != "text":
            vector = self._image_embedder.embed_images([image])[0]
        return _Query(text=" ".join(p for p in parts if p), image_vector=vector)

    def _ranked(
        self,
        query: _Query,
        *,
        mode: RetrievalMode,
        depth: int,
        filters: SearchFilters | None,
        weights: Mapping[RankingField, float] | None,
    ) -> list[Fused]:
        asked = self._asked(query, mode)
        if not asked:
            return []
        size = depth if len(asked) == 1 else max(depth, self._candidates)
        plan = self._price_check.plan(
            filters, fields=list(asked), depth=size, rows=self._index.count_chunks
        )
        rankings = self._run(asked, plan, size=size, exact=len(asked) == 1)
        return fuse(rankings, k=self._rrf_k, top=depth, weights=weights)

    def _asked(self, query: _Query, mode: RetrievalMode) -> dict[RankingField, _Ask]:
        """The rankings this query needs, with their text or vector."""
        asked: dict[RankingField, _Ask] = {}
        if query.text.strip():
            if mode in ("text", "hybrid"):
                bm25_text = without_stop_words(query.text) if self._drop_stop_words else query.text
                asked["text"] = _Ask(text=bm25_text)
            if mode in ("vectors", "hybrid"):
                asked["vector"] = _Ask(vector=self._embedder.embed_query(query.text))
        if query.image_vector is not None:
            asked["image"] = _Ask(vector=query.image_vector)
        return asked

    def _run(
        self, asked: dict[RankingField, _Ask], plan: PricePlan, *, size: int, exact: bool
    ) -> dict[RankingField, list[RankedChunk]]:
        """Every ranking in one ``rank`` call; a second one for those a price check left short."""

        def ranking(name: RankingField, *, price_after: bool) -> RankingQuery:
            return RankingQuery(
                field=name,
                top=plan.fetch if price_after else size,
                text=asked[name].text,
                vector=asked[name].vector,
                filters=plan.rest if price_after else plan.filters,
                exact_scores=exact,
            )

        names = list(asked)
        answers = self._index.rank([ranking(n, price_after=n in plan.after) for n in names])
        rankings = dict(zip(names, answers, strict=True))
        short: list[RankingField] = []
        for name in plan.after:
            kept = plan.kept(rankings[name], depth=size)
            if kept is None:
                short.append(name)
            else:
                rankings[name] = kept
        if short:
            again = self._index.rank([ranking(n, price_after=False) for n in short])
            rankings.update(zip(short, again, strict=True))
        return rankings


@dataclass(frozen=True)
class _Ask:
    text: str = ""
    vector: Sequence[float] | None = None


def _vocabulary_source(index: SearchIndex) -> VocabularySource:
    if not isinstance(index, VocabularySource):
        raise FeatureNotAvailableError(
            f"spelling correction needs an index that lists its words; {type(index).__name__} "
            "does not: turn correct_spelling off for this index"
        )
    return index


def _one_per_place(hits: Sequence[_Placed]) -> list[_Placed]:
    """The best hit of each place: a page, a record, or a section of a file without pages
    (:mod:`ridgeline.places`), so that several sections of one manual can be sources."""
    seen: set[str] = set()
    kept = []
    for hit in hits:
        place = hit.place if isinstance(hit, Fused) else hit.chunk.place
        if place not in seen:
            seen.add(place)
            kept.append(hit)
    return kept
