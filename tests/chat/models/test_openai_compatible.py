"""Protocol tests: the real ``openai`` SDK talks to a tiny chat-completions server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chat.models.openai_compatible import OpenAIChatModel
from chat.prompts import SYSTEM_PROMPT
from ridgeline.errors import ModelError
from ridgeline.protocols import ChatModel
from ridgeline.providers.llm import OpenAICompatibleClient
from ridgeline.providers.llm_types import LlmConfig
from ridgeline.types import ChatMessage
from tests.chat.fakes import make_hit
from tests.ridgeline.providers.chat_completions_server import (
    ChatCompletionsServer,
    chat_completions_server,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def server() -> Iterator[ChatCompletionsServer]:
    with chat_completions_server() as server:
        yield server


def make_model(
    server: ChatCompletionsServer,
    *,
    timeout: float = 10.0,
    temperature: float = 0.0,
    seed: int | None = None,
    **options: Any,
) -> OpenAIChatModel:
    config = LlmConfig(
        model="gpt-test",
        base_url=server.base_url,
        api_key="test-key",
        max_retries=0,
        timeout_s=timeout,
        temperature=temperature,
        seed=seed,
    )
    return OpenAIChatModel(llm=OpenAICompatibleClient(config), **options)


SOURCES = [
    make_hit("products.csv#id=7", "Name: TrailMaster X4 Tent\nPrice: $250.00"),
    make_hit("manual.pdf#page=2", "Pitch the tent\non flat ground."),
]
CONVERSATION = [
    ChatMessage(role="user", content="Which tents do you sell?"),
    ChatMessage(role="assistant", content="The TrailMaster X4. [products.csv#id=7]"),
    ChatMessage(role="user", content="How much is it?"),
]


def test_it_is_a_chat_model(server):
    assert isinstance(make_model(server, temperature=0.0), ChatModel)


def test_the_request_carries_the_grounded_prompt_temperature_and_seed(server):
    """Protocol test against a local chat-completions server: the exact payload Ridgeline sends."""
    make_model(server, temperature=0.3, seed=7).answer(CONVERSATION, SOURCES)

    (request,) = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.body == {
        "model": "gpt-test",
        "temperature": 0.3,
        "seed": 7,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": "Which tents do you sell?"},
            {"role": "assistant", "content": "The TrailMaster X4. [products.csv#id=7]"},
            {
                "role": "user",
                "content": "How much is it?\n\nSources:\n<sources>\n"
                "[products.csv#id=7]: Name: TrailMaster X4 Tent Price: $250.00\n"
                "[manual.pdf#page=2]: Pitch the tent on flat ground.\n</sources>",
            },
        ],
    }


def test_the_answer_text_citations_and_token_usage_are_parsed(server):
    """Protocol test against a local chat-completions server: the response is read back."""
    answer = make_model(server, temperature=0.0).answer(CONVERSATION, SOURCES)
    assert answer.text == "The tent costs $250.00. [products.csv#id=7]"
    assert answer.citations == ["products.csv#id=7"]
    assert (answer.prompt_tokens, answer.completion_tokens) == (321, 12)
    assert answer.model == "gpt-test"


def test_no_seed_is_sent_unless_set_and_options_apply_per_copy(server):
    """Protocol test against a local chat-completions server: per-request generation options."""
    model = make_model(server, temperature=0.0)
    model.answer(CONVERSATION, SOURCES)
    model.with_options(temperature=1.2, seed=99).answer(CONVERSATION, SOURCES)

    first, second = (r.body for r in server.requests)
    assert "seed" not in first and first["temperature"] == 0.0
    assert (second["temperature"], second["seed"]) == (1.2, 99)


def test_a_server_error_becomes_a_model_error_naming_the_model(server):
    """Protocol test against a local chat-completions server that fails."""
    server.status = 503
    with pytest.raises(ModelError, match="gpt-test"):
        make_model(server, temperature=0.0).answer(CONVERSATION, SOURCES)


def test_a_streamed_answer_comes_as_deltas_then_the_answer_with_usage(server):
    """Protocol test against a local chat-completions server streaming server-sent chunks."""
    events = list(make_model(server, temperature=0.0).stream(CONVERSATION, SOURCES))
    *deltas, answer = events
    assert "".join(deltas) == server.reply and len(deltas) == len(server.reply.split(" "))
    assert answer.text == server.reply and answer.citations == ["products.csv#id=7"]
    assert (answer.prompt_tokens, answer.completion_tokens) == (321, 12)
    body = server.requests[0].body
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


def test_a_stream_that_breaks_becomes_a_model_error(server):
    """Protocol test against a local server that sends an error event mid-stream."""
    server.fail_mid_stream = True
    with pytest.raises(ModelError, match="upstream broke"):
        list(make_model(server, temperature=0.0).stream(CONVERSATION, SOURCES))


def test_a_slow_server_becomes_a_model_error_saying_it_timed_out(server):
    """Protocol test against a local chat-completions server slower than the client timeout."""
    server.delay_s = 1.0
    with pytest.raises(ModelError, match="gpt-test' timed out"):
        make_model(server, temperature=0.0, timeout=0.2).answer(CONVERSATION, SOURCES)


def test_an_unreachable_server_becomes_a_model_error_saying_so():
    """Protocol test: nothing listens on the port."""

    config = LlmConfig(model="gpt-test", base_url="http://127.0.0.1:9/v1", max_retries=0)
    model = OpenAIChatModel(llm=OpenAICompatibleClient(config))
    with pytest.raises(ModelError, match="could not be reached"):
        model.answer(CONVERSATION, SOURCES)


def test_a_vision_request_sends_the_users_image_and_source_images_as_parts(server, tmp_path):
    """Protocol test against a local chat-completions server: image parts in the payload."""
    from PIL import Image

    figure = tmp_path / "figure1_1.png"
    Image.new("RGB", (4, 4), (0, 128, 0)).save(figure)
    attached = "data:image/png;base64,iVBORw0KGgo="
    question = ChatMessage(role="user", content="Is this the tent?", images=(attached,))
    source = make_hit("manual.pdf#page=2", "The green tent.", images=(str(figure),))
    model = make_model(server, temperature=0.5, seed=3, vision=True)
    model.answer([question], [source])

    body = server.requests[0].body
    assert (body["temperature"], body["seed"]) == (0.5, 3)
    parts = body["messages"][-1]["content"]
    assert [p["type"] for p in parts] == ["text", "image_url", "text", "image_url"]
    assert parts[0]["text"].startswith("Is this the tent?\n\nSources:\n<sources>")
    assert parts[1] == {"type": "image_url", "image_url": {"url": attached}}
    assert parts[3]["image_url"]["url"].startswith("data:image/png;base64,iVBOR")
    assert "Images may come with the question" in body["messages"][0]["content"]


def test_per_request_prompt_options_change_the_rules_sent(server):
    """Protocol test: a prompt template and follow-up rules reach the system message."""
    model = make_model(server, temperature=0.0).with_options(
        temperature=None, seed=None, prompt_template=">>> Be cheerful.", suggest_followups=True
    )
    model.answer(CONVERSATION, SOURCES)
    system = server.requests[0].body["messages"][0]["content"]
    assert system.startswith(SYSTEM_PROMPT) and "Be cheerful." in system and "<<" in system


def test_a_model_option_beats_the_clients_and_usage_reaches_the_ledger(server):
    """The client's seed/temperature are the default; the chat model's own options win."""
    model = make_model(server, temperature=0.1, seed=4)
    model.answer(CONVERSATION, SOURCES)
    OpenAIChatModel(llm=model.llm, temperature=0.9, seed=8).answer(CONVERSATION, SOURCES)
    first, second = (r.body for r in server.requests)
    assert (first["temperature"], first["seed"]) == (0.1, 4)
    assert (second["temperature"], second["seed"]) == (0.9, 8)
    assert model.llm.usage.totals()["chat"].total_tokens == 2 * 333
