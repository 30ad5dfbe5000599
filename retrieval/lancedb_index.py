"""The embedded search index: LanceDB tables on local disk with BM25 and vector search.

    >>> index = LanceDbIndex(Path(".ridgeline/index"), dimension=384, image_dimension=64)
    >>> index.replace_document(document, chunks, vectors, image_vectors=image_vectors)
    >>> index.search(text="trail shoes", vector=query_vector, mode="hybrid", top=5)
    >>> index.bulk_load(NewDocument(d, chunks, vectors) for d, chunks, vectors in batch)

Nothing touches the disk until the first call. Decisions measured on lancedb 0.40.0 (figures in
docs/benchmarks.md, design in docs/index.md):

- Full text: one native FTS index on ``content`` (simple tokenizer, lower-cased, ASCII-folded,
  English stemming, stop words kept: close to Azure's ``en.lucene`` analyzer), created on the
  empty table; queries are analysed with the index's own settings, so an index built without
  stemming by an older version stays consistent (``rebuild_text_index()`` upgrades it). Rows
  written after the index was built are still found (lancedb scans unindexed rows flat and
  merges them), but that scan and the many small files each write leaves cost time, so a write
  that leaves
  ``refresh_rows`` unindexed rows or ``max_small_files`` small fragments triggers ``optimize()``.
- Vectors: cosine distance over unit vectors; ``_distance`` is ``1 - cos``, turned back into a
  similarity. Below ``ann_min_rows`` chunks the search is flat and exact; from there an
  IVF-HNSW-SQ index is built once; a ``vectors`` ranking re-scores ``refine_factor`` times the
  candidates exactly, a fused one uses the quantised order. Rows outside the ANN index are
  still searched flat until ``optimize()``.
- Rankings (BM25, text vector, image vector) run concurrently in lancedb's event loop, with one
  hop to it per search and no per-query schema or index look-ups; a fused search reads chunk
  ids from the rankings and full records only for the page it returns.
- ``bulk_load`` appends many new documents in batches and indexes them once (guarantees in its
  docstring and docs/index.md).
- Filters, access control included, run inside each ranking's query (prefilter).
- The table handles are opened once; the connection's ``read_consistency_interval`` of 0 makes
  each query see other writers' commits (a cheap manifest check on local disk).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import lancedb
import numpy as np
import pyarrow.compute as pc
from lancedb.background_loop import LOOP
from lancedb.index import FTS, Bitmap, BTree, HnswSq, LabelList
from lancedb.query import AsyncQuery, MatchQuery
from lancedb.table import Table

from retrieval import schema
from retrieval.chunk_checks import check_document_chunks
from retrieval.filters import PriceBounds, quote_sql_string, where_clause, without_price
from retrieval.fts_query import fts_terms
from retrieval.fusion import DEFAULT_RRF_K, reciprocal_rank_fusion
from retrieval.query.spelling import Vocabulary, VocabularyCache
from retrieval.rows import checked_vector_block, chunk_to_row, chunks_to_table, document_to_row
from retrieval.stored_fields import checked_vector, chunk_from_fields, document_from_fields
from ridgeline.errors import ConfigError, FeatureNotAvailableError
from ridgeline.settings import RetrievalMode
from ridgeline.types import Chunk, NewDocument, SearchFilters, SearchHit, SourceDocument

_log = logging.getLogger(__name__)

# Above this many chunks the word list for spelling correction (~0.1 s per 1,000 chunks) is
# counted in the background rather than inside a query.
BACKGROUND_VOCABULARY_ROWS = 50_000

# optimize() never deletes a version younger than this: a reader may still be scanning it.
MIN_CLEANUP_AGE = timedelta(minutes=1)
_SCALAR_INDEXES: tuple[tuple[str, Any], ...] = (
    ("chunk_id", BTree()),
    ("document_id", BTree()),
    ("category", Bitmap()),
    ("brand", Bitmap()),
    ("price", BTree()),  # price bounds: without it each filtered query scans the column
    (schema.ACCESS_PUBLIC_COLUMN, Bitmap()),
    (schema.ACCESS_USERS_COLUMN, LabelList()),
    (schema.ACCESS_GROUPS_COLUMN, LabelList()),
)

RowsToHits = Callable[[list[dict[str, Any]]], list[SearchHit]]

# A ranking checked for price after it fetches at least this many rows: with a page of 5, 15
# rows would fall back to the masked search whenever a few more of them miss the range.
_MIN_PRICE_FETCH = 50


@dataclass(frozen=True)
class _Tables:
    documents: Table
    chunks: Table
    image_dimension: int | None  # None: the table has no image-vector column yet


@dataclass(frozen=True)
class _Leg:
    """One ranking of a search: its prepared lancedb query (None: nothing to run) and how its
    rows become hits."""

    query: Any
    to_hits: RowsToHits
    # With a price range checked after the ranking (see ``PriceBounds``): the rows wanted, the
    # rows the query asks for, the check, and the query with the range inside to run instead
    # when too few of the rows pass.
    wanted: int = 0
    fetched: int = 0
    keep: Callable[[dict[str, Any]], bool] | None = None
    fallback: Any = None


@dataclass(frozen=True)
class _Query:
    """One search request, validated: which rankings to run and how deep."""

    text: str | None  # None: no BM25 ranking
    vector: list[float] | None
    image_vector: list[float] | None
    where: str | None
    ranked_where: str | None  # ``where`` less the price range, which ``price`` then checks
    price: PriceBounds | None


class LanceDbIndex:
    """A :class:`ridgeline.protocols.SearchIndex` stored in a LanceDB directory.

    ``image_dimension`` is the image embedder's dimension: the nullable image-vector column
    is created with it, and an index holding another width is refused. Left None, the index
    adopts the width its table already has, or the width of the first image vectors written
    (so wiring need not load an image model to learn its dimension).
    """

    def __init__(
        self,
        directory: Path,
        *,
        dimension: int,
        image_dimension: int | None = None,
        rrf_k: int = DEFAULT_RRF_K,
        hybrid_candidates: int = 50,
        refresh_rows: int = 2_000,
        max_small_files: int = 32,
        ann_min_rows: int = 50_000,
        refine_factor: int = 2,
        ann_ef: int = 256,  # dev recall@10 at 1M rows: 0.912 with 64, 0.956 with 128, 0.996
        price_overfetch: int = 3,
        vector_price_check_rows: int = 250_000,
    ) -> None:
        if dimension <= 0:
            raise ConfigError(f"index dimension must be positive, got {dimension}")
        if image_dimension is not None and image_dimension <= 0:
            raise ConfigError(f"index image_dimension must be positive, got {image_dimension}")
        self._directory = Path(directory)
        self._dimension = dimension
        self._image_dimension = image_dimension
        self._rrf_k = rrf_k
        self._hybrid_candidates = hybrid_candidates
        self._refresh_rows = refresh_rows
        self._max_small_files = max_small_files
        self._ann_min_rows = ann_min_rows
        self._refine_factor = refine_factor
        self._ann_ef = ann_ef
        self._price_overfetch = max(price_overfetch, 1)
        self._vector_price_check_rows = vector_price_check_rows
        self._opened: _Tables | None = None
        self._vocabulary = VocabularyCache()  # words for query spelling correction

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def image_dimension(self) -> int | None:
        """The image-vector width the index holds (None: no image vectors yet)."""
        return self._tables().image_dimension

    # -- opening -------------------------------------------------------------------------------

    def _tables(self) -> _Tables:
        if self._opened is None:
            db = lancedb.connect(self._directory, read_consistency_interval=timedelta(0))
            documents = _open_or_create(db, schema.DOCUMENTS_TABLE, schema.DOCUMENTS_SCHEMA)
            chunks_schema = schema.chunks_schema(
                self._dimension, image_dimension=self._image_dimension
            )
            chunks = _open_or_create(db, schema.CHUNKS_TABLE, chunks_schema)
            schema.check_layout(chunks.schema, directory=self._directory)
            self._check_dimension(chunks)
            _ensure_indexes(chunks)
            image_dimension = self._image_column(chunks, self._image_dimension)
            self._opened = _Tables(documents, chunks, image_dimension)
        return self._opened

    def _image_column(self, chunks: Table, wanted: int | None) -> int | None:
        """The image-vector width, adding the column when ``wanted`` and the table has none."""
        found = schema.vector_dimension(chunks.schema, schema.IMAGE_VECTOR_COLUMN)
        if wanted is None or found == wanted:
            return found
        if found is not None:
            raise ConfigError(
                f"the index in {self._directory} holds {found}-dimensional image vectors but "
                f"{wanted} were configured: use the image embedder the index was built with, "
                "or re-create the index"
            )
        field = schema.chunks_schema(1, image_dimension=wanted).field(schema.IMAGE_VECTOR_COLUMN)
        try:
            chunks.add_columns(field)  # every existing row gets a null image vector
        except (OSError, RuntimeError, ValueError):
            # Another index object may have added it at the same moment: re-read the schema.
            if schema.vector_dimension(chunks.schema, schema.IMAGE_VECTOR_COLUMN) != wanted:
                raise
        return wanted

    def _check_dimension(self, chunks: Table) -> None:
        found = schema.vector_dimension(chunks.schema)
        if found != self._dimension:
            raise ConfigError(
                f"the index in {self._directory} holds {found}-dimensional vectors but "
                f"{self._dimension} were configured: use the embedder the index was built with, "
                "or a new index directory"
            )

    # -- documents -----------------------------------------------------------------------------

    def get_document(self, document_id: str) -> SourceDocument | None:
        rows = (
            self._tables().documents.search().where(_id_predicate(document_id)).limit(1).to_list()
        )
        return document_from_fields(rows[0]) if rows else None

    def list_documents(self) -> list[SourceDocument]:
        rows = self._tables().documents.to_arrow().to_pylist()
        return sorted((document_from_fields(r) for r in rows), key=lambda d: d.document_id)

    def count_chunks(self) -> int:
        return self._tables().chunks.count_rows()

    def replace_document(
        self,
        document: SourceDocument,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        *,
        image_vectors: Sequence[Sequence[float] | None] | None = None,
    ) -> None:
        """Make ``chunks`` the document's only chunks, then record the document.

        ``image_vectors[i]`` (or None) belongs to ``chunks[i]``. The chunk swap is one
        merge-insert commit (readers see the old set or the new one, never a mix). The document
        row is written last, so a crash in between leaves the old content hash and the next
        ingestion run redoes the file.
        """
        check_document_chunks(document, chunks, vectors, image_vectors)
        tables = self._tables_for_images(image_vectors)
        rows = [
            chunk_to_row(
                chunk,
                vector,
                dimension=self._dimension,
                image_vector=image,
                image_dimension=tables.image_dimension,
            )
            for chunk, vector, image in zip(
                chunks, vectors, image_vectors or [None] * len(chunks), strict=True
            )
        ]
        predicate = _id_predicate(document.document_id)
        if rows:
            (
                tables.chunks.merge_insert("chunk_id")
                .when_matched_update_all()
                .when_not_matched_insert_all()
                .when_not_matched_by_source_delete(predicate)
                .execute(rows)
            )
        else:
            tables.chunks.delete(predicate)
        doc_row = document_to_row(document, chunk_count=len(rows), ingested_at=datetime.now(UTC))
        (
            tables.documents.merge_insert("document_id")
            .when_matched_update_all()
            .when_not_matched_insert_all()
            .execute([doc_row])
        )
        self._maintain(tables.chunks)

    def _tables_for_images(self, image_vectors: Sequence[Sequence[float] | None] | None) -> _Tables:
        """The tables, with an image-vector column as wide as the first image vector given."""
        tables = self._tables()
        first = next((v for v in image_vectors or () if v is not None), None)
        if first is None or tables.image_dimension is not None:
            return tables
        width = self._image_column(tables.chunks, len(first))
        self._opened = _Tables(tables.documents, tables.chunks, width)
        return self._opened

    def delete_document(self, document_id: str) -> None:
        """Remove a document and its chunks; chunks go first so none outlives its listing."""
        tables = self._tables()
        predicate = _id_predicate(document_id)
        tables.chunks.delete(predicate)
        tables.documents.delete(predicate)

    def bulk_load(
        self, documents: Iterable[NewDocument], *, batch_rows: int = 100_000, fold_in: bool = True
    ) -> int:
        """Add many documents the index does not hold yet; index them once at the end.

        Returns the number of chunks written. Documents are grouped into batches of whole
        documents (about ``batch_rows`` chunks). Each batch is checked completely, then
        appended as one chunks commit followed by one commit of its document rows, so:

        - a document already in the index, or given twice, is refused (ValueError) before its
          batch is written: use ``replace_document`` to change a document;
        - a bad document (mismatched vectors, NaN, wrong width) stops the load before its batch
          is written; earlier batches stay, complete with their document rows;
        - readers see whole documents appear batch by batch, never part of one;
        - a crash between a batch's two commits leaves chunks without a document row, the same
          state a crash inside ``replace_document`` leaves, repaired the same way (a writer that
          journals documents notes the whole load before it and clears it after);
        - rows are searchable as soon as their batch commits (scanned flat); at the end the
          full-text and scalar indexes absorb them and the ANN index is (re)built, once. With
          ``fold_in=False`` (a writer that loads many small groups, like ingestion, and calls
          ``optimize()`` once after the last) only the usual after-write upkeep runs.

        It is not meant to run beside another writer of the same documents.
        """
        known = set(self._document_ids())
        pending: list[NewDocument] = []
        pending_rows = written = 0
        for item in documents:
            check_document_chunks(item.document, item.chunks, item.vectors, item.image_vectors)
            if item.document.document_id in known:
                raise ValueError(
                    f"document {item.document.document_id!r} is already in the index or "
                    "given twice: bulk_load only adds new documents (use replace_document)"
                )
            known.add(item.document.document_id)
            pending.append(item)
            pending_rows += len(item.chunks)
            if pending_rows >= batch_rows:
                written += self._append_batch(pending)
                pending, pending_rows = [], 0
        written += self._append_batch(pending)
        if fold_in:
            self._index_bulk_load(written)
        else:
            self._maintain(self._tables().chunks)
        return written

    def _document_ids(self) -> list[str]:
        query = self._tables().documents.search().select(["document_id"]).limit(None)
        return query.to_arrow()["document_id"].to_pylist()

    def _append_batch(self, batch: list[NewDocument]) -> int:
        """Append whole documents: chunks in one commit, then their document rows in another."""
        if not batch:
            return 0
        images = [v for d in batch for v in (d.image_vectors or [None] * len(d.chunks))]
        tables = self._tables_for_images(images)
        chunk_schema = schema.chunks_schema(self._dimension, image_dimension=tables.image_dimension)
        # Checked document by document, so an error names the document's own block.
        blocks = [
            checked_vector_block(
                d.vectors, dimension=self._dimension, names=[c.chunk_id for c in d.chunks]
            )
            for d in batch
        ]
        chunks = [chunk for d in batch for chunk in d.chunks]
        table = chunks_to_table(
            chunks, np.concatenate(blocks), table_schema=chunk_schema, image_vectors=images
        )
        if table.num_rows:
            tables.chunks.add(table)
        now = datetime.now(UTC)
        tables.documents.add(
            [document_to_row(d.document, chunk_count=len(d.chunks), ingested_at=now) for d in batch]
        )
        return table.num_rows

    def _index_bulk_load(self, written: int) -> None:
        """Fold the appended rows into the indexes; rebuild the ANN index if the load dominates."""
        chunks = self._tables().chunks
        chunks.optimize(cleanup_older_than=MIN_CLEANUP_AGE)
        if _has_index_on(chunks, schema.VECTOR_COLUMN) and written * 2 >= chunks.count_rows():
            # Partitions trained on the old rows would fit the new majority badly.
            chunks.create_index(schema.VECTOR_COLUMN, config=self._ann_config(), replace=True)
        else:
            self._build_ann_index(chunks)

    def optimize(self, *, cleanup_older_than: timedelta = timedelta(days=7)) -> None:
        """Compact files, fold new rows into the indices, delete versions older than given.

        Safe while other readers query: versions younger than ``MIN_CLEANUP_AGE`` are always
        kept, so a query that started on the previous version still finds its files.
        """
        keep = max(cleanup_older_than, MIN_CLEANUP_AGE)
        tables = self._tables()
        self._build_ann_index(tables.chunks)
        tables.chunks.optimize(cleanup_older_than=keep)
        tables.documents.optimize(cleanup_older_than=keep)

    def _maintain(self, chunks: Table) -> None:
        self._build_ann_index(chunks)
        fts_stats = chunks.index_stats(_fts_index_name(chunks))
        unindexed = fts_stats.num_unindexed_rows if fts_stats is not None else 0
        small_files = chunks.stats()["fragment_stats"]["num_small_fragments"]
        if unindexed >= self._refresh_rows or small_files >= self._max_small_files:
            chunks.optimize()

    def _build_ann_index(self, chunks: Table) -> None:
        if not _has_index_on(chunks, schema.VECTOR_COLUMN) and (
            chunks.count_rows() >= self._ann_min_rows
        ):
            chunks.create_index(schema.VECTOR_COLUMN, config=self._ann_config())

    def _ann_config(self) -> Any:
        # HNSW graphs over 8-bit scalar-quantised vectors (one IVF partition up to ~1M rows).
        # m=16 / ef_construction=150 instead of 20 / 300 halves the build for the same recall
        # (100k clustered vectors, dev queries: 0.983 with ef 64, 1.000 with refine 2).
        # At 1M rows the graph needs a larger search list: see ``ann_ef``.
        return HnswSq(distance_type="cosine", m=16, ef_construction=150)

    # -- search --------------------------------------------------------------------------------

    def search(
        self,
        *,
        text: str,
        vector: Sequence[float] | None,
        mode: RetrievalMode,
        top: int,
        filters: SearchFilters | None = None,
        image_vector: Sequence[float] | None = None,
        skip: int = 0,
        min_score: float | None = None,
    ) -> list[SearchHit]:
        """Best chunks first, ``skip`` hits skipped and at most ``top`` returned.

        ``text`` mode ranks by BM25, ``vectors`` by the text vector's cosine similarity,
        ``hybrid`` by both; ``image_vector`` adds a ranking by the image-vector column in any
        mode (``vectors`` mode with only an image vector is an image-only search). One ranking
        keeps its own score (BM25 or cosine); several are fused by reciprocal rank (``rrf_k``,
        ``hybrid_candidates`` from each). ``min_score`` drops hits whose returned score is
        lower, before skipping.
        """
        if top < 1:
            raise ValueError(f"top must be at least 1, got {top}")
        if skip < 0:
            raise ValueError(f"skip must not be negative, got {skip}")
        query = self._query(text, vector, mode, image_vector, filters)
        count = sum(x is not None for x in (query.text, query.vector, query.image_vector))
        if count == 1:
            legs = self._legs(query, top + skip, full_records=True)
            hits = next(iter(self._run_legs(legs).values()))
        else:
            hits = self._fused(
                query, depth=max(top + skip, self._hybrid_candidates), page=top + skip
            )
        if min_score is not None:
            hits = [hit for hit in hits if hit.score >= min_score]
        return hits[skip : skip + top]

    def _query(
        self,
        text: str,
        vector: Sequence[float] | None,
        mode: RetrievalMode,
        image_vector: Sequence[float] | None,
        filters: SearchFilters | None,
    ) -> _Query:
        if mode not in ("text", "vectors", "hybrid"):
            raise ValueError(f"unknown retrieval mode {mode!r}: use text, vectors or hybrid")
        needs_vector = mode == "hybrid" or (mode == "vectors" and image_vector is None)
        if needs_vector and vector is None:
            raise ValueError(f"a query vector is required in {mode} mode")
        query_vector = None
        if vector is not None and mode != "text":
            query_vector = checked_vector(vector, dimension=self._dimension, what="query")
        rest, price = without_price(filters)
        return _Query(
            text=None if mode == "vectors" else text,
            vector=query_vector,
            image_vector=self._checked_image_vector(image_vector),
            where=where_clause(filters),
            ranked_where=where_clause(rest),
            price=price,
        )

    def _checked_image_vector(self, image_vector: Sequence[float] | None) -> list[float] | None:
        if image_vector is None:
            return None
        chunks = self._tables().chunks
        # Read from the schema: another index object may have added the column since opening.
        width = schema.vector_dimension(chunks.schema, schema.IMAGE_VECTOR_COLUMN)
        if width is None:
            raise FeatureNotAvailableError(
                f"the index in {self._directory} holds no image vectors: ingest images with an "
                "image embedder configured before searching by image"
            )
        return checked_vector(image_vector, dimension=width, what="query image")

    def _fused(self, query: _Query, *, depth: int, page: int) -> list[SearchHit]:
        """RRF of the rankings, reading full records only for the ``page`` best fused hits.

        The rankings return chunk ids only: reading every column of ``depth`` candidates per
        ranking cost more than the rankings themselves (about 3 ms of 6 for BM25 at 100k).
        A chunk deleted between the rankings and the record read drops out of the page.
        """
        results = self._run_legs(self._legs(query, depth, full_records=False))
        ranked = reciprocal_rank_fusion(
            results.get("text", []),
            results.get("vector", []),
            image_hits=results.get("image", []),
            k=self._rrf_k,
            top=page,  # min_score only drops a tail, so cutting here first is the same
        )
        if not ranked:
            return []
        ids = ", ".join(quote_sql_string(hit.chunk.chunk_id) for hit in ranked)
        records = self._bare_query().where(f"chunk_id IN ({ids})").select(schema.RECORD_COLUMNS)
        rows = LOOP.run(records.to_arrow()).to_pylist()
        chunks = {row["chunk_id"]: chunk_from_fields(row) for row in rows}
        return [
            hit.model_copy(update={"chunk": chunks[hit.chunk.chunk_id]})
            for hit in ranked
            if hit.chunk.chunk_id in chunks
        ]

    def _legs(self, query: _Query, depth: int, *, full_records: bool) -> dict[str, _Leg]:
        """The rankings of ``query``, returning whole records with exact scores (``full_records``)
        or chunk ids and ranks only (input to a fusion); a price range may be checked on
        over-fetched rows after.

        Such a ranking asks for ``price_overfetch`` times ``depth`` rows (at least
        ``_MIN_PRICE_FETCH``) under the rest of the filter, access lists included, keeps those in
        the price range, and runs again with the range inside when too few pass: the same rows
        as the range inside, for less. BM25 always checks it after (a masked full-text search
        costs more than the rows it saves); vector rankings only in tables of at least
        ``vector_price_check_rows`` rows, below which the masked search is the cheaper one
        (docs/benchmarks.md, "Retrieval latency at 100k and 1M").
        """
        columns = schema.RECORD_COLUMNS if full_records else ["chunk_id"]
        exact = self._plain_legs(query, depth, query.where, columns=columns, rescore=full_records)
        if query.price is None:
            return exact
        bounds = query.price
        fetched = max(depth * self._price_overfetch, _MIN_PRICE_FETCH)
        with_price = list(dict.fromkeys([*columns, "price"]))
        wide = self._plain_legs(
            query, fetched, query.ranked_where, columns=with_price, rescore=full_records
        )
        after = {"text"}
        vector_legs = exact.keys() & {"vector", "image"}
        if vector_legs and self._tables().chunks.count_rows() >= self._vector_price_check_rows:
            after |= vector_legs
        return {
            name: _Leg(
                wide[name].query,
                wide[name].to_hits,
                wanted=depth,
                fetched=fetched,
                keep=lambda row: bounds.admits(row["price"]),
                fallback=leg.query,
            )
            if name in after
            else leg
            for name, leg in exact.items()
        }

    def _plain_legs(
        self, query: _Query, depth: int, where: str | None, *, columns: list[str], rescore: bool
    ) -> dict[str, _Leg]:
        legs: dict[str, _Leg] = {}
        if query.text is not None:
            legs["text"] = self._text_leg(query.text, depth, where, columns=columns)
        for name, vector, column in (
            ("vector", query.vector, schema.VECTOR_COLUMN),
            ("image", query.image_vector, schema.IMAGE_VECTOR_COLUMN),
        ):
            if vector is not None:
                legs[name] = self._vector_leg(
                    vector, depth, where, column=column, columns=columns, rescore=rescore
                )
        return legs

    def _run_legs(self, legs: dict[str, _Leg]) -> dict[str, list[SearchHit]]:
        """Run every leg's query at once in lancedb's event loop, with one hop to it (two when a
        price check left a ranking short).

        The queries run concurrently in native code (no GIL), so a hybrid search costs about
        its slowest ranking, not the sum, and needs no thread pool of its own.
        """
        rows = _run_all({name: leg.query for name, leg in legs.items() if leg.query is not None})
        short: dict[str, Any] = {}
        for name, leg in legs.items():
            if leg.keep is None or name not in rows:
                continue
            kept = [row for row in rows[name] if leg.keep(row)]
            if len(kept) >= leg.wanted or len(rows[name]) < leg.fetched:  # enough, or all there
                rows[name] = kept[: leg.wanted]
            else:
                short[name] = leg.fallback
        rows.update(_run_all(short))
        return {name: leg.to_hits(rows.get(name, [])) for name, leg in legs.items()}

    def _bare_query(self) -> AsyncQuery:
        """A query on the chunks table that skips lancedb's per-query Python look-ups.

        lancedb's builders read the table schema on each query (to infer the vector column and
        to look for blob columns, which this schema has none of) and the sync API hops to its
        event loop for each; with ``read_consistency_interval=0`` every schema read re-checks
        the manifest. Built without a table handle, the native query still sees the latest
        version, once, when it runs.
        """
        return AsyncQuery(self._tables().chunks._table._inner.query(), None)

    def _text_leg(self, text: str, depth: int, where: str | None, *, columns: list[str]) -> _Leg:
        terms = fts_terms(text)
        if not terms:
            return _Leg(None, _text_hits)
        query = (
            self._bare_query()
            .nearest_to_text(MatchQuery(terms, schema.CONTENT_COLUMN))
            .select([*columns, "_score"])
        )
        return _Leg(_limited(query, depth=depth, where=where), _text_hits)

    def vocabulary(self) -> Vocabulary:
        """The lower-cased words of all chunks with their counts, for query spelling correction.

        Counted from the content column on first use and again after the table changed (checked
        at most once a second); about 0.1 s per 1,000 chunks, so above
        ``BACKGROUND_VOCABULARY_ROWS`` chunks the count runs in a thread and queries meanwhile
        use the previous word list (none at first: no correction).
        """
        chunks = self._tables().chunks
        return self._vocabulary.get(
            in_background=lambda: chunks.count_rows() > BACKGROUND_VOCABULARY_ROWS,
            version=lambda: chunks.version,
            texts=lambda: (
                chunks.search()
                .select([schema.CONTENT_COLUMN])
                .limit(None)
                .to_arrow()[schema.CONTENT_COLUMN]
            ),
        )

    def text_index_is_current(self) -> bool:
        """Whether the full-text index analyses text the current way (else see below)."""
        return _text_index_is_current(self._tables().chunks)

    def rebuild_text_index(self) -> None:
        """Re-create the full-text index with the current text analysis (stemming included).

        For an index built by an older version; the content is re-read, nothing is re-embedded.
        The new index replaces the old one in one commit, so readers never see none.
        """
        chunks = self._tables().chunks
        chunks.create_index(schema.CONTENT_COLUMN, config=_text_index_config(), replace=True)

    def _vector_leg(
        self,
        vector: list[float],
        depth: int,
        where: str | None,
        *,
        column: str,
        columns: list[str],
        rescore: bool,
    ) -> _Leg:
        """A cosine ranking; an ANN index is asked for ``refine_factor`` times the candidates,
        re-scored exactly, only when the ranking's scores are returned (``rescore``): a fused
        ranking uses ranks only, which the quantised distances order well enough (dev
        recall@10 0.983 at 100k without re-scoring)."""
        refine = self._refine_factor if rescore else 1
        # The ANN settings are ignored by a flat (unindexed) search, so no index look-up.
        query = (
            self._bare_query()
            .nearest_to(np.asarray(vector, dtype=np.float32))
            .column(column)
            .distance_type("cosine")
            .ef(max(self._ann_ef, depth * refine))  # HNSW needs ef >= k
            .refine_factor(refine)
            .select([*columns, "_distance"])
        )
        rank_field = "image_rank" if column == schema.IMAGE_VECTOR_COLUMN else "vector_rank"

        def to_hits(rows: list[dict[str, Any]]) -> list[SearchHit]:
            return [
                SearchHit(
                    chunk=_row_chunk(row),
                    score=1.0 - float(row["_distance"]),
                    **{rank_field: rank},
                )
                for rank, row in enumerate(rows, start=1)
            ]

        return _Leg(_limited(query, depth=depth, where=where), to_hits)

    # -- facets --------------------------------------------------------------------------------

    def facets(self, field: str, *, filters: SearchFilters | None = None) -> dict[str, int]:
        """How many chunks the filters let through hold each value of ``field``, most first.

        ``field`` is ``category`` or ``brand``; chunks without a value are not counted.
        """
        if field not in schema.FACET_COLUMNS:
            raise ValueError(
                f"cannot count facets of {field!r}: use one of {', '.join(schema.FACET_COLUMNS)}"
            )
        where = " AND ".join(p for p in (f"{field} IS NOT NULL", where_clause(filters)) if p)
        values = (
            self._tables().chunks.search().where(where).select([field]).limit(None).to_arrow()
        )[field]
        counts = pc.value_counts(values).to_pylist()
        ordered = sorted(counts, key=lambda c: (-c["counts"], c["values"]))
        return {c["values"]: c["counts"] for c in ordered}


def _row_chunk(row: dict[str, Any]) -> Chunk:
    """The chunk of a ranking's row; an id-only row (fusion input) gets an id-only stand-in
    that never leaves the index (see ``_fused``)."""
    if schema.CONTENT_COLUMN in row:
        return chunk_from_fields(row)
    return Chunk.model_construct(chunk_id=row["chunk_id"])


def _run_all(queries: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows of each named query, all run at once in lancedb's event loop."""
    if not queries:
        return {}

    async def run_all() -> list[Any]:
        return await asyncio.gather(*(q.to_arrow() for q in queries.values()))

    tables = LOOP.run(run_all())
    return {name: table.to_pylist() for name, table in zip(queries, tables, strict=True)}


