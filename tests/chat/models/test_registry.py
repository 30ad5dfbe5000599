import pytest

from chat.models.extractive import ExtractiveAnswerer
from chat.models.openai_compatible import OpenAIChatModel
from chat.models.registry import build_chat_model
from ridgeline.errors import ConfigError
from ridgeline.settings import Settings
from ridgeline.types import ChatMessage
from tests.ridgeline.providers.chat_completions_server import chat_completions_server


def settings(**values):
    # _env_file=None: a developer's .env must not change what these tests see.
    return Settings(_env_file=None, **values)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_the_default_is_the_extractive_answerer():
    assert isinstance(build_chat_model(settings()), ExtractiveAnswerer)


def test_openai_needs_an_api_key_and_says_which_variable():
    with pytest.raises(ConfigError, match="RIDGELINE_OPENAI_API_KEY"):
        build_chat_model(settings(chat_model="openai"))


@pytest.mark.integration
def test_openai_builds_a_model_for_the_configured_endpoint():
    """Settings -> the one LLM client -> the real SDK -> a local chat-completions server."""
    with chat_completions_server() as server:
        model = build_chat_model(
            settings(
                chat_model="openai",
                openai_api_key="sk-test",
                openai_base_url=server.base_url,
                openai_model="llama3.1",
                chat_temperature=0.2,
                llm_seed=42,
            )
        )
        assert isinstance(model, OpenAIChatModel)
        model.answer([ChatMessage(role="user", content="Hi")], [])
    (request,) = server.requests
    assert request.headers["authorization"] == "Bearer sk-test"
    body = request.body
    assert (body["model"], body["temperature"], body["seed"]) == ("llama3.1", 0.2, 42)


def test_azure_lists_every_missing_setting():
    with pytest.raises(ConfigError) as error:
        build_chat_model(settings(chat_model="azure", azure_openai_api_key="k"))
    message = str(error.value)
    assert "RIDGELINE_AZURE_OPENAI_ENDPOINT" in message
    assert "RIDGELINE_AZURE_OPENAI_DEPLOYMENT" in message
    assert "RIDGELINE_AZURE_OPENAI_API_KEY" not in message


@pytest.mark.integration
def test_azure_uses_the_deployment_as_the_model():
    with chat_completions_server() as server:
        model = build_chat_model(
            settings(
                chat_model="azure",
                azure_openai_endpoint=server.url,
                azure_openai_api_key="k",
                azure_openai_deployment="gpt-4o-prod",
            )
        )
        assert isinstance(model, OpenAIChatModel)
        assert model.model == "gpt-4o-prod"
        model.answer([ChatMessage(role="user", content="Hi")], [])
    (request,) = server.requests
    assert request.path == "/openai/deployments/gpt-4o-prod/chat/completions"
    assert request.query == {"api-version": ["2024-10-21"]}
