"""The chat API served by a real uvicorn server on 127.0.0.1, called over HTTP with httpx."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from chat.app import create_app
from chat.models.extractive import ExtractiveAnswerer
from chat.service import ChatService
from ridgeline.errors import ModelError
from ridgeline.types import ChunkKind
from tests.chat.fakes import FailingChatModel, FakeRetriever, make_hit
from tests.servers import serve_in_thread

pytestmark = pytest.mark.integration

HITS = [
    make_hit(
        "products.csv#id=7", "Name: TrailMaster X4 Tent\nPrice: $250.00", kind=ChunkKind.CATALOG
    ),
    make_hit("guide.pdf#page=4", "Pitch the tent on flat ground."),
]


def client_for(model) -> Iterator[httpx.Client]:
    service = ChatService(retriever=FakeRetriever(hits=list(HITS)), model=model)
    with (
        serve_in_thread(create_app(service)) as base_url,
        httpx.Client(base_url=base_url) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    yield from client_for(ExtractiveAnswerer())


@pytest.fixture
def failing_client() -> Iterator[httpx.Client]:
    yield from client_for(FailingChatModel())


def test_health(client):
    response = client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_a_chat_request_gets_a_cited_answer_with_its_context(client):
    body = {
        "messages": [{"role": "user", "content": "How much is the TrailMaster tent?"}],
        "context": {"overrides": {"top": 2, "retrieval_mode": "hybrid", "semantic_ranker": False}},
        "session_state": "abc",
    }
    response = client.post("/chat", json=body)
    assert response.status_code == 200
    payload = response.json()
    assert payload["output_text"] == "TrailMaster X4 Tent - Price: $250.00. [products.csv#id=7]"
    assert payload["context"]["data_points"]["citations"] == [
        "products.csv#id=7",
        "guide.pdf#page=4",
    ]
    assert (
        payload["context"]["data_points"]["text"][1]
        == "guide.pdf#page=4: Pitch the tent on flat ground."
    )
    assert [t["title"] for t in payload["context"]["thoughts"]][:2] == [
        "Search query and filters",
        "Search results",
    ]
    assert payload["context"]["followup_questions"] == []
    assert payload["session_state"] == "abc"


def test_a_body_that_is_not_json_is_a_400_with_a_json_error(client):
    response = client.post(
        "/chat", content=b'{"messages": [', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]


def test_empty_messages_are_a_422_that_names_the_field(client):
    response = client.post("/chat", json={"messages": []})
    assert response.status_code == 422
    error = response.json()["error"]
    assert "messages" in error and "at least 1 item" in error


def test_a_wrong_type_is_a_422_that_names_the_field(client):
    body = {"messages": [{"role": "user", "content": "Hi"}], "context": {"overrides": {"top": "x"}}}
    response = client.post("/chat", json=body)
    assert response.status_code == 422
    assert "context.overrides.top" in response.json()["error"]


def test_an_unexpected_error_is_a_500_without_internal_details(failing_client):
    response = failing_client.post("/chat", json={"messages": [{"role": "user", "content": "Hi"}]})
    assert response.status_code == 500
    assert response.json() == {"error": "internal error: the request could not be answered"}
    assert "secret" not in response.text and "Traceback" not in response.text


def test_a_model_failure_is_a_502_that_says_what_failed():
    failure = ModelError("chat model 'gpt-test' failed: connection refused")
    for client in client_for(FailingChatModel(error=failure)):
        response = client.post("/chat", json={"messages": [{"role": "user", "content": "Hi"}]})
        assert response.status_code == 502
        assert response.json() == {"error": "chat model 'gpt-test' failed: connection refused"}
