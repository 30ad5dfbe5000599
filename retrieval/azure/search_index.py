"""Azure AI Search as Ridgeline's index: a :class:`ridgeline.protocols.SearchIndex`.

    >>> index = AzureSearchIndex(
    ...     "https://my-service.search.windows.net", index_name="ridgeline",
    ...     credential="<admin key>", dimension=384)
    >>> index.replace_document(document, chunks, vectors)
    >>> HybridRetriever(index=index, embedder=embedder).search("trail shoes", mode="hybrid", top=5)

Nothing is contacted until the first call, which creates or updates both indexes (chunks, and
``<index_name>-documents`` for content hashes). Each ranking is one request (BM25 search text,
or one vector query), the rankings of a search sent at once from a few threads; the retriever
fuses them, as for every backend, so both backends give the same results. Filters, access rules
included, are OData inside each request. Vector scores come back as cosine similarities (the
service scores cosine ``1 / (1 + distance)``). With ``semantic_ranker`` the service's semantic
ranker reorders the BM25 ranking and its score becomes the entry's score. ``facets`` asks the
service's facets of a ``*`` query.

A document's chunks are written first, its stale chunks deleted next and its record last: a
crash in between leaves the old content hash, so the next ingestion redoes the file. Unlike the
embedded index, readers may briefly see a mix of old and new chunks of a changing document.
New documents of a Ray run are uploaded by its workers and recorded by its driver
(:mod:`retrieval.azure.staged`).
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
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
from retrieval.azure.staged import AzureStager, StagedUpload
from retrieval.azure.uploader import Action, BatchUploader
from retrieval.chunk_checks import check_document_chunks
from retrieval.fts_query import fts_terms
from retrieval.stored_fields import (
    CHUNK_FIELDS,
    checked_vector,
    chunk_from_fields,
    document_from_fields,
)
from ridgeline.attribute_fields import LIST_FIELDS
from ridgeline.errors import ConfigError, FeatureNotAvailableError
from ridgeline.protocols import StagedWrite
from ridgeline.ranking import RankedChunk, RankingQuery
from ridgeline.types import Chunk, NewDocument, SearchFilters, SourceDocument

_PAGE = 1000  # the most documents the service returns per request
# Page number and title tell the sections of a file without pages apart (ridgeline.places).
_RANKED_FIELDS = ["chunk_id", "citation", "price", "page_number", "title"]
_FACET_FIELDS = ("category", "brand", *LIST_FIELDS)
_MAX_FACET_VALUES = 1000


@dataclass(frozen=True)
class _Clients:
    chunks: SearchClient
    documents: SearchClient


class AzureSearchIndex:
    """A SearchIndex and FacetIndex over two Azure AI Search indexes (see the module docstring)."""

    def __init__(
        self,
        endpoint: str,
        *,
        index_name: str,
        credential: str | Any,
        dimension: int,
        image_dimension: int | None = None,
        semantic_ranker: bool = False,
        batch_size: int = 500,
        max_attempts: int = 5,
        connection_verify: str | bool = True,
        bm25_titles: bool = False,
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
        self._bm25_titles = bm25_titles
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
                schema.refuse_old_layout(indexes, self._index_name)
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

    # -- writes from workers (see :mod:`retrieval.azure.staged`) ----------------------------

    def stager(self) -> AzureStager | None:
        """An unconnected copy to upload chunks from workers; None when the credential cannot
        travel to them (a token credential that does not pickle): the writer uploads then."""
        try:
            pickle.dumps(self._credential)
        except Exception:  # whatever pickling raises, the answer is the same
            return None
        self._clients()  # the writer creates the indexes; workers only upload
        unopened = copy.copy(self)
        unopened._opened = None
        return AzureStager(unopened)

    def upload_chunks(self, documents: Sequence[NewDocument]) -> StagedUpload:
        """Upload new documents' chunks (not their records): a worker's part of a write.
        Refuses (ValueError) a document the index holds: its chunks would be overwritten."""
        self._refuse_known([item.document.document_id for item in documents])
        actions: list[Action] = []
        keys, records_ = [], []
        for item in documents:
            new = self._chunk_documents(
                item.document, item.chunks, item.vectors, item.image_vectors
            )
            actions += [("upload", d) for d in new]
            keys.append(tuple(d["id"] for d in new))
            records_.append(records.source_to_document(item.document, chunk_count=len(new)))
        self._uploader(self._search_client(self._index_name)).run(actions)
        ids = tuple(item.document.document_id for item in documents)
        return StagedUpload(document_ids=ids, records=tuple(records_), chunk_keys=tuple(keys))

    def commit_staged(self, staged: StagedWrite) -> int:
        """Record documents whose chunks a worker uploaded, after deleting any other chunk of
        theirs (left by an upload that was never committed). Refuses (ValueError) a document
        the index holds, before recording any."""
        if not isinstance(staged, StagedUpload):
            raise TypeError(f"AzureSearchIndex cannot commit a {type(staged).__name__}")
        self._refuse_known(staged.document_ids)
        clients = self._clients()
        stale: list[Action] = []
        for document_id, uploaded in zip(staged.document_ids, staged.chunk_keys, strict=True):
            extra = set(self._chunk_keys(document_id)) - set(uploaded)
            stale += [("delete", {"id": key}) for key in sorted(extra)]
        self._uploader(clients.chunks).run(stale)
        self._uploader(clients.documents).run([("upload", r) for r in staged.records])
        return sum(len(keys) for keys in staged.chunk_keys)

    def _refuse_known(self, document_ids: Sequence[str]) -> None:
        for document_id in document_ids:
            if self.get_document(document_id) is not None:
                raise ValueError(
                    f"document {document_id!r} is already in the index: only new documents are "
                    "written from workers (use replace_document)"
                )

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
                bm25_titles=self._bm25_titles,
            )
            for chunk, vector, image in zip(chunks, vectors, images, strict=True)
        ]

    def _image_vector(self, vector: Sequence[float] | None, *, what: str) -> list[float] | None:
        return None if vector is None else self._checked_image_vector(vector, what=what)

    def _checked_image_vector(self, vector: Sequence[float], *, what: str) -> list[float]:
        if self._image_dimension is None:
            raise FeatureNotAvailableError(
                f"{what}: this index has no image-vector field; configure image_dimension"
            )
        return checked_vector(vector, dimension=self._image_dimension, what=what)

    # -- rankings -----------------------------------------------------------------------------

    def rank(self, queries: Sequence[RankingQuery]) -> list[list[RankedChunk]]:
        """Each query's ranking, one request each, sent at once."""
        requests = [self._ranking_request(query) for query in queries]
        client = self._clients().chunks
        if len(requests) <= 1:
            return [_run_ranking(client, request) for request in requests]
        with ThreadPoolExecutor(max_workers=len(requests)) as pool:
            return list(pool.map(lambda request: _run_ranking(client, request), requests))

    def _ranking_request(self, query: RankingQuery) -> _Request | None:
        """The search arguments of one ranking; None when it has nothing to look for."""
        base: dict[str, Any] = {
            "filter": odata_filter(query.filters),
            "top": query.top,
            "select": _RANKED_FIELDS,
        }
        if query.field == "text":
            # Words only, as the embedded index takes them: no operator of the simple query
            # syntax (+ - | " *) reaches the service.
            terms = fts_terms(query.text)
            if not terms:
                return None  # the service would match every document
            text = {"search_text": terms, "search_fields": [schema.SEARCH_TEXT]}
            return _Request({**base, **text, **self._semantic_options()})
        assert query.vector is not None  # RankingQuery checks it
        if query.field == "image":
            values = self._checked_image_vector(query.vector, what="image query")
            field = schema.IMAGE_VECTOR
        else:
            values = checked_vector(query.vector, dimension=self._dimension, what="query")
            field = schema.TEXT_VECTOR
        vector_query = VectorizedQuery(vector=values, k_nearest_neighbors=query.top, fields=field)
        return _Request({**base, "search_text": None, "vector_queries": [vector_query]}, True)

    def fetch(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        """The records of the listed chunks still there, in one request."""
        keys = [records.encode_key(chunk_id) for chunk_id in dict.fromkeys(chunk_ids)]
        if not keys:
            return {}
        # Keys are URL-safe base64 (letters, digits, -, _, =), so a comma cannot occur in one.
        filter_ = f"search.in(id, '{','.join(keys)}', ',')"
        with _service_errors("fetch chunks"):
            rows = self._clients().chunks.search(
                search_text="*", filter=filter_, top=len(keys), select=list(CHUNK_FIELDS)
            )
            return {row["chunk_id"]: chunk_from_fields(row) for row in rows}

    def facets(self, field: str, *, filters: SearchFilters | None = None) -> dict[str, int]:
        """How many chunks the filters let through hold each value of ``field``, most first."""
        if field not in _FACET_FIELDS:
            raise ValueError(f"cannot count facets of {field!r}: use one of {_FACET_FIELDS}")
        with _service_errors("count facets"):
            results = self._clients().chunks.search(
                search_text="*",
                filter=odata_filter(filters),
                facets=[f"{field},count:{_MAX_FACET_VALUES}"],
                top=0,
            )
            entries = (results.get_facets() or {}).get(field, [])
        ordered = sorted(entries, key=lambda e: (-int(e["count"]), str(e["value"])))
        return {str(e["value"]): int(e["count"]) for e in ordered}

    def _semantic_options(self) -> dict[str, Any]:
        if not self._semantic_ranker:
            return {}
        return {
            "query_type": "semantic",
            "semantic_configuration_name": schema.SEMANTIC_CONFIGURATION,
        }


@dataclass(frozen=True)
class _Request:
    arguments: dict[str, Any]
    vector: bool = False  # scores are 1 / (1 + cosine distance), turned back into cosine


def _run_ranking(client: SearchClient, request: _Request | None) -> list[RankedChunk]:
    if request is None:
        return []
    with _service_errors("search"):
        rows = list(client.search(**request.arguments))
    return [
        RankedChunk(
            chunk_id=row["chunk_id"],
            score=_score(row, vector=request.vector),
            citation=row["citation"],
            price=row.get("price"),
            page_number=row.get("page_number"),
            title=row.get("title"),
        )
        for row in rows
    ]


def _score(row: dict[str, Any], *, vector: bool) -> float:
    reranked = row.get("@search.reranker_score")
    if reranked is not None:
        return float(reranked)
    score = float(row["@search.score"])
    return 2.0 - 1.0 / score if vector else score


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
