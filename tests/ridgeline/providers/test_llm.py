"""The one LLM client, driven through the real ``openai`` SDK against a local server on
127.0.0.1 that speaks the chat-completions wire format (OpenAI and Azure paths)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ridgeline.errors import ModelError
from ridgeline.providers.llm import OpenAICompatibleClient
from ridgeline.providers.llm_types import Completion, LlmClient, LlmConfig, TokenUsage
from tests.ridgeline.providers.chat_completions_server import (
    ChatCompletionsServer,
    chat_completions_server,
)

pytestmark = pytest.mark.integration

HELLO = [{"role": "user", "content": "Hello?"}]


@pytest.fixture
def server() -> Iterator[ChatCompletionsServer]:
    with chat_completions_server() as server:
        yield server


def client(server: ChatCompletionsServer, **options: Any) -> OpenAICompatibleClient:
    config = {"model": "gpt-test", "base_url": server.base_url, "api_key": "k", "max_retries": 0}
    return OpenAICompatibleClient(LlmConfig(**{**config, **options}))


def test_it_is_an_llm_client(server):
    assert isinstance(client(server), LlmClient)


def test_seed_and_temperature_from_the_config_go_on_the_wire(server):
    completion = client(server, temperature=0.4, seed=11).complete(HELLO)

    (request,) = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer k"
    assert request.body == {
        "model": "gpt-test",
        "messages": HELLO,
        "temperature": 0.4,
        "seed": 11,
    }
    assert completion == Completion(
        text=server.reply,
        model="gpt-test",
        usage=TokenUsage(prompt_tokens=321, completion_tokens=12, calls=1),
        finish_reason="stop",
    )


def test_per_call_options_win_and_unset_ones_are_not_sent(server):
    llm = client(server, temperature=0.4)
    llm.complete(HELLO)
    llm.complete(
        HELLO,
        max_tokens=50,
        temperature=1.1,
        seed=3,
        response_format={"type": "json_object"},
    )
    first, second = (r.body for r in server.requests)
    assert "seed" not in first and "max_tokens" not in first and "response_format" not in first
    assert (second["temperature"], second["seed"], second["max_tokens"]) == (1.1, 3, 50)
    assert second["response_format"] == {"type": "json_object"}


def test_the_usage_is_counted_per_role_on_one_shared_ledger(server):
    chat = client(server)
    judge = chat.for_role("judge", model="judge-1", temperature=0.7)
    before = chat.usage.totals()
    chat.complete(HELLO)
    judge.complete(HELLO)
    judge.complete(HELLO)

    assert judge.usage is chat.usage
    assert [r.body["model"] for r in server.requests] == ["gpt-test", "judge-1", "judge-1"]
    assert server.requests[1].body["temperature"] == 0.7
    spent = chat.usage.since(before)
    assert spent["chat"] == TokenUsage(321, 12, 1)
    assert spent["judge"] == TokenUsage(642, 24, 2)
    assert spent["judge"].as_dict()["total_tokens"] == 666


def test_a_reply_without_usage_counts_the_call_and_says_none(server):
    server.usage = None
    llm = client(server)
    assert llm.complete(HELLO).usage is None
    assert llm.usage.totals()["chat"] == TokenUsage(calls=1)


def test_rate_limits_and_server_errors_are_retried_by_the_sdk_then_answered(server):
    """The server fails twice (429, then 500, each with a retry-after-ms hint), then answers."""
    server.fail_first = [429, 500]
    completion = client(server, max_retries=2).complete(HELLO)
    assert completion.text == server.reply
    assert len(server.requests) == 3


def test_retries_stop_at_max_retries_with_a_model_error_naming_role_and_model(server):
    server.fail_first = [429, 500, 503]
    llm = client(server, max_retries=1).for_role("judge")
    with pytest.raises(ModelError, match="judge model 'gpt-test' failed"):
        llm.complete(HELLO)
    assert len(server.requests) == 2


def test_a_slow_server_times_out_per_attempt_and_the_timeout_is_retried(server):
    server.delay_s = 0.3
    started = time.perf_counter()
    with pytest.raises(ModelError, match="chat model 'gpt-test' timed out"):
        client(server, timeout_s=0.1, max_retries=1).complete(HELLO)
    assert len(server.requests) == 2
    assert time.perf_counter() - started < 3


def test_an_unreachable_endpoint_is_a_model_error_saying_so():
    llm = OpenAICompatibleClient(
        LlmConfig(model="m", base_url="http://127.0.0.1:9/v1", max_retries=0)
    )
    with pytest.raises(ModelError, match="could not be reached"):
        llm.complete(HELLO)


def test_azure_calls_the_deployment_path_with_the_api_version_and_key_header(server):
    config = LlmConfig(
        endpoint="azure",
        model="gpt-4o-prod",
        azure_endpoint=server.url,
        api_key="azure-key",
        api_version="2024-10-21",
        max_retries=0,
        seed=5,
    )
    OpenAICompatibleClient(config).complete(HELLO, max_tokens=20)

    (request,) = server.requests
    assert request.path == "/openai/deployments/gpt-4o-prod/chat/completions"
    assert request.query == {"api-version": ["2024-10-21"]}
    assert request.headers["api-key"] == "azure-key"
    assert (request.body["seed"], request.body["max_tokens"]) == (5, 20)


def test_a_stream_yields_deltas_then_the_completion_with_usage(server):
    llm = client(server, seed=9)
    *deltas, completion = llm.stream(HELLO, temperature=0.2)

    assert "".join(deltas) == server.reply and len(deltas) == len(server.reply.split(" "))
    assert isinstance(completion, Completion) and completion.text == server.reply
    assert completion.usage == TokenUsage(321, 12, 1) and completion.finish_reason == "stop"
    body = server.requests[0].body
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert (body["temperature"], body["seed"]) == (0.2, 9)
    assert llm.usage.totals()["chat"] == TokenUsage(321, 12, 1)


def test_a_stream_that_breaks_is_a_model_error(server):
    server.fail_mid_stream = True
    with pytest.raises(ModelError, match="upstream broke"):
        list(client(server).stream(HELLO))


def test_no_module_but_the_llm_client_calls_the_chat_completions_sdk():
    """One client layer: no role builds its own SDK client or calls chat completions itself."""
    root = Path(__file__).resolve().parents[3]
    allowed = {root / "ridgeline" / "providers" / "llm.py"}
    offenders = [
        str(path.relative_to(root))
        for package in ("ridgeline", "ingestion", "retrieval", "chat", "eval")
        for path in (root / package).rglob("*.py")
        if path not in allowed
        and any(
            needle in path.read_text(encoding="utf-8")
            for needle in (
                "chat.completions.create",
                "AzureOpenAI(",
                "openai.OpenAI(",
                "OpenAI(base_url",
            )
        )
    ]
    assert offenders == []


def test_an_azure_config_without_its_endpoint_is_refused():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="needs azure_endpoint"):
        LlmConfig(endpoint="azure", model="gpt-4o-prod")
