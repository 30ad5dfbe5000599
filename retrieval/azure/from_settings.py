"""Build the Azure AI Search index from Settings (``RIDGELINE_AZURE_SEARCH_*``)."""

from __future__ import annotations

from retrieval.azure.search_index import AzureSearchIndex
from ridgeline.errors import ConfigError
from ridgeline.settings import Settings


def azure_index_from_settings(settings: Settings, *, dimension: int) -> AzureSearchIndex:
    if not settings.azure_search_endpoint or settings.azure_search_api_key is None:
        raise ConfigError(
            "index_backend 'azure' needs RIDGELINE_AZURE_SEARCH_ENDPOINT and "
            "RIDGELINE_AZURE_SEARCH_API_KEY"
        )
    ca_bundle = settings.azure_search_ca_bundle
    return AzureSearchIndex(
        settings.azure_search_endpoint,
        index_name=settings.azure_search_index,
        credential=settings.azure_search_api_key.get_secret_value(),
        dimension=dimension,
        semantic_ranker=settings.azure_search_semantic_ranker,
        connection_verify=str(ca_bundle) if ca_bundle is not None else True,
        bm25_titles=settings.bm25_titles,
    )
