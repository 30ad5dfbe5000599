import math
from pathlib import Path

import pytest
from PIL import Image

from ridgeline.errors import ModelError
from ridgeline.providers.azure_vision import AzureVisionEmbedder
from tests.ridgeline.providers.recording_server import Recorded, recording_server


def vectorize(request: Recorded) -> tuple[int, object]:
    """Answers like the service: a 1024-d vector, here [len(body), 1, 0, ...] (not normalised)."""
    vector = [float(len(request.body)), 1.0] + [0.0] * 1022
    return 200, {"modelVersion": "2023-04-15", "vector": vector}


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "tent.png"
    Image.new("RGB", (8, 8), "green").save(path)
    return path


@pytest.mark.integration
def test_images_are_posted_as_bytes_to_vectorize_image(photo: Path) -> None:
    """Against a local HTTP server on 127.0.0.1 speaking the vectorizeImage REST protocol."""
    with recording_server(vectorize) as server:
        embedder = AzureVisionEmbedder(endpoint=server.url + "/", api_key="secret")
        (vector,) = embedder.embed_images([photo])

    (request,) = server.requests
    path, _, query = request.path.partition("?")
    assert path == "/computervision/retrieval:vectorizeImage"
    assert sorted(query.split("&")) == ["api-version=2024-02-01", "model-version=2023-04-15"]
    assert request.headers["Ocp-Apim-Subscription-Key"] == "secret"
    assert request.headers["Content-Type"] == "application/octet-stream"
    assert request.body == photo.read_bytes()
    assert len(vector) == embedder.dimension == 1024
    assert math.isclose(math.fsum(v * v for v in vector), 1.0)


@pytest.mark.integration
def test_text_goes_to_vectorize_text_in_the_same_space() -> None:
    """Against a local HTTP server on 127.0.0.1 speaking the vectorizeText REST protocol."""
    with recording_server(vectorize) as server:
        embedder = AzureVisionEmbedder(endpoint=server.url, api_key="secret")
        vector = embedder.embed_text("green tent")

    (request,) = server.requests
    assert request.path.startswith("/computervision/retrieval:vectorizeText?")
    assert request.json() == {"text": "green tent"}
    assert embedder.text_aligned and len(vector) == 1024


@pytest.mark.integration
def test_a_service_error_is_a_model_error_with_its_message(photo: Path) -> None:
    """Against a local HTTP server on 127.0.0.1 answering with the service's error body."""
    error = {"error": {"code": "InvalidImageSize", "message": "Image must be at least 10px"}}
    with recording_server(lambda request: (400, error)) as server:
        embedder = AzureVisionEmbedder(endpoint=server.url, api_key="secret")
        with pytest.raises(ModelError, match=r"tent\.png: HTTP 400 InvalidImageSize: Image must"):
            embedder.embed_images([photo])
