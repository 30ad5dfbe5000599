"""/chat/stream, /config and /auth_setup on a real uvicorn server, read with httpx."""

import json

import pytest

from tests.chat.apps import running_app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("chat")) as running:
        yield running


def ask(question, **overrides):
    return {
        "messages": [{"role": "user", "content": question}],
        "context": {"overrides": overrides},
        "session_state": "s1",
    }


def test_the_stream_is_ndjson_context_deltas_and_final_context(app):
    body = ask("How much is the TrailMaster tent?", suggest_followup_questions=True)
    with app.client.stream("POST", "/chat/stream", json=body) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        events = [json.loads(line) for line in response.iter_lines() if line]
    assert events[0]["type"] == "response.context"
    assert events[0]["context"]["data_points"]["images"] == [f"/content/{app.figure}"]
    text = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    assert text == "TrailMaster X4 Tent - Price: $250.00. [products.csv#id=7]"
    assert events[-1]["context"]["followup_questions"] == [
        "What do the sources say about Camping manual?"
    ]


def test_chat_and_stream_reject_a_bad_request_with_a_json_422(app):
    response = app.client.post("/chat/stream", json={"messages": []})
    assert response.status_code == 422 and "messages" in response.json()["error"]


def test_config_tells_the_frontend_what_is_on(app):
    config = app.client.get("/config").json()
    assert config["streamingEnabled"] is True and config["showChatHistoryCosmos"] is True
    assert config["ragSendImageSources"] is False
    # No vision model: the empty page keeps the default examples, not the finance ones.
    assert config["showMultimodalOptions"] is False
    assert config["reasoningEffortOptions"] == []
    assert config["defaultRetrievalReasoningEffort"] == "minimal"
    assert config["sharepointSourceEnabled"] is False


def test_uploads_are_offered_to_the_frontend_only_with_a_login(app):
    # The app accepts uploads (they work with an API key), but the frontend's upload button
    # requires a signed-in user and /auth_setup configures no login: offering it crashes the page.
    assert app.client.get("/auth_setup").json()["useLogin"] is False
    assert app.client.get("/config").json()["showUserUpload"] is False


def test_a_new_conversation_gets_a_session_id_when_history_is_kept(app):
    body = {"messages": [{"role": "user", "content": "How much is the TrailMaster tent?"}]}
    first = app.client.post("/chat", json=body).json()["session_state"]
    second = app.client.post("/chat", json=body).json()["session_state"]
    assert isinstance(first, str) and len(first) == 36 and first != second
    with app.client.stream("POST", "/chat/stream", json=body) as response:
        events = [json.loads(line) for line in response.iter_lines() if line]
    assert isinstance(events[0]["session_state"], str)
    assert events[0]["session_state"] == events[-1]["session_state"]
    kept = app.client.post("/chat", json=ask("How much is the TrailMaster tent?")).json()
    assert kept["session_state"] == "s1"


def test_auth_setup_says_no_login(app):
    setup = app.client.get("/auth_setup").json()
    assert setup["useLogin"] is False and setup["requireAccessControl"] is False
    assert setup["msalConfig"]["auth"]["redirectUri"] == "/redirect"
    me = app.client.get("/.auth/me")
    assert me.status_code == 200 and me.json() == []


def test_an_invalid_user_header_is_a_400(app):
    response = app.client.post("/chat", json=ask("Hi?"), headers={"X-Ridgeline-User": "a b/c"})
    assert response.status_code == 400 and "X-Ridgeline-User" in response.json()["error"]


def test_a_failure_mid_stream_is_a_last_error_line(tmp_path):
    from ridgeline.errors import ModelError
    from tests.chat.fakes import FailingChatModel

    model = FailingChatModel(error=ModelError("chat model 'gpt-test' timed out"))
    with (
        running_app(tmp_path, model=model) as failing,
        failing.client.stream("POST", "/chat/stream", json=ask("Tent?")) as response,
    ):
        lines = [json.loads(line) for line in response.iter_lines() if line]
    assert lines[0]["type"] == "response.context"
    assert lines[-1] == {"error": "chat model 'gpt-test' timed out"}
