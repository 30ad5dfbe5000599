"""Ridgeline as a model: the real ``openai`` SDK calls /v1 on a real uvicorn server."""

import openai
import pytest

from tests.chat.apps import running_app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("v1")) as running:
        yield running


@pytest.fixture
def client(app):
    return openai.OpenAI(base_url=f"{app.base_url}/v1", api_key="unused", max_retries=0)


QUESTION = [{"role": "user", "content": "How much is the TrailMaster tent?"}]
ANSWER = "TrailMaster X4 Tent - Price: $250.00. [products.csv#id=7]"


def test_models_lists_ridgeline(client):
    assert [m.id for m in client.models.list()] == ["ridgeline"]


def test_a_completion_has_the_cited_answer_and_the_sources_in_context(client):
    completion = client.chat.completions.create(
        model="ridgeline", messages=QUESTION, temperature=0.2, seed=1
    )
    assert completion.object == "chat.completion"
    assert completion.choices[0].message.content == ANSWER
    assert completion.choices[0].finish_reason == "stop"
    context = completion.model_extra["context"]
    assert context["data_points"]["citations"] == ["products.csv#id=7", "manual.pdf#page=4"]
    assert context["thoughts"][0]["title"] == "Search query and filters"


def test_a_streamed_completion_yields_deltas_then_context(client):
    stream = client.chat.completions.create(model="ridgeline", messages=QUESTION, stream=True)
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == ANSWER
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["context"]["data_points"]["citations"][0] == "products.csv#id=7"


def test_an_invalid_request_is_an_sdk_error_with_the_reason(client):
    with pytest.raises(openai.UnprocessableEntityError, match="messages"):
        client.chat.completions.create(model="ridgeline", messages=[])


def test_langchain_chat_openai_can_use_ridgeline_as_a_model(app):
    """LangChain's ChatOpenAI (langchain-openai, a dev dependency) as a client of /v1."""
    from langchain_openai import ChatOpenAI

    model = ChatOpenAI(
        base_url=f"{app.base_url}/v1", api_key="unused", model="ridgeline", max_retries=0
    )
    assert model.invoke("How much is the TrailMaster tent?").content == ANSWER
