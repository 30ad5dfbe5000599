"""The two Azure AI Search indexes Ridgeline writes: chunks, and one record per source document.

Chunk fields mirror the embedded index; ``is_public`` is true when both access lists are empty,
so the security filter can admit public chunks in the same OData expression. Source documents
(content hashes for incremental ingestion) live in their own small index, ``<name>-documents``,
so they never show up in chunk searches.
"""

from __future__ import annotations

from azure.core.exceptions import ResourceNotFoundError
from azure.search.documents.indexes import SearchIndexClient
from azure.search.documents.indexes.models import (
    HnswAlgorithmConfiguration,
    HnswParameters,
    SearchableField,
    SearchField,
    SearchFieldDataType,
    SearchIndex,
    SemanticConfiguration,
    SemanticField,
    SemanticPrioritizedFields,
    SemanticSearch,
    SimpleField,
    VectorSearch,
    VectorSearchProfile,
)

from ridgeline.attribute_fields import ATTRIBUTE_FIELDS, SOURCES_FIELD
from ridgeline.errors import ConfigError

VECTOR_PROFILE = "ridgeline-hnsw"
SEMANTIC_CONFIGURATION = "ridgeline-semantic"
TEXT_VECTOR = "text_vector"
IMAGE_VECTOR = "image_vector"
SEARCH_TEXT = "search_text"
_ALGORITHM = "ridgeline-hnsw-cosine"
_STRING = SearchFieldDataType.String
_STRINGS = SearchFieldDataType.Collection(SearchFieldDataType.String)


def documents_index_name(chunks_index: str) -> str:
    return f"{chunks_index}-documents"


def chunks_index(name: str, *, dimension: int, image_dimension: int | None) -> SearchIndex:
    fields = [
        SimpleField(name="id", type=_STRING, key=True, filterable=True),
        SimpleField(name="chunk_id", type=_STRING),
        SimpleField(name="document_id", type=_STRING, filterable=True),
        SimpleField(name="source", type=_STRING, filterable=True, facetable=True),
        SimpleField(name="citation", type=_STRING),
        SimpleField(name="kind", type=_STRING, filterable=True, facetable=True),
        SearchableField(name="content", analyzer_name="standard.lucene"),
        # What BM25 searches (ridgeline.types.bm25_text: the content, or title + content);
        # hidden, as it only repeats retrievable fields. Rankings name it in searchFields.
        SearchableField(name=SEARCH_TEXT, analyzer_name="standard.lucene", hidden=True),
        SimpleField(name="page_number", type=SearchFieldDataType.Int32, filterable=True),
        SimpleField(name="title", type=_STRING),
        SimpleField(name="category", type=_STRING, filterable=True, facetable=True),
        SimpleField(name="brand", type=_STRING, filterable=True, facetable=True),
        SimpleField(name="price", type=SearchFieldDataType.Double, filterable=True, sortable=True),
        SimpleField(name="images", type=_STRING),  # JSON list of ImageAsset records
        SimpleField(name="access_users", type=_STRINGS, filterable=True),
        SimpleField(name="access_groups", type=_STRINGS, filterable=True),
        SimpleField(name="is_public", type=SearchFieldDataType.Boolean, filterable=True),
        *attribute_fields(),
        _vector_field(TEXT_VECTOR, dimension),
    ]
    if image_dimension is not None:
        fields.append(_vector_field(IMAGE_VECTOR, image_dimension))
    return SearchIndex(
        name=name,
        fields=fields,
        vector_search=VectorSearch(
            algorithms=[
                HnswAlgorithmConfiguration(
                    name=_ALGORITHM, parameters=HnswParameters(metric="cosine")
                )
            ],
            profiles=[
                VectorSearchProfile(name=VECTOR_PROFILE, algorithm_configuration_name=_ALGORITHM)
            ],
        ),
        semantic_search=SemanticSearch(
            default_configuration_name=SEMANTIC_CONFIGURATION,
            configurations=[
                SemanticConfiguration(
                    name=SEMANTIC_CONFIGURATION,
                    prioritized_fields=SemanticPrioritizedFields(
                        title_field=SemanticField(field_name="title"),
                        content_fields=[SemanticField(field_name="content")],
                        keywords_fields=[
                            SemanticField(field_name="category"),
                            SemanticField(field_name="brand"),
                        ],
                    ),
                )
            ],
        ),
    )


def attribute_fields() -> list[SearchField]:
    """The typed record attributes (``ridgeline.attribute_fields``): numbers filterable and
    sortable, word lists filterable and facetable, the facts' sentences retrievable only."""
    fields: list[SearchField] = [
        SimpleField(name=f.name, type=SearchFieldDataType.Double, filterable=True, sortable=True)
        if f.kind == "number"
        else SimpleField(name=f.name, type=_STRINGS, filterable=True, facetable=True)
        for f in ATTRIBUTE_FIELDS
    ]
    fields.append(SimpleField(name=SOURCES_FIELD, type=_STRING))
    return fields


def refuse_old_layout(indexes: SearchIndexClient, name: str) -> None:
    """ConfigError for a chunks index written before BM25 read titles: the service would add
    the field, but the documents already there would stay without it, unfound by BM25."""
    try:
        existing = indexes.get_index(name)
    except ResourceNotFoundError:
        return
    if all(field.name != SEARCH_TEXT for field in existing.fields):
        raise ConfigError(
            f"the Azure AI Search index {name!r} was written by an older Ridgeline (no "
            f"{SEARCH_TEXT} field): delete it and ingest again"
        )


def documents_index(name: str) -> SearchIndex:
    return SearchIndex(
        name=name,
        fields=[
            SimpleField(name="id", type=_STRING, key=True, filterable=True),
            SimpleField(name="document_id", type=_STRING, filterable=True),
            SimpleField(name="path", type=_STRING),
            SimpleField(name="source", type=_STRING, filterable=True),
            SimpleField(name="content_hash", type=_STRING),
            SimpleField(name="size_bytes", type=SearchFieldDataType.Int64),
            SimpleField(name="chunk_count", type=SearchFieldDataType.Int32),
        ],
    )


def _vector_field(name: str, dimension: int) -> SearchField:
    return SearchField(
        name=name,
        type=SearchFieldDataType.Collection(SearchFieldDataType.Single),
        searchable=True,
        vector_search_dimensions=dimension,
        vector_search_profile_name=VECTOR_PROFILE,
    )
