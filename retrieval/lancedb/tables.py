"""Opening the embedded index's two tables, and the indexes they carry.

``documents`` holds one row per source document (content hash, chunk count), ``chunks`` one
row per chunk with its vectors (layout in :mod:`retrieval.schema`). A new ``chunks`` table gets
its full-text and scalar indexes at once; the ANN index comes later, once the table is large
(:mod:`retrieval.lancedb.writes`). The connection's ``read_consistency_interval`` of 0 makes
each query see other writers' commits (a cheap manifest check on local disk).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import lancedb
from lancedb.index import FTS, Bitmap, BTree, HnswSq, LabelList
from lancedb.table import Table

from retrieval import schema
from retrieval.lancedb.internals import table_location
from ridgeline.errors import ConfigError

_log = logging.getLogger(__name__)

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
_TEXT_ANALYSIS_FIELDS = ("language", "stem", "ascii_folding", "lower_case", "remove_stop_words")


@dataclass(frozen=True)
class Tables:
    documents: Table
    chunks: Table
    image_dimension: int | None  # None: the table has no image-vector column yet


class TableSet:
    """The tables of one index directory, opened (or created) on first use and kept open.

    ``image_dimension``: see :class:`retrieval.lancedb.LanceDbIndex`.
    """

    def __init__(
        self,
        directory: Path,
        *,
        dimension: int,
        image_dimension: int | None,
        bm25_titles: bool = False,
    ) -> None:
        self.directory = directory
        self.dimension = dimension
        self.bm25_titles = bm25_titles
        self._image_dimension = image_dimension
        self._opened: Tables | None = None

    def get(self) -> Tables:
        if self._opened is None:
            db = lancedb.connect(self.directory, read_consistency_interval=timedelta(0))
            documents = _open_or_create(db, schema.DOCUMENTS_TABLE, schema.DOCUMENTS_SCHEMA)
            chunks_schema = schema.chunks_schema(
                self.dimension, image_dimension=self._image_dimension
            )
            chunks = _open_or_create(db, schema.CHUNKS_TABLE, chunks_schema)
            added = schema.missing_attribute_columns(chunks.schema)
            if added is not None:
                chunks.add_columns(added)
            schema.check_layout(chunks.schema, directory=self.directory)
            self._check_dimension(chunks)
            ensure_search_text(chunks, titles=self.bm25_titles)
            ensure_indexes(chunks)
            image_dimension = self._image_column(chunks, self._image_dimension)
            self._opened = Tables(documents, chunks, image_dimension)
        return self._opened

    def for_images(self, image_vectors: Any) -> Tables:
        """The tables, with an image-vector column as wide as the first image vector given."""
        tables = self.get()
        first = next((v for v in image_vectors or () if v is not None), None)
        if first is None or tables.image_dimension is not None:
            return tables
        width = self._image_column(tables.chunks, len(first))
        self._opened = Tables(tables.documents, tables.chunks, width)
        return self._opened

    def _image_column(self, chunks: Table, wanted: int | None) -> int | None:
        """The image-vector width, adding the column when ``wanted`` and the table has none."""
        found = schema.vector_dimension(chunks.schema, schema.IMAGE_VECTOR_COLUMN)
        if wanted is None or found == wanted:
            return found
        if found is not None:
            raise ConfigError(
                f"the index in {self.directory} holds {found}-dimensional image vectors but "
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
        if found != self.dimension:
            raise ConfigError(
                f"the index in {self.directory} holds {found}-dimensional vectors but "
                f"{self.dimension} were configured: use the embedder the index was built with, "
                "or a new index directory"
            )


def _open_or_create(db: Any, name: str, table_schema: Any) -> Table:
    try:
        return db.open_table(name)
    except ValueError:  # lancedb reports a missing table as ValueError
        # exist_ok: another index object may create the same table at the same moment.
        return db.create_table(name, schema=table_schema, exist_ok=True)


def fts_index_name(chunks: Table) -> str:
    for index in chunks.list_indices():
        if index.index_type == "FTS" and schema.SEARCH_TEXT_COLUMN in index.columns:
            return index.name
    raise ConfigError(f"the chunks table has no full-text index on {schema.SEARCH_TEXT_COLUMN}")


def ensure_search_text(chunks: Table, *, titles: bool) -> None:
    """Give a table of the older layout (no ``search_text``) the column, computed in place as
    :func:`ridgeline.types.bm25_text` does: nothing is re-embedded."""
    if schema.SEARCH_TEXT_COLUMN in chunks.schema.names:
        return
    _log.warning(
        "adding the %s column (what BM25 reads) to the index in %s",
        schema.SEARCH_TEXT_COLUMN,
        table_location(chunks),
    )
    try:
        chunks.add_columns({schema.SEARCH_TEXT_COLUMN: schema.CONTENT_COLUMN})
    except (OSError, RuntimeError, ValueError):
        # Another index object may have added it at the same moment.
        if schema.SEARCH_TEXT_COLUMN not in chunks.schema.names:
            raise
        return
    if titles:
        put_titles_first(chunks)


def put_titles_first(chunks: Table) -> None:
    """``search_text`` = title + content where :func:`ridgeline.types.indexed_text` says so."""
    # Lance's SQL has no CASE: only the rows whose title goes before the content are updated.
    chunks.update(
        where="title IS NOT NULL AND title <> '' AND NOT starts_with(content, title)",
        values_sql={schema.SEARCH_TEXT_COLUMN: "concat(title, chr(10), content)"},
    )


def has_index_on(chunks: Table, column: str) -> bool:
    return any(column in index.columns for index in chunks.list_indices())


def text_index_config() -> FTS:
    """How content is analysed for BM25; lancedb analyses queries with the index's own settings.

    English (Snowball) stemming and ASCII folding: "tents" finds "tent", "cafe" finds "café"
    (Northwind top-5 0.866 -> 0.876, docs/retrieval.md). Stop words stay in the index (query
    side drops them: see retrieval.query.stopwords), as they did before stemming.
    """
    return FTS(
        language="English", stem=True, ascii_folding=True, lower_case=True, remove_stop_words=False
    )


def text_index_is_current(chunks: Table) -> bool:
    """Whether the full-text index analyses text as :func:`text_index_config` says."""
    wanted = text_index_config()
    for index in chunks.list_indices():
        if index.index_type == "FTS" and schema.SEARCH_TEXT_COLUMN in index.columns:
            details = index.index_details or {}
            return all(details.get(k) == getattr(wanted, k) for k in _TEXT_ANALYSIS_FIELDS)
    return False


def ann_config() -> HnswSq:
    # HNSW graphs over 8-bit scalar-quantised vectors (one IVF partition up to ~1M rows).
    # m=16 / ef_construction=150 instead of 20 / 300 halves the build for the same recall
    # (100k clustered vectors, dev queries: 0.983 with ef 64, 1.000 with refine 2).
    # At 1M rows the graph needs a larger search list: see ``ann_ef``.
    return HnswSq(distance_type="cosine", m=16, ef_construction=150)


def ensure_indexes(chunks: Table) -> None:
    """Create the FTS and scalar indexes on a new table (new rows join them on optimize)."""
    indexed = {column for index in chunks.list_indices() for column in index.columns}
    if schema.SEARCH_TEXT_COLUMN not in indexed:
        chunks.create_index(schema.SEARCH_TEXT_COLUMN, config=text_index_config())
        _drop_content_index(chunks)
    elif not text_index_is_current(chunks):
        # Still consistent (queries are analysed like this index), only without stemming.
        _log.warning(
            "the full-text index in %s was built without English stemming; searches still work "
            "but find fewer inflected forms: rebuild it with `LanceDbIndex.rebuild_text_index()` "
            "or re-ingest into a new index directory",
            table_location(chunks),
        )
    for column, config in _SCALAR_INDEXES:
        if column not in indexed:
            chunks.create_index(column, config=config)


def _drop_content_index(chunks: Table) -> None:
    """The full-text index of the older layout: nothing queries it any more."""
    for index in chunks.list_indices():
        if index.index_type == "FTS" and schema.CONTENT_COLUMN in index.columns:
            chunks.drop_index(index.name)