def _limited(query: Any, *, depth: int, where: str | None) -> Any:
    """``query`` with its depth and filter; async lancedb queries prefilter by default."""
    query = query.limit(depth)
    return query if where is None else query.where(where)


def _text_hits(rows: list[dict[str, Any]]) -> list[SearchHit]:
    return [
        SearchHit(chunk=_row_chunk(row), score=float(row["_score"]), text_rank=rank)
        for rank, row in enumerate(rows, start=1)
    ]


def _id_predicate(document_id: str) -> str:
    return f"document_id = {quote_sql_string(document_id)}"


def _open_or_create(db: Any, name: str, table_schema: Any) -> Table:
    try:
        return db.open_table(name)
    except ValueError:  # lancedb reports a missing table as ValueError
        # exist_ok: another index object may create the same table at the same moment.
        return db.create_table(name, schema=table_schema, exist_ok=True)


def _fts_index_name(chunks: Table) -> str:
    for index in chunks.list_indices():
        if index.index_type == "FTS" and schema.CONTENT_COLUMN in index.columns:
            return index.name
    raise ConfigError("the chunks table has no full-text index on content")


def _has_index_on(chunks: Table, column: str) -> bool:
    return any(column in index.columns for index in chunks.list_indices())


def _text_index_config() -> FTS:
    """How content is analysed for BM25; lancedb analyses queries with the index's own settings.

    English (Snowball) stemming and ASCII folding: "tents" finds "tent", "cafe" finds "café"
    (Northwind top-5 0.866 -> 0.876, docs/retrieval.md). Stop words stay in the index (query
    side drops them: see retrieval.query.stopwords), as they did before stemming.
    """
    return FTS(
        language="English", stem=True, ascii_folding=True, lower_case=True, remove_stop_words=False
    )


