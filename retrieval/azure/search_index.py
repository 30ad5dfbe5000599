"""Azure AI Search as Ridgeline's index: a :class:`ridgeline.protocols.SearchIndex`.

    >>> index = AzureSearchIndex(
    ...     "https://my-service.search.windows.net", index_name="ridgeline",
    ...     credential="<admin key>", dimension=384)
    >>> index.replace_document(document, chunks, vectors)
    >>> index.search(text="trail shoes", vector=query_vector, mode="hybrid", top=5)

Nothing is contacted until the first call, which creates or updates both indexes (chunks, and
``<index_name>-documents`` for content hashes). Hybrid queries are one request: the search text
plus vector queries; the service fuses the rankings by reciprocal rank. Filters, access rules
included, are OData inside that request. With ``semantic_ranker`` the service's semantic ranker
reorders the results and its score becomes the hit's score.

A document's chunks are written first, its stale chunks deleted next and its record last: a
crash in between leaves the old content hash, so the next ingestion redoes the file. Unlike the
embedded index, readers may briefly see a mix of old and new chunks of a changing document.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.search.documents import SearchClient
from azure.search.documents.indexes import SearchIndexClient
from azure.search.documents.models import VectorizedQuery

from retrieval.azure import records, schema
from retrieval.azure.errors import AzureSearchError
from retrieval.azure.filters import odata_filter, odata_string
from retrieval.azure.uploader import Action, BatchUploader
from retrieval.chunk_checks import check_document_chunks
from retrieval.stored_fields import (
    CHUNK_FIELDS,
    checked_vector,
    chunk_from_fields,
    document_from_fields,
)
from ridgeline.errors import ConfigError, FeatureNotAvailableError
from ridgeline.settings import RetrievalMode
from ridgeline.types import Chunk, SearchFilters, SearchHit, SourceDocument

_PAGE = 1000  # the most documents the service returns per request


@dataclass(frozen=True)
class _Clients:
    chunks: SearchClient
    documents: SearchClient


class AzureSearchIndex:
    def __init__(
        self,
        endpoint: str,
        *,
        index_name: str,
        credential: str | Any,
        dimension: int,
        image_dimension: int | None = None,
        semantic_ranker: bool = False,
        hybrid_candidates: int = 50,
        batch_size: int = 500,
        max_attempts: int = 5,
        connection_verify: str | bool = True,
    ) -> None:
        if dimension <= 0:
            raise ConfigError(f"index dimension must be positive, got {dimension}")
        if not endpoint.startswith("https://"):
            raise ConfigError(f"the Azure AI Search endpoint must be https://..., got {endpoint!r}")
        self._endpoint = endpoint
        self._index_name = index_name
        self._credential = (
            AzureKeyCredential(credential) if isinstance(credential, str) else credential
        )
        self._dimension = dimension
        self._image_dimension = image_dimension
        self._semantic_ranker = semantic_ranker
        self._hybrid_candidates = hybrid_candidates
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._client_options = {"connection_verify": connection_verify}
        self._opened: _Clients | None = None

    @property
    def dimension(self) -> int:
        return self._dimension

    # -- connection ---------------------------------------------------------------------------

    def _clients(self) -> _Clients:
        if self._opened is None:
            documents_name = schema.documents_index_name(self._index_name)
            indexes = SearchIndexClient(self._endpoint, self._credential, **self._client_options)
            with _service_errors("create the indexes"):
                indexes.create_or_update_index(
                    schema.chunks_index(
                        self._index_name,
                        dimension=self._dimension,
                        image_dimension=self._image_dimension,
                    )
                )
                indexes.create_or_update_index(schema.documents_index(documents_name))
            self._opened = _Clients(
                chunks=self._search_client(self._index_name),
                documents=self._search_client(documents_name),
            )
        return self._opened

    def _search_client(self, name: str) -> SearchClient:
        return SearchClient(self._endpoint, name, self._credential, **self._client_options)

    def _uploader(self, client: SearchClient) -> BatchUploader:
        return BatchUploader(client, batch_size=self._batch_size, max_attempts=self._max_attempts)

    # -- documents ----------------------------------------------------------------------------

    def get_document(self, document_id: str) -> SourceDocument | None:
        client = self._clients().documents
        try:
            found = client.get_document(records.encode_key(document_id))
        except ResourceNotFoundError:
            return None
        except HttpResponseError as exc:
            raise AzureSearchError(
                f"could not read document {document_id!r}: {exc.message}"
            ) from exc
        return document_from_fields(found)

    def list_documents(self) -> list[SourceDocument]:
        rows = _all_documents(self._clients().documents, filter_=None, select=None)
        return sorted((document_from_fields(r) for r in rows), key=lambda d: d.document_id)

    def count_chunks(self) -> int:
        with _service_errors("count the chunks"):
            return int(self._clients().chunks.get_document_count())

    def replace_document(
        self,
        document: SourceDocument,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        *,
        image_vectors: Sequence[Sequence[float] | None] | None = None,
    ) -> None:
        """Make ``chunks`` the document's only chunks, then record the document."""
        new = self._chunk_documents(document, chunks, vectors, image_vectors)
        clients = self._clients()
        stale = set(self._chunk_keys(document.document_id)) - {d["id"] for d in new}
        actions: list[Action] = [("upload", d) for d in new]
        actions += [("delete", {"id": key}) for key in sorted(stale)]
        self._uploader(clients.chunks).run(actions)
        record = records.source_to_document(document, chunk_count=len(new))
        self._uploader(clients.documents).run([("upload", record)])

    def delete_document(self, document_id: str) -> None:
        """Remove a document's chunks, then its record, so no chunk outlives its listing."""
        clients = self._clients()
        keys = self._chunk_keys(document_id)
        self._uploader(clients.chunks).run([("delete", {"id": key}) for key in keys])
        record_key = records.encode_key(document_id)
        self._uploader(clients.documents).run([("delete", {"id": record_key})])

    def _chunk_keys(self, document_id: str) -> list[str]:
        filter_ = f"document_id eq {odata_string(document_id)}"
        rows = _all_documents(self._clients().chunks, filter_=filter_, select=["id"])
        return [row["id"] for row in rows]

    def _chunk_documents(
        self,
        document: SourceDocument,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        image_vectors: Sequence[Sequence[float] | None] | None,
    ) -> list[dict[str, Any]]:
        check_document_chunks(document, chunks, vectors, image_vectors)
        images = list(image_vectors) if image_vectors is not None else [None] * len(chunks)
        return [
            records.chunk_to_document(
                chunk,
                checked_vector(vector, dimension=self._dimension, what=chunk.chunk_id),
                self._image_vector(image, what=chunk.chunk_id),
            )
            for chunk, vector, image in zip(chunks, vectors, images, strict=True)
        ]

    def _image_vector(self, vector: Sequence[float] | None, *, what: str) -> list[float] | None:
        if vector is None:
            return None
        if self._image_dimension is None:
            raise FeatureNotAvailableError(
                f"{what}: this index has no image-vector field; configure image_dimension"
            )
        return checked_vector(vector, dimension=self._image_dimension, what=what)

    # -- search -------------------------------------------------------------------------------

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
    ) -> list[SearchHit]:
        """Best chunks first; one request to the service whatever the mode.

        ``image_vector`` adds a ranking by the image-vector field in any mode; ``vectors`` mode
        with only an image vector is an image-only search. ``hybrid`` needs a text vector.
        """
        if top < 1 or skip < 0:
            raise ValueError(f"top must be at least 1 and skip at least 0, got {top}, {skip}")
        if mode not in ("text", "vectors", "hybrid"):
            raise ValueError(f"unknown retrieval mode {mode!r}: use text, vectors or hybrid")
        search_text = text if mode in ("text", "hybrid") and text.strip() else None
        queries = self._vector_queries(vector, image_vector, mode=mode, window=skip + top)
        if search_text is None and not queries:
            return []  # the service would match every document
        options = self._semantic_options() if search_text is not None else {}
        with _service_errors("search"):
            results = self._clients().chunks.search(
                search_text=search_text,
                vector_queries=queries or None,
                filter=odata_filter(filters),
                top=top,
                skip=skip or None,
                select=["id", *CHUNK_FIELDS],
                **options,
            )
            ranking = _single_ranking(search_text, queries)
            return [
                _hit(row, rank, ranking=ranking) for rank, row in enumerate(results, start=skip + 1)
            ]

    def _vector_queries(
        self,
        vector: Sequence[float] | None,
        image_vector: Sequence[float] | None,
        *,
        mode: str,
        window: int,
    ) -> list[VectorizedQuery]:
        """The text-vector and image-vector queries; ``vectors`` mode may have the image alone."""
        if vector is None and (mode == "hybrid" or (mode == "vectors" and image_vector is None)):
            raise ValueError(f"a query vector is required in {mode} mode")
        wanted: list[tuple[list[float], str]] = []
        if vector is not None and mode != "text":
            values = checked_vector(vector, dimension=self._dimension, what="query")
            wanted.append((values, schema.TEXT_VECTOR))
        image = self._image_vector(image_vector, what="image query")
        if image is not None:
            wanted.append((image, schema.IMAGE_VECTOR))
        # A lone vector ranking needs only the page; fused rankings need room for the fusion.
        alone = mode == "vectors" and len(wanted) == 1
        k = window if alone else max(window, self._hybrid_candidates)
        return [
            VectorizedQuery(vector=values, k_nearest_neighbors=k, fields=field)
            for values, field in wanted
        ]

    def _semantic_options(self) -> dict[str, Any]:
        if not self._semantic_ranker:
            return {}
        return {
            "query_type": "semantic",
            "semantic_configuration_name": schema.SEMANTIC_CONFIGURATION,
        }


