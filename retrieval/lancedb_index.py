"""The embedded search index: LanceDB tables on local disk with BM25 and vector search.

    >>> index = LanceDbIndex(Path(".ridgeline/index"), dimension=384, image_dimension=64)
    >>> index.replace_document(document, chunks, vectors, image_vectors=image_vectors)
    >>> index.search(text="trail shoes", vector=query_vector, mode="hybrid", top=5)

Nothing touches the disk until the first call. Decisions measured on lancedb 0.40.0 (figures in
docs/benchmarks.md, design in docs/index.md):

- Full text: one native FTS index on ``content`` (simple tokenizer, lower-cased, no stemming, no
  stop words: close to Azure's standard analyzer), created on the empty table. Rows written after
  the index was built are still found (lancedb scans unindexed rows flat and merges them), but
  that scan and the many small files each write leaves cost time, so a write that leaves
  ``refresh_rows`` unindexed rows or ``max_small_files`` small fragments triggers ``optimize()``.
- Vectors: cosine distance over unit vectors; ``_distance`` is ``1 - cos``, turned back into a
  similarity. Below ``ann_min_rows`` chunks the search is flat and exact; from there an IVF-PQ
  index is built once and queried with ``refine_factor`` (exact re-scoring of that many times
  the candidates). Rows outside the ANN index are still searched flat until ``optimize()``.
- Rankings (BM25, text vector, image vector) run concurrently in a small thread pool: lancedb
  does its work in native code without the GIL, so a hybrid query costs about its slowest
  ranking, not the sum.
- Filters, access control included, run inside each ranking's query (prefilter).
- The table handles are opened once; the connection's ``read_consistency_interval`` of 0 makes
  each query see other writers' commits (a cheap manifest check on local disk).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import lancedb
import pyarrow.compute as pc
from lancedb.index import FTS, Bitmap, BTree, IvfPq, LabelList
from lancedb.query import MatchQuery
from lancedb.table import Table

from retrieval import schema
from retrieval.chunk_checks import check_document_chunks
from retrieval.filters import quote_sql_string, where_clause
from retrieval.fts_query import fts_terms
from retrieval.fusion import DEFAULT_RRF_K, reciprocal_rank_fusion
from retrieval.rows import (
    checked_vector,
    chunk_to_row,
    document_to_row,
    row_to_chunk,
    row_to_document,
)
from ridgeline.errors import ConfigError, FeatureNotAvailableError
from ridgeline.settings import RetrievalMode
from ridgeline.types import Chunk, SearchFilters, SearchHit, SourceDocument

# optimize() never deletes a version younger than this: a reader may still be scanning it.
MIN_CLEANUP_AGE = timedelta(minutes=1)
_SCALAR_INDEXES: tuple[tuple[str, Any], ...] = (
    ("chunk_id", BTree()),
    ("document_id", BTree()),
    ("category", Bitmap()),
    ("brand", Bitmap()),
    (schema.ACCESS_PUBLIC_COLUMN, Bitmap()),
    (schema.ACCESS_USERS_COLUMN, LabelList()),
    (schema.ACCESS_GROUPS_COLUMN, LabelList()),
)

Ranking = Callable[[int], list[SearchHit]]


@dataclass(frozen=True)
class _Tables:
    documents: Table
    chunks: Table
    image_dimension: int | None  # None: the table has no image-vector column yet


@dataclass(frozen=True)
class _Query:
    """One search request, validated: which rankings to run and how deep."""

    text: str | None  # None: no BM25 ranking
    vector: list[float] | None
    image_vector: list[float] | None
    where: str | None


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
        refine_factor: int = 5,
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
        self._opened: _Tables | None = None
        self._pool: ThreadPoolExecutor | None = None

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

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="lancedb-ranking")
        return self._pool

    # -- documents -----------------------------------------------------------------------------

    def get_document(self, document_id: str) -> SourceDocument | None:
        rows = (
            self._tables().documents.search().where(_id_predicate(document_id)).limit(1).to_list()
        )
        return row_to_document(rows[0]) if rows else None

    def list_documents(self) -> list[SourceDocument]:
        rows = self._tables().documents.to_arrow().to_pylist()
        return sorted((row_to_document(r) for r in rows), key=lambda d: d.document_id)

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
            chunks.create_index(schema.VECTOR_COLUMN, config=IvfPq(distance_type="cosine"))

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
        rankings = self._rankings(query)
        if len(rankings) == 1:
            hits = next(iter(rankings.values()))(top + skip)
        else:
            hits = self._fused(rankings, depth=max(top + skip, self._hybrid_candidates))
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
        return _Query(
            text=None if mode == "vectors" else text,
            vector=query_vector,
            image_vector=self._checked_image_vector(image_vector),
            where=where_clause(filters),
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

    def _rankings(self, query: _Query) -> dict[str, Ranking]:
        rankings: dict[str, Ranking] = {}
        if query.text is not None:
            text = query.text
            rankings["text"] = lambda depth: self._text_search(text, depth, query.where)
        if query.vector is not None:
            vector = query.vector
            rankings["vector"] = lambda depth: self._vector_search(
                vector, depth, query.where, column=schema.VECTOR_COLUMN
            )
        if query.image_vector is not None:
            image = query.image_vector
            rankings["image"] = lambda depth: self._vector_search(
                image, depth, query.where, column=schema.IMAGE_VECTOR_COLUMN
            )
        return rankings

    def _fused(self, rankings: dict[str, Ranking], *, depth: int) -> list[SearchHit]:
        self._tables()  # open once before the threads use the handles
        futures = {name: self._executor().submit(run, depth) for name, run in rankings.items()}
        results = {name: future.result() for name, future in futures.items()}
        return reciprocal_rank_fusion(
            results.get("text", []),
            results.get("vector", []),
            image_hits=results.get("image", []),
            k=self._rrf_k,
        )

    def _text_search(self, text: str, depth: int, where: str | None) -> list[SearchHit]:
        terms = fts_terms(text)
        if not terms:
            return []
        query = self._tables().chunks.search(
            MatchQuery(terms, schema.CONTENT_COLUMN), query_type="fts"
        )
        rows = _run(query.select([*schema.RECORD_COLUMNS, "_score"]), depth=depth, where=where)
        return [
            SearchHit(chunk=row_to_chunk(row), score=float(row["_score"]), text_rank=rank)
            for rank, row in enumerate(rows, start=1)
        ]

    def _vector_search(
        self, vector: list[float], depth: int, where: str | None, *, column: str
    ) -> list[SearchHit]:
        chunks = self._tables().chunks
        query = (
            chunks.search(vector, query_type="vector", vector_column_name=column)
            .distance_type("cosine")
            .select([*schema.RECORD_COLUMNS, "_distance"])
        )
        if _has_index_on(chunks, column):
            query = query.refine_factor(self._refine_factor)
        rows = _run(query, depth=depth, where=where)
        rank_field = "image_rank" if column == schema.IMAGE_VECTOR_COLUMN else "vector_rank"
        return [
            SearchHit(
                chunk=row_to_chunk(row),
                score=1.0 - float(row["_distance"]),
                **{rank_field: rank},
            )
            for rank, row in enumerate(rows, start=1)
        ]

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


def _run(query: Any, *, depth: int, where: str | None) -> list[dict[str, Any]]:
    query = query.limit(depth)
    if where is not None:
        query = query.where(where, prefilter=True)
    return list(query.to_list())


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


def _ensure_indexes(chunks: Table) -> None:
    """Create the FTS and scalar indexes on a new table (new rows join them on optimize)."""
    indexed = {column for index in chunks.list_indices() for column in index.columns}
    if schema.CONTENT_COLUMN not in indexed:
        chunks.create_index(
            schema.CONTENT_COLUMN,
            config=FTS(stem=False, remove_stop_words=False, lower_case=True, ascii_folding=False),
        )
    for column, config in _SCALAR_INDEXES:
        if column not in indexed:
            chunks.create_index(column, config=config)
