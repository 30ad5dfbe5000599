"""Settings -> the one LLM client: endpoint choice, missing settings, one policy, one SDK client
per endpoint; the roles built from settings reach a local chat-completions server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ridgeline.errors import ConfigError
from ridgeline.providers.llm_settings import (
    build_llm_client,
    build_role_client,
    configured_endpoint,
    llm_config,
)
from ridgeline.settings import Settings
from tests.ridgeline.providers.chat_completions_server import (
    ChatCompletionsServer,
    chat_completions_server,
)


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # a developer's .env must not leak in


@pytest.fixture
def server() -> Iterator[ChatCompletionsServer]:
    with chat_completions_server() as server:
        yield server


def test_the_endpoint_is_the_one_the_chat_model_or_captioner_names() -> None:
    assert configured_endpoint(settings()) == "openai"
    assert configured_endpoint(settings(azure_openai_endpoint="https://x")) == "azure"
    assert configured_endpoint(settings(chat_model="openai", captioner="azure")) == "openai"
    assert configured_endpoint(settings(captioner="azure")) == "azure"


def test_missing_settings_are_named_in_one_config_error() -> None:
    with pytest.raises(ConfigError, match="RIDGELINE_OPENAI_API_KEY"):
        llm_config(settings(), endpoint="openai")
    with pytest.raises(ConfigError) as error:
        llm_config(settings(azure_openai_api_key="k"), endpoint="azure")
    assert "RIDGELINE_AZURE_OPENAI_ENDPOINT" in str(error.value)
    assert "RIDGELINE_AZURE_OPENAI_DEPLOYMENT" in str(error.value)
    assert "RIDGELINE_AZURE_OPENAI_API_KEY" not in str(error.value)
    # a role with its own model needs no deployment
    config = llm_config(
        settings(azure_openai_endpoint="https://x", azure_openai_api_key="k"), model="captions"
    )
    assert (config.endpoint, config.model) == ("azure", "captions")


def test_one_policy_comes_from_the_settings() -> None:
    config = llm_config(
        settings(
            openai_api_key="k",
            chat_timeout_s=12.5,
            llm_max_retries=5,
            llm_seed=3,
            chat_temperature=0.6,
        )
    )
    assert (config.timeout_s, config.max_retries, config.seed, config.temperature) == (
        12.5,
        5,
        3,
        0.6,
    )


def test_roles_on_one_endpoint_share_the_sdk_client_and_ledger(server: ChatCompletionsServer):
    values = settings(chat_model="openai", openai_api_key="k", openai_base_url=server.base_url)
    chat = build_llm_client(values, role="chat")
    rewrite = build_llm_client(values, role="query rewrite")
    assert chat.usage is rewrite.usage
    chat.complete([{"role": "user", "content": "a"}])
    rewrite.complete([{"role": "user", "content": "b"}], max_tokens=10)
    assert set(chat.usage.totals()) == {"chat", "query rewrite"}
    assert [r.headers["authorization"] for r in server.requests] == ["Bearer k"] * 2


def test_a_role_client_uses_its_own_base_url_or_the_configured_endpoint(
    server: ChatCompletionsServer,
) -> None:
    own = build_role_client(
        settings(), role="judge", model="judge-1", base_url=server.base_url, api_key="j-key"
    )
    assert own.config.base_url == server.base_url and own.config.api_key is not None
    assert own.config.api_key.get_secret_value() == "j-key"
    configured = build_role_client(
        settings(openai_base_url="http://127.0.0.1:1/v1", openai_api_key="s-key"),
        role="question generation",
        model="gen-1",
        api_key="ignored",
    )
    assert configured.config.base_url == "http://127.0.0.1:1/v1"
    assert configured.config.api_key is not None
    assert configured.config.api_key.get_secret_value() == "s-key"
