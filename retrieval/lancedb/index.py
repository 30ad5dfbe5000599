"""The embedded search index: LanceDB tables on local disk with BM25 and vector rankings.

    >>> index = LanceDbIndex(Path(".ridgeline/index"), dimension=384, image_dimension=64)
    >>> index.replace_document(document, chunks, vectors, image_vectors=image_vectors)
    >>> HybridRetriever(index=index, embedder=embedder).search("trail shoes", mode="hybrid", top=5)
    >>> index.bulk_load(NewDocument(d, chunks, vectors) for d, chunks, vectors in batch)

Nothing touches the disk until the first call. The pieces: :mod:`.tables` (opening, schema and
indexes), :mod:`.writes` (writes and upkeep), :mod:`.rankings` (rankings and fetch by id),
:mod:`.facets` (facet values, words), :mod:`.internals` (the private lancedb parts used).
Measured on lancedb 0.40.0 (docs/benchmarks.md; design in docs/index.md).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Sequence
from datetime import timedelta
from pathlib import Path

from retrieval import schema
from retrieval.lancedb import writes
from retrieval.lancedb.facets import facet_counts, vocabulary
from retrieval.lancedb.internals import table_location
from retrieval.lancedb.post_filter import PostFilter
from retrieval.lancedb.rankings import Rankings
from retrieval.lancedb.records import fetch
from retrieval.lancedb.staged import LanceStager, StagedAppend, commit_staged
from retrieval.lancedb.tables import (
    TableSet,
    put_titles_first,
    text_index_config,
    text_index_is_current,
)
from retrieval.query.spelling import Vocabulary, VocabularyCache
from retrieval.stored_fields import document_from_fields
from ridgeline.errors import ConfigError
from ridgeline.protocols import StagedWrite
from ridgeline.ranking import RankedChunk, RankingQuery
from ridgeline.types import Chunk, NewDocument, SearchFilters, SourceDocument


class LanceDbIndex:
    """A :class:`ridgeline.protocols.SearchIndex` (and FacetIndex) in a LanceDB directory.

    ``image_dimension`` is the image embedder's dimension: the nullable image-vector column
    is created with it, and an index holding another width is refused. Left None, the index
    adopts the width its table already has, or the width of the first image vectors written
    (so wiring need not load an image model to learn its dimension). ``bm25_titles``: BM25 also
    reads each chunk's title or section path (:func:`ridgeline.types.bm25_text`).
    ``post_filter`` decides when a filtered ranking over a large table checks the filter after
    ranking more rows; ``fetch_by_address`` False looks every fetched record up by id
    (:mod:`.records`), as before.
    """

    def __init__(
        self,
        directory: Path,
        *,
        dimension: int,
        image_dimension: int | None = None,
        refresh_rows: int = 2_000,
        max_small_files: int = 32,
        ann_min_rows: int = 50_000,
        refine_factor: int = 2,
        ann_ef: int = 256,  # dev recall@10 at 1M rows: 0.912 with 64, 0.956 with 128, 0.996
        bm25_titles: bool = False,
        post_filter: PostFilter | None = None,
        fetch_by_address: bool = True,
    ) -> None:
        if dimension <= 0:
            raise ConfigError(f"index dimension must be positive, got {dimension}")
        if image_dimension is not None and image_dimension <= 0:
            raise ConfigError(f"index image_dimension must be positive, got {image_dimension}")
        self._directory = Path(directory)
        self._dimension = dimension
        self._tables = TableSet(
            self._directory,
            dimension=dimension,
            image_dimension=image_dimension,
            bm25_titles=bm25_titles,
        )
        self._upkeep = writes.Upkeep(
            refresh_rows=refresh_rows, max_small_files=max_small_files, ann_min_rows=ann_min_rows
        )
        self._rankings = Rankings(
            dimension=dimension,
            refine_factor=refine_factor,
            ann_ef=ann_ef,
            post_filter=post_filter,
        )
        self._vocabulary = VocabularyCache()  # words for query spelling correction
        self._addresses = self._rankings.addresses if fetch_by_address else None

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def image_dimension(self) -> int | None:
        """The image-vector width the index holds (None: no image vectors yet)."""
        return self._tables.get().image_dimension

    # -- documents -----------------------------------------------------------------------------

    def get_document(self, document_id: str) -> SourceDocument | None:
        documents = self._tables.get().documents
        rows = documents.search().where(writes.id_predicate(document_id)).limit(1).to_list()
        return document_from_fields(rows[0]) if rows else None

    def list_documents(self) -> list[SourceDocument]:
        rows = self._tables.get().documents.to_arrow().to_pylist()
        return sorted((document_from_fields(r) for r in rows), key=lambda d: d.document_id)

    def count_chunks(self) -> int:
        return self._tables.get().chunks.count_rows()

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
        table = writes.replace_document(self._tables, document, chunks, vectors, image_vectors)
        self._upkeep.after_write(table)

    def delete_document(self, document_id: str) -> None:
        """Remove a document and its chunks; chunks go first so none outlives its listing."""
        tables = self._tables.get()
        predicate = writes.id_predicate(document_id)
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
        written = writes.bulk_append(self._tables, documents, batch_rows=batch_rows)
        chunks = self._tables.get().chunks
        if fold_in:
            self._upkeep.after_bulk_load(chunks, written)
        else:
            self._upkeep.after_write(chunks)
        return written

    def stager(self) -> LanceStager | None:
        """What a worker writes new documents' data files with (see :mod:`.staged`); None
        without pylance (the ``ray`` extra)."""
        if importlib.util.find_spec("lance") is None:
            return None
        tables = self._tables.get()
        return LanceStager(
            chunks_uri=table_location(tables.chunks),
            documents_uri=table_location(tables.documents),
            dimension=self._dimension,
            bm25_titles=self._tables.bm25_titles,
        )

    def commit_staged(self, staged: StagedWrite) -> int:
        """Commit files a worker staged for new documents; returns the chunks they hold.

        Refuses (ValueError) a document the index holds already, before committing anything.
        """
        if not isinstance(staged, StagedAppend):
            raise TypeError(f"LanceDbIndex cannot commit a {type(staged).__name__}")
        writes.refuse_known(self._tables, staged.document_ids)
        tables = self._tables.get()
        commit_staged(table_location(tables.chunks), table_location(tables.documents), staged)
        self._upkeep.after_write(tables.chunks)
        return staged.chunks

    def optimize(self, *, cleanup_older_than: timedelta = timedelta(days=7)) -> None:
        """Compact files, fold new rows into the indices, delete versions older than given.

        Safe while other readers query: versions younger than ``MIN_CLEANUP_AGE`` are always
        kept, so a query that started on the previous version still finds its files.
        """
        keep = max(cleanup_older_than, writes.MIN_CLEANUP_AGE)
        tables = self._tables.get()
        self._upkeep.build_ann_index(tables.chunks)
        tables.chunks.optimize(cleanup_older_than=keep)
        tables.documents.optimize(cleanup_older_than=keep)

    # -- rankings ------------------------------------------------------------------------------

    def rank(self, queries: Sequence[RankingQuery]) -> list[list[RankedChunk]]:
        """Each query's ranking, all run at once (see :mod:`retrieval.lancedb.rankings`)."""
        return self._rankings.rank(self._tables.get().chunks, queries)

    def fetch(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        return fetch(self._tables.get().chunks, chunk_ids, self._addresses)

    def facets(self, field: str, *, filters: SearchFilters | None = None) -> dict[str, int]:
        """How many chunks the filters let through hold each value of ``field``, most first.

        ``field`` is ``category`` or ``brand``; chunks without a value are not counted.
        """
        return facet_counts(self._tables.get().chunks, field, filters)

    def vocabulary(self) -> Vocabulary:
        """The lower-cased words of all chunks with their counts, for query spelling correction.

        About 0.1 s per 1,000 chunks: above ``BACKGROUND_VOCABULARY_ROWS`` chunks the count runs
        in a thread and queries meanwhile use the previous word list (none at first).
        """
        return vocabulary(self._tables.get().chunks, self._vocabulary)

    # -- full-text index -----------------------------------------------------------------------

    def text_index_is_current(self) -> bool:
        """Whether the full-text index analyses text the current way (else see below)."""
        return text_index_is_current(self._tables.get().chunks)

    def rebuild_text_index(self) -> None:
        """Re-write what BM25 reads (``bm25_titles``) and re-create the full-text index with the
        current text analysis (stemming included).

        For an index built by an older version or with the other ``bm25_titles``; the text is
        re-read, nothing is re-embedded. The new full-text index replaces the old one in one
        commit, so readers never see none.
        """
        chunks = self._tables.get().chunks
        chunks.update(values_sql={schema.SEARCH_TEXT_COLUMN: schema.CONTENT_COLUMN})
        if self._tables.bm25_titles:
            put_titles_first(chunks)
        chunks.create_index(schema.SEARCH_TEXT_COLUMN, config=text_index_config(), replace=True)
