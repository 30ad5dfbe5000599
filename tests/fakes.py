"""Test doubles that implement Ridgeline's protocols (never patches of library internals)."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from pathlib import Path

from retrieval.chunk_checks import check_document_chunks
from retrieval.query.spelling import Vocabulary
from ridgeline.attribute_fields import LIST_FIELDS
from ridgeline.errors import FeatureNotAvailableError
from ridgeline.ranking import RankedChunk, RankingQuery
from ridgeline.types import (
    AccessScope,
    AttributeRange,
    Chunk,
    SearchFilters,
    SourceDocument,
    bm25_text,
)

_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """A deterministic bag-of-words embedder: texts sharing words get similar vectors.

    Fast and dependency-free, for unit tests of code that only needs *some* TextEmbedder.
    """

    name = "hashing-test-embedder"

    def __init__(self, dimension: int = 64, max_input_tokens: int = 256) -> None:
        self._dimension = dimension
        self._max_input_tokens = max_input_tokens

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def max_input_tokens(self) -> int:
        return self._max_input_tokens

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self._dimension
        for word in _WORD.findall(text.lower()):
            digest = hashlib.md5(word.encode()).digest()
            vec[int.from_bytes(digest[:4], "little") % self._dimension] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


class FixedImageEmbedder:
    """An image embedder that gives every image the same vector and records what it saw."""

    name = "fixed"
    text_aligned = False

    def __init__(self, vector: list[float]) -> None:
        self.vector = vector
        self.seen: list[Path] = []

    @property
    def dimension(self) -> int:
        return len(self.vector)

    def embed_images(self, image_paths: Sequence[Path]) -> list[list[float]]:
        self.seen.extend(image_paths)
        return [self.vector for _ in image_paths]

    def embed_text(self, text: str) -> list[float]:
        raise NotImplementedError


class MemoryIndex:
    """A dict-backed SearchIndex, FacetIndex and VocabularySource, for tests.

    Ranks as the real backends do (BM25 over lower-cased words, cosine over vectors), applies
    every filter inside the ranking, and keeps a write log (``writes``: one document id per
    ``replace_document``). It passes ``tests/retrieval/contract/``.
    """

    def __init__(self, *, bm25_titles: bool = False) -> None:
        self.bm25_titles = bm25_titles  # as LanceDbIndex's: BM25 also reads chunk titles
        self.documents: dict[str, SourceDocument] = {}
        self.chunks: dict[str, list[Chunk]] = {}
        self.vectors: dict[str, list[list[float]]] = {}
        self.image_vectors: dict[str, list[list[float] | None] | None] = {}
        self.writes: list[str] = []
        self._version = 0

    # -- documents ---------------------------------------------------------------------------

    def get_document(self, document_id: str) -> SourceDocument | None:
        return self.documents.get(document_id)

    def replace_document(
        self,
        document: SourceDocument,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        *,
        image_vectors: Sequence[Sequence[float] | None] | None = None,
    ) -> None:
        check_document_chunks(document, chunks, vectors, image_vectors)
        self.documents[document.document_id] = document
        self.chunks[document.document_id] = list(chunks)
        self.vectors[document.document_id] = [list(v) for v in vectors]
        self.image_vectors[document.document_id] = (
            None
            if image_vectors is None
            else [None if v is None else list(v) for v in image_vectors]
        )
        self.writes.append(document.document_id)
        self._version += 1

    def delete_document(self, document_id: str) -> None:
        for store in (self.documents, self.chunks, self.vectors, self.image_vectors):
            store.pop(document_id, None)  # type: ignore[attr-defined]
        self._version += 1

    def list_documents(self) -> list[SourceDocument]:
        return sorted(self.documents.values(), key=lambda d: d.document_id)

    def count_chunks(self) -> int:
        return sum(len(chunks) for chunks in self.chunks.values())

    def all_chunks(self) -> list[Chunk]:
        return [chunk for chunks in self.chunks.values() for chunk in chunks]

    # -- rankings, records, facets, words ----------------------------------------------------

    def rank(self, queries: Sequence[RankingQuery]) -> list[list[RankedChunk]]:
        return [self._ranking(query) for query in queries]

    def fetch(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        wanted = set(chunk_ids)
        return {c.chunk_id: c for c in self.all_chunks() if c.chunk_id in wanted}

    def facets(self, field: str, *, filters: SearchFilters | None = None) -> dict[str, int]:
        if field not in ("category", "brand", *LIST_FIELDS):
            raise ValueError(f"cannot count facets of {field!r}")
        counts: dict[str, int] = {}
        for chunk in self.all_chunks():
            if not admits(filters, chunk):
                continue
            for value in _facet_values(chunk, field):
                counts[value] = counts.get(value, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def vocabulary(self) -> Vocabulary:
        texts = [bm25_text(c, titles=self.bm25_titles) for c in self.all_chunks()]
        return Vocabulary.from_texts(texts, version=self._version)

    def _rows(self) -> list[tuple[Chunk, list[float], list[float] | None]]:
        rows = []
        for doc_id, chunks in self.chunks.items():
            images = self.image_vectors.get(doc_id) or [None] * len(chunks)
            rows.extend(zip(chunks, self.vectors[doc_id], images, strict=True))
        return rows

    def _ranking(self, query: RankingQuery) -> list[RankedChunk]:
        rows = [row for row in self._rows() if admits(query.filters, row[0])]
        if query.field == "text":
            chunks = [chunk for chunk, _, _ in rows]
            scored = _bm25(query.text, chunks, titles=self.bm25_titles)
        elif query.field == "vector":
            scored = [(_cosine(query.vector, vector), chunk) for chunk, vector, _ in rows]
        else:
            if not any(image is not None for _, _, image in self._rows()):
                raise FeatureNotAvailableError("this index holds no image vectors")
            scored = [(_cosine(query.vector, im), c) for c, _, im in rows if im is not None]
        scored.sort(key=lambda item: (-item[0], item[1].chunk_id))
        return [
            RankedChunk(
                chunk.chunk_id, score, chunk.citation, chunk.price, chunk.page_number, chunk.title
            )
            for score, chunk in scored[: query.top]
        ]


def _facet_values(chunk: Chunk, field: str) -> list[str]:
    if field in LIST_FIELDS:
        return chunk.attributes.words(field) if chunk.attributes else []
    value = getattr(chunk, field)
    return [] if value is None else [value]


def _in_range(chunk: Chunk, bound: AttributeRange) -> bool:
    value = chunk.attributes.number(bound.name) if chunk.attributes else None
    return (
        value is not None
        and (bound.min is None or value >= bound.min)
        and (bound.max is None or value <= bound.max)
    )


def _names_word(chunk: Chunk, field: str, word: str | None) -> bool:
    if word is None:
        return True
    return chunk.attributes is not None and word.lower() in chunk.attributes.words(field)


def admits(filters: SearchFilters | None, chunk: Chunk) -> bool:
    """Whether ``filters`` let ``chunk`` through, with the meaning the backends' filters have."""
    if filters is None:
        return True
    checks = (
        _label(chunk.category, filters.include_category, filters.keep_unlabelled),
        filters.exclude_category is None or chunk.category != filters.exclude_category,
        _label(chunk.brand, filters.brand, filters.keep_unlabelled),
        filters.min_price is None or (chunk.price is not None and chunk.price >= filters.min_price),
        filters.max_price is None or (chunk.price is not None and chunk.price <= filters.max_price),
        all(_in_range(chunk, bound) for bound in filters.attribute_ranges),
        _names_word(chunk, "materials", filters.material),
        _names_word(chunk, "colours", filters.colour),
        filters.access is None or _may_read(chunk, filters.access),
    )
    return all(checks)


