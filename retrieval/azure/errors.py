"""Errors of the Azure AI Search backend, carrying the service's own message."""

from __future__ import annotations

from ridgeline.errors import RidgelineError


class AzureSearchError(RidgelineError):
    """The search service refused or failed a request."""


class IndexWriteError(AzureSearchError):
    """Documents could not be written to the index."""
