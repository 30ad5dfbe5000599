"""The embedded search index: LanceDB tables on local disk with BM25 and vector search.

    >>> index = LanceDbIndex(Path(".ridgeline/index"), dimension=384)
    >>> index.replace_document(document, chunks, vectors)
    >>> index.search(text="trail shoes", vector=None, mode="text", top=5)

Nothing touches the disk until the first call. Decisions measured on lancedb 0.40.0:

- Full text: one native FTS index on ``content`` (simple tokenizer, lower-cased, no ASCII folding,
  no stemming, no stop words: close to Azure's standard analyzer). It is created on the empty
  table. Rows written after the index was built are still found: lancedb 0.40 scans unindexed
  rows flat and merges them into the BM25 results (checked by a test). That scan, and the many
  small files each write leaves, cost time: at 10k chunks written as 100 documents, BM25 p50 was
  38 ms with every row unindexed and 8 ms after ``optimize()`` (0.4 s), vector p50 43 -> 20 ms.
  So a write that leaves ``refresh_rows`` unindexed rows or ``max_small_files`` small fragments
  triggers ``optimize()``, which compacts files and folds new rows into the indices.
- Vectors: cosine distance over unit vectors; LanceDB's ``_distance`` is ``1 - cos``, turned
  back into a similarity. Below ``ann_min_rows`` chunks the search is flat and exact; from there
  an IVF-PQ index is built once and queried with ``refine_factor`` 5 (exact re-scoring of 5x
  the candidates; DESIGN.md measured recall@10 0.999 with it at 100k rows, 0.89 without).
  New rows outside the ANN index are still searched flat until the next ``optimize()``.
- Filters run inside the query (prefilter), so a filter never empties a page of results that
  matching rows could fill.
- Readers see other writers' commits at once (``read_consistency_interval`` 0); on local disk
  that check is cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import lancedb
from lancedb.index import FTS, IvfPq
from lancedb.query import MatchQuery
from lancedb.table import Table

from retrieval import schema
from retrieval.filters import quote_sql_string, where_clause
from retrieval.fts_query import fts_terms
from retrieval.fusion import DEFAULT_RRF_K, reciprocal_rank_fusion
from retrieval.rows import chunk_to_row, document_to_row, row_to_chunk, row_to_document
from ridgeline.errors import ConfigError
from ridgeline.settings import RetrievalMode
from ridgeline.types import Chunk, SearchFilters, SearchHit, SourceDocument

_CHUNK_COLUMNS = [name for name in schema.chunks_schema(1).names if name != schema.VECTOR_COLUMN]
_REFINE_FACTOR = 5


@dataclass(frozen=True)
class _Tables:
    documents: Table
    chunks: Table


class LanceDbIndex:
    """A :class:`ridgeline.protocols.SearchIndex` stored in a LanceDB directory."""

    def __init__(
        self,
        directory: Path,
        *,
        dimension: int,
        rrf_k: int = DEFAULT_RRF_K,
        hybrid_candidates: int = 50,
        refresh_rows: int = 2_000,
        max_small_files: int = 32,
        ann_min_rows: int = 50_000,
    ) -> None:
        if dimension <= 0:
            raise ConfigError(f"index dimension must be positive, got {dimension}")
        self._directory = Path(directory)
        self._dimension = dimension
        self._rrf_k = rrf_k
        self._hybrid_candidates = hybrid_candidates
        self._refresh_rows = refresh_rows
        self._max_small_files = max_small_files
        self._ann_min_rows = ann_min_rows
        self._opened: _Tables | None = None

    @property
    def dimension(self) -> int:
        return self._dimension

    # -- opening -------------------------------------------------------------------------------

    def _tables(self) -> _Tables:
        if self._opened is None:
            db = lancedb.connect(self._directory, read_consistency_interval=timedelta(0))
            documents = _open_or_create(db, schema.DOCUMENTS_TABLE, schema.DOCUMENTS_SCHEMA)
            chunks = _open_or_create(db, schema.CHUNKS_TABLE, schema.chunks_schema(self._dimension))
            self._check_dimension(chunks)
            _ensure_fts_index(chunks)
            self._opened = _Tables(documents=documents, chunks=chunks)
        return self._opened

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
        return row_to_document(rows[0]) if rows else None

    def list_documents(self) -> list[SourceDocument]:
        rows = self._tables().documents.to_arrow().to_pylist()
        return sorted((row_to_document(r) for r in rows), key=lambda d: d.document_id)

    def count_chunks(self) -> int:
        return self._tables().chunks.count_rows()

    def replace_document(
        self, document: SourceDocument, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]
    ) -> None:
        """Make ``chunks`` the document's only chunks, then record the document.

        The chunk swap is one merge-insert commit (readers see the old set or the new one, never a
        mix). The document row is written last, so a crash in between leaves the old content hash
        and the next ingestion run redoes the file.
        """
        rows = _chunk_rows(document, chunks, vectors, dimension=self._dimension)
        tables = self._tables()
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

    def delete_document(self, document_id: str) -> None:
        """Remove a document and its chunks; chunks go first so none outlives its listing."""
        tables = self._tables()
        predicate = _id_predicate(document_id)
        tables.chunks.delete(predicate)
        tables.documents.delete(predicate)

    def optimize(self, *, cleanup_older_than: timedelta = timedelta(days=7)) -> None:
        """Compact files, fold new rows into the indices, drop versions older than given."""
        self._tables().chunks.optimize(cleanup_older_than=cleanup_older_than)
        self._tables().documents.optimize(cleanup_older_than=cleanup_older_than)

    def _maintain(self, chunks: Table) -> None:
        if not _has_vector_index(chunks) and chunks.count_rows() >= self._ann_min_rows:
            chunks.create_index(schema.VECTOR_COLUMN, config=IvfPq(distance_type="cosine"))
        fts_stats = chunks.index_stats(_fts_index_name(chunks))
        unindexed = fts_stats.num_unindexed_rows if fts_stats is not None else 0
        small_files = chunks.stats()["fragment_stats"]["num_small_fragments"]
        if unindexed >= self._refresh_rows or small_files >= self._max_small_files:
            chunks.optimize()

    # -- search --------------------------------------------------------------------------------

    def search(
        self,
        *,
        text: str,
        vector: Sequence[float] | None,
        mode: RetrievalMode,
        top: int,
        filters: SearchFilters | None = None,
    ) -> list[SearchHit]:
        """Best chunks first. ``text`` ranks by BM25, ``vectors`` by cosine similarity, and
        ``hybrid`` fuses both lists (``hybrid_candidates`` each) by reciprocal rank."""
        if top < 1:
            raise ValueError(f"top must be at least 1, got {top}")
        where = where_clause(filters)
        if mode == "text":
            return self._text_search(text, top=top, where=where)
        query_vector = self._checked_vector(vector, mode=mode)
        if mode == "vectors":
            return self._vector_search(query_vector, top=top, where=where)
        if mode == "hybrid":
            candidates = max(top, self._hybrid_candidates)
            return reciprocal_rank_fusion(
                self._text_search(text, top=candidates, where=where),
                self._vector_search(query_vector, top=candidates, where=where),
                k=self._rrf_k,
                top=top,
            )
        raise ValueError(f"unknown retrieval mode {mode!r}: use text, vectors or hybrid")

    def _checked_vector(self, vector: Sequence[float] | None, *, mode: str) -> list[float]:
        if vector is None:
            raise ValueError(f"a query vector is required in {mode} mode")
        if len(vector) != self._dimension:
            raise ValueError(
                f"query vector has {len(vector)} values, the index expects {self._dimension}"
            )
        return [float(v) for v in vector]

    def _text_search(self, text: str, *, top: int, where: str | None) -> list[SearchHit]:
        terms = fts_terms(text)
        if not terms:
            return []
        query = self._tables().chunks.search(
            MatchQuery(terms, schema.CONTENT_COLUMN), query_type="fts"
        )
        rows = _run(query.select([*_CHUNK_COLUMNS, "_score"]), top=top, where=where)
        return [
            SearchHit(chunk=row_to_chunk(row), score=float(row["_score"]), text_rank=rank)
            for rank, row in enumerate(rows, start=1)
        ]

    def _vector_search(
        self, vector: list[float], *, top: int, where: str | None
    ) -> list[SearchHit]:
        chunks = self._tables().chunks
        query = (
            chunks.search(vector, query_type="vector", vector_column_name=schema.VECTOR_COLUMN)
            .distance_type("cosine")
            .select([*_CHUNK_COLUMNS, "_distance"])
        )
        if _has_vector_index(chunks):
            query = query.refine_factor(_REFINE_FACTOR)
        rows = _run(query, top=top, where=where)
        return [
            SearchHit(
                chunk=row_to_chunk(row), score=1.0 - float(row["_distance"]), vector_rank=rank
            )
            for rank, row in enumerate(rows, start=1)
        ]


def _run(query: Any, *, top: int, where: str | None) -> list[dict[str, Any]]:
    query = query.limit(top)
    if where is not None:
        query = query.where(where, prefilter=True)
    return list(query.to_list())


def _id_predicate(document_id: str) -> str:
    return f"document_id = {quote_sql_string(document_id)}"


def _chunk_rows(
    document: SourceDocument,
    chunks: Sequence[Chunk],
    vectors: Sequence[Sequence[float]],
    *,
    dimension: int,
) -> list[dict[str, Any]]:
    if len(chunks) != len(vectors):
        raise ValueError(
            f"document {document.document_id!r}: {len(chunks)} chunks but {len(vectors)} vectors"
        )
    seen: set[str] = set()
    for chunk in chunks:
        if chunk.document_id != document.document_id:
            raise ValueError(
                f"chunk {chunk.chunk_id!r} belongs to document {chunk.document_id!r}, "
                f"not {document.document_id!r}"
            )
        if chunk.chunk_id in seen:
            raise ValueError(
                f"document {document.document_id!r}: duplicate chunk {chunk.chunk_id!r}"
            )
        seen.add(chunk.chunk_id)
    return [chunk_to_row(c, v, dimension=dimension) for c, v in zip(chunks, vectors, strict=True)]


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


def _has_vector_index(chunks: Table) -> bool:
    return any(schema.VECTOR_COLUMN in index.columns for index in chunks.list_indices())


def _ensure_fts_index(chunks: Table) -> None:
    if any(index.index_type == "FTS" for index in chunks.list_indices()):
        return
    chunks.create_index(
        schema.CONTENT_COLUMN,
        config=FTS(stem=False, remove_stop_words=False, lower_case=True, ascii_folding=False),
    )
