"""Weak point of issue 12: no cap on question length (one 7.9 MB question cost 40 s of CPU).
The text of each message and of the whole request is capped; over it is a JSON 413 naming
the setting, before anything is searched."""

import pytest

from chat.config import AppConfig
from chat.limits import RequestLimits
from tests.chat.apps import running_app

pytestmark = pytest.mark.integration

LIMITS = RequestLimits(max_message_chars=500, max_request_chars=1200)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    config = AppConfig(limits=LIMITS, max_request_bytes=1 << 20)
    with running_app(tmp_path_factory.mktemp("caps"), config=config) as running:
        yield running


@pytest.mark.parametrize("path", ["/chat", "/chat/stream", "/v1/chat/completions"])
def test_one_message_over_the_cap_is_a_413_naming_the_setting(app, path):
    calls = len(app.retriever.calls)
    question = "tent " * 101  # 505 characters
    response = app.client.post(path, json={"messages": [{"role": "user", "content": question}]})
    assert response.status_code == 413, response.text
    assert "RIDGELINE_MAX_MESSAGE_CHARS" in str(response.json()["error"])
    assert len(app.retriever.calls) == calls


def test_the_whole_conversation_is_capped_too(app):
    turns = [{"role": "user", "content": "x" * 400}, {"role": "assistant", "content": "y" * 400}]
    body = {"messages": [*turns, *turns[:1], {"role": "user", "content": "tent price?"}]}
    response = app.client.post("/chat", json=body)
    assert response.status_code == 413
    assert "RIDGELINE_MAX_REQUEST_CHARS" in response.json()["error"]


def test_text_parts_count_as_text(app):
    parts = [{"type": "text", "text": "a" * 300}, {"type": "text", "text": "b" * 300}]
    response = app.client.post("/chat", json={"messages": [{"role": "user", "content": parts}]})
    assert response.status_code == 413


def test_a_question_under_the_caps_is_answered(app):
    body = {"messages": [{"role": "user", "content": "How much is the TrailMaster tent?"}]}
    assert app.client.post("/chat", json=body).status_code == 200


def test_the_caps_come_from_settings():
    from ridgeline.settings import Settings

    settings = Settings(max_message_chars=10, max_request_chars=20)
    assert (settings.max_message_chars, settings.max_request_chars) == (10, 20)
    assert Settings().max_message_chars == RequestLimits().max_message_chars
