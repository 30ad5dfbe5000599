import pytest

from chat.models.extractive import ExtractiveAnswerer
from chat.models.openai_compatible import OpenAIChatModel
from chat.models.registry import build_chat_model
from ridgeline.errors import ConfigError
from ridgeline.settings import Settings


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


def test_openai_builds_a_model_for_the_configured_endpoint():
    model = build_chat_model(
        settings(
            chat_model="openai",
            openai_api_key="sk-test",
            openai_base_url="http://127.0.0.1:9/v1",
            openai_model="llama3.1",
            chat_temperature=0.2,
        )
    )
    assert isinstance(model, OpenAIChatModel)
    assert (model.model, model.temperature) == ("llama3.1", 0.2)
    assert str(model.client().base_url) == "http://127.0.0.1:9/v1/"


def test_azure_lists_every_missing_setting():
    with pytest.raises(ConfigError) as error:
        build_chat_model(settings(chat_model="azure", azure_openai_api_key="k"))
    message = str(error.value)
    assert "RIDGELINE_AZURE_OPENAI_ENDPOINT" in message
    assert "RIDGELINE_AZURE_OPENAI_DEPLOYMENT" in message
    assert "RIDGELINE_AZURE_OPENAI_API_KEY" not in message


def test_azure_uses_the_deployment_as_the_model():
    model = build_chat_model(
        settings(
            chat_model="azure",
            azure_openai_endpoint="https://example.openai.azure.com",
            azure_openai_api_key="k",
            azure_openai_deployment="gpt-4o-prod",
        )
    )
    assert isinstance(model, OpenAIChatModel)
    assert model.model == "gpt-4o-prod"
    assert "example.openai.azure.com" in str(model.client().base_url)