def _label(value: str | None, wanted: str | None, keep_unlabelled: bool) -> bool:
    return wanted is None or value == wanted or (keep_unlabelled and value is None)


def _may_read(chunk: Chunk, scope: AccessScope) -> bool:
    if not chunk.access_users and not chunk.access_groups:
        return True
    return scope.user_id in chunk.access_users or bool(
        set(scope.group_ids) & set(chunk.access_groups)
    )


def _cosine(a: Sequence[float] | None, b: Sequence[float]) -> float:
    assert a is not None
    if len(a) != len(b):
        raise ValueError(f"query: vector has {len(a)} values, the index expects {len(b)}")
    norm = math.sqrt(math.fsum(x * x for x in a)) * math.sqrt(math.fsum(y * y for y in b))
    return math.fsum(x * y for x, y in zip(a, b, strict=True)) / norm if norm else 0.0


def _bm25(
    text: str, chunks: Sequence[Chunk], *, titles: bool, k1: float = 1.2, b: float = 0.75
) -> list:  # type: ignore[type-arg]
    terms = set(_WORD.findall(text.lower()))
    docs = [_WORD.findall(bm25_text(chunk, titles=titles).lower()) for chunk in chunks]
    if not terms or not docs:
        return []
    average = sum(len(d) for d in docs) / len(docs)
    frequency = {t: sum(t in d for d in docs) for t in terms}
    scored = []
    for chunk, words in zip(chunks, docs, strict=True):
        score = 0.0
        for term in terms & set(words):
            idf = math.log(1 + (len(docs) - frequency[term] + 0.5) / (frequency[term] + 0.5))
            tf = words.count(term)
            score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(words) / average))
        if score > 0:
            scored.append((score, chunk))
    return scored