def _text_index_is_current(chunks: Table) -> bool:
    """Whether the content index analyses text as :func:`_text_index_config` says."""
    wanted = _text_index_config()
    for index in chunks.list_indices():
        if index.index_type == "FTS" and schema.CONTENT_COLUMN in index.columns:
            details = index.index_details or {}
            return all(details.get(k) == getattr(wanted, k) for k in _TEXT_ANALYSIS_FIELDS)
    return False


_TEXT_ANALYSIS_FIELDS = ("language", "stem", "ascii_folding", "lower_case", "remove_stop_words")


def _ensure_indexes(chunks: Table) -> None:
    """Create the FTS and scalar indexes on a new table (new rows join them on optimize)."""
    indexed = {column for index in chunks.list_indices() for column in index.columns}
    if schema.CONTENT_COLUMN not in indexed:
        chunks.create_index(schema.CONTENT_COLUMN, config=_text_index_config())
    elif not _text_index_is_current(chunks):
        # Still consistent (queries are analysed like this index), only without stemming.
        _log.warning(
            "the full-text index in %s was built without English stemming; searches still work "
            "but find fewer inflected forms: rebuild it with `LanceDbIndex.rebuild_text_index()` "
            "or re-ingest into a new index directory",
            chunks.uri,
        )
    for column, config in _SCALAR_INDEXES:
        if column not in indexed:
            chunks.create_index(column, config=config)
