"""Azure AI Vision multimodal embeddings (Florence): images and text in one 1024-d space.

Calls the REST API directly with httpx (there is no maintained Python SDK for it):
``POST {endpoint}/computervision/retrieval:vectorizeImage`` with the image bytes, and
``POST {endpoint}/computervision/retrieval:vectorizeText`` with ``{"text": ...}``, both with
``api-version`` and ``model-version`` query parameters and the ``Ocp-Apim-Subscription-Key``
header; each answers ``{"modelVersion": ..., "vector": [...]}``. Vectors are normalised here.

    >>> embedder = AzureVisionEmbedder(endpoint="https://my-vision.cognitiveservices.azure.com",
    ...                                api_key="...")
    >>> embedder.embed_text("a green dome tent")   # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from ridgeline.errors import ModelError

API_VERSION = "2024-02-01"
MODEL_VERSION = "2023-04-15"
DIMENSION = 1024


class AzureVisionEmbedder:
    """An ImageEmbedder (``text_aligned``) backed by Azure AI Vision's vectorize endpoints."""

    text_aligned = True

    def __init__(
        self,
        *,
        endpoint: str,
        api_key: str,
        model_version: str = MODEL_VERSION,
        api_version: str = API_VERSION,
        timeout_s: float = 30.0,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.model_version = model_version
        self.api_version = api_version
        self.name = f"azure-vision:{model_version}"
        self._api_key = api_key
        self._timeout_s = timeout_s
        self._client: httpx.Client | None = None

    @property
    def dimension(self) -> int:
        return DIMENSION

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                base_url=self.endpoint,
                timeout=self._timeout_s,
                headers={"Ocp-Apim-Subscription-Key": self._api_key},
                params={"api-version": self.api_version, "model-version": self.model_version},
            )
        return self._client

    def _vectorize(self, action: str, what: str, **request: Any) -> list[float]:
        try:
            response = self._http().post(f"/computervision/retrieval:{action}", **request)
        except httpx.HTTPError as exc:
            raise ModelError(f"Azure AI Vision {action} failed for {what}: {exc}") from exc
        if response.status_code != 200:
            raise ModelError(
                f"Azure AI Vision {action} failed for {what}: HTTP {response.status_code} "
                f"{_error_message(response)}"
            )
        vector = response.json().get("vector")
        if not isinstance(vector, list) or not vector:
            raise ModelError(f"Azure AI Vision {action} returned no vector for {what}")
        norm = math.sqrt(sum(float(v) ** 2 for v in vector)) or 1.0
        return [float(v) / norm for v in vector]

    def embed_images(self, image_paths: Sequence[Path]) -> list[list[float]]:
        return [
            self._vectorize(
                "vectorizeImage",
                path.name,
                content=path.read_bytes(),
                headers={"Content-Type": "application/octet-stream"},
            )
            for path in image_paths
        ]

    def embed_text(self, text: str) -> list[float]:
        return self._vectorize("vectorizeText", "a text query", json={"text": text})

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _error_message(response: httpx.Response) -> str:
    try:
        error = response.json().get("error", {})
    except ValueError:
        return response.text[:200]
    return f"{error.get('code', '')}: {error.get('message', '')}".strip(": ")