def _hit(row: dict[str, Any], rank: int, *, ranking: str | None) -> SearchHit:
    """``ranking``: the one list that ranked the results, None when the service fused several."""
    reranked = row.get("@search.reranker_score")
    score = float(reranked if reranked is not None else row["@search.score"])
    ranks = {f"{ranking}_rank": rank} if ranking is not None else {}
    return SearchHit(chunk=chunk_from_fields(row), score=score, **ranks)


def _single_ranking(search_text: str | None, queries: list[VectorizedQuery]) -> str | None:
    if search_text is not None:
        return None if queries else "text"
    if len(queries) > 1:
        return None
    return "image" if queries[0].fields == schema.IMAGE_VECTOR else "vector"


def _all_documents(
    client: SearchClient, *, filter_: str | None, select: list[str] | None
) -> list[dict[str, Any]]:
    """Every document matching ``filter_``, a page of ``_PAGE`` at a time."""
    rows: list[dict[str, Any]] = []
    with _service_errors("list documents"):
        while True:
            page = list(
                client.search(
                    search_text="*",
                    filter=filter_,
                    select=select,
                    top=_PAGE,
                    skip=len(rows) or None,
                )
            )
            rows.extend(page)
            if len(page) < _PAGE:
                return rows


@contextmanager
def _service_errors(doing: str) -> Iterator[None]:
    """Turns the SDK's HTTP errors into AzureSearchError naming what was being done."""
    try:
        yield
    except HttpResponseError as exc:
        raise AzureSearchError(f"Azure AI Search could not {doing}: {exc.message}") from exc
