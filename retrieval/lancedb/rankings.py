"""The index's rankings (BM25 and cosine over the text or image vectors) and fetch by id.

All rankings of a search run at once in lancedb's event loop (:mod:`.internals`); they read
chunk ids, citations, prices, page numbers and titles (a chunk's place: :mod:`ridgeline.places`)
only, and the retriever fetches full records for the page it returns (reading every column of
50 candidates per ranking cost more than the rankings: about 3 ms of 6 for BM25 at 100k).
Filters, access lists included, mask each ranking's query (lancedb's async queries prefilter by
default), except over large tables where ranking more rows unfiltered and checking the filter
on them is the cheaper way (:mod:`.post_filter`).

Vectors: cosine distance over unit vectors; ``_distance`` is ``1 - cos``, turned back into a
similarity. With an ANN index, a ranking whose scores are shown (``exact_scores``) re-scores
``refine_factor`` times the candidates exactly; a fused ranking uses the quantised order (dev
recall@10 0.983 at 100k without re-scoring). Rows outside the ANN index are searched flat.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from lancedb.query import MatchQuery
from lancedb.table import Table

from retrieval import schema
from retrieval.filters import where_clause
from retrieval.fts_query import fts_terms
from retrieval.lancedb.internals import bare_query, run_all, table_location
from retrieval.lancedb.post_filter import FilterShares, PostFilter
from retrieval.lancedb.records import RowAddresses
from retrieval.stored_fields import checked_vector
from ridgeline.errors import FeatureNotAvailableError
from ridgeline.ranking import RankedChunk, RankingQuery

# Page number and title tell the sections of a file without pages apart (ridgeline.places).
_RANKED_COLUMNS = ["chunk_id", "citation", "price", "page_number", "title"]


class Rankings:
    """Prepares and runs rankings over a chunks table of ``dimension``-wide text vectors."""

    def __init__(
        self,
        *,
        dimension: int,
        refine_factor: int,
        ann_ef: int,
        post_filter: PostFilter | None = None,
    ) -> None:
        self._dimension = dimension
        self._refine_factor = refine_factor
        self._ann_ef = ann_ef
        self._post_filter = post_filter or PostFilter()
        self._shares = FilterShares()  # filters' shares of the rows, to choose how to filter
        self.addresses = RowAddresses()  # where the rows ranked last lie, for ``fetch``

    def rank(self, chunks: Table, queries: Sequence[RankingQuery]) -> list[list[RankedChunk]]:
        fetches = [self._post_fetch(chunks, query) for query in queries]
        prepared = {
            str(n): self._prepared(chunks, query, post_fetch=fetch)
            for n, (query, fetch) in enumerate(zip(queries, fetches, strict=True))
        }
        rows = run_all({n: q for n, q in prepared.items() if q is not None})
        # A ranking filtered after it ran that kept fewer rows than it needs runs again masked,
        # so the filter never cuts off rows it lets through.
        short = {
            str(n): self._prepared(chunks, query)
            for n, (query, fetch) in enumerate(zip(queries, fetches, strict=True))
            if fetch is not None and prepared[str(n)] is not None and len(rows[str(n)]) < query.top
        }
        rows.update(run_all(short))
        self.addresses.remember(row for ranking in rows.values() for row in ranking)
        return [
            _ranked(rows.get(str(n), [])[: query.top], vector=query.field != "text")
            for n, query in enumerate(queries)
        ]

    def _post_fetch(self, chunks: Table, query: RankingQuery) -> int | None:
        """How many rows to rank unfiltered and filter after (None: mask the ranking)."""
        where = where_clause(query.filters)
        if where is None:
            return None

        def count(predicate: str | None) -> int:
            return chunks.count_rows(predicate)

        refine = self._refine_factor if query.exact_scores else 1
        return self._post_filter.fetch(
            field=query.field,
            top=query.top,
            rows=self._shares.rows(count),
            share=lambda: self._shares.share(where, count),
            vector_max=self._ann_ef // refine,
        )

    def _prepared(
        self, chunks: Table, query: RankingQuery, *, post_fetch: int | None = None
    ) -> Any:
        """The native query of one ranking, or None when it has nothing to look for.

        With ``post_fetch`` it ranks that many rows unfiltered and keeps those the filter lets
        through; else the filter masks the ranking.
        """
        where = where_clause(query.filters)
        top = query.top if post_fetch is None else post_fetch
        if query.field == "text":
            terms = fts_terms(query.text)
            if not terms:
                return None
            prepared = (
                bare_query(chunks)
                .nearest_to_text(_match(terms))
                .select([*_RANKED_COLUMNS, "_score"])
            )
        else:
            prepared = self._vector_query(chunks, query, top=top)
        prepared = prepared.limit(top).with_row_id()
        if where is None:
            return prepared
        return prepared.where(where) if post_fetch is None else prepared.postfilter().where(where)

    def _vector_query(self, chunks: Table, query: RankingQuery, *, top: int) -> Any:
        assert query.vector is not None  # RankingQuery checks it
        if query.field == "image":
            column = schema.IMAGE_VECTOR_COLUMN
            width = _image_width(chunks)
            vector = checked_vector(query.vector, dimension=width, what="query image")
        else:
            column = schema.VECTOR_COLUMN
            vector = checked_vector(query.vector, dimension=self._dimension, what="query")
        refine = self._refine_factor if query.exact_scores else 1
        # The ANN settings are ignored by a flat (unindexed) search, so no index look-up.
        return (
            bare_query(chunks)
            .nearest_to(np.asarray(vector, dtype=np.float32))
            .column(column)
            .distance_type("cosine")
            .ef(max(self._ann_ef, top * refine))  # HNSW needs ef >= k
            .refine_factor(refine)
            .select([*_RANKED_COLUMNS, "_distance"])
        )


def _image_width(chunks: Table) -> int:
    # Read from the schema: another index object may have added the column since opening.
    width = schema.vector_dimension(chunks.schema, schema.IMAGE_VECTOR_COLUMN)
    if width is None:
        raise FeatureNotAvailableError(
            f"the index in {table_location(chunks)} holds no image vectors: ingest images with an "
            "image embedder configured before searching by image"
        )
    return width


def _ranked(rows: list[dict[str, Any]], *, vector: bool) -> list[RankedChunk]:
    return [
        RankedChunk(
            chunk_id=row["chunk_id"],
            score=1.0 - float(row["_distance"]) if vector else float(row["_score"]),
            citation=row["citation"],
            price=row["price"],
            # .get: bench.ranked_columns times rankings that read fewer columns.
            page_number=row.get("page_number"),
            title=row.get("title"),
        )
        for row in rows
    ]


def _match(terms: str) -> MatchQuery:
    # lancedb declares MatchQuery's option defaults positionally, read by mypy as required.
    return MatchQuery(terms, schema.SEARCH_TEXT_COLUMN)  # type: ignore[call-arg]  # defaults unseen
