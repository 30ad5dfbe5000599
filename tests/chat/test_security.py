"""API key, CORS allowlist and body size limits, on a real uvicorn server."""

import httpx
import pytest

from chat.config import AppConfig
from tests.chat.apps import running_app

pytestmark = pytest.mark.integration

KEY = {"Authorization": "Bearer s3cret"}
QUESTION = {"messages": [{"role": "user", "content": "Tent price?"}]}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    config = AppConfig(
        api_key="s3cret", cors_origins=("https://intranet.example",), max_request_bytes=2000
    )
    with running_app(tmp_path_factory.mktemp("secure"), config=config) as running:
        yield running


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/chat"),
        ("POST", "/chat/stream"),
        ("GET", "/config"),
        ("GET", "/auth_setup"),
        ("GET", "/content/manual.pdf"),
        ("GET", "/list_uploaded"),
        ("GET", "/chat_history/sessions"),
        ("GET", "/v1/models"),
        ("POST", "/v1/chat/completions"),
    ],
)
def test_every_api_endpoint_needs_the_key(app, method, path):
    response = app.client.request(method, path, json=QUESTION)
    assert response.status_code == 401 and "API key" in response.json()["error"]
    wrong = app.client.request(method, path, json=QUESTION, headers={"Authorization": "Bearer no"})
    assert wrong.status_code == 401


def test_the_key_opens_the_api_and_health_needs_none(app):
    assert app.client.get("/health").status_code == 200
    assert app.client.post("/chat", json=QUESTION, headers=KEY).status_code == 200


def test_an_allowed_origin_gets_cors_headers_and_another_does_not(app):
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = app.client.options(
        "/chat", headers={"Origin": "https://intranet.example", **preflight}
    )
    assert allowed.headers["access-control-allow-origin"] == "https://intranet.example"
    other = app.client.options("/chat", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_a_body_over_the_limit_is_a_json_413_with_or_without_a_length(app):
    big = {"messages": [{"role": "user", "content": "x" * 5000}]}
    response = app.client.post("/chat", json=big, headers=KEY)
    assert response.status_code == 413 and "limit is 2000 bytes" in response.json()["error"]

    def chunks():
        yield b'{"messages": [{"role": "user", "content": "'
        yield b"x" * 5000
        yield b'"}]}'

    streamed = httpx.post(
        f"{app.base_url}/chat",
        content=chunks(),
        headers={**KEY, "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
