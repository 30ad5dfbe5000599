"""The built-in chat models (``extractive``, ``openai``, ``azure``) and the lookup by setting.

The ``builtin`` plugin registers them through :func:`register_chat_models`; a plugin adds its
own the same way (``registry.chat_models.register("mine", factory)``).

Usage::

    model = build_chat_model(Settings())  # RIDGELINE_CHAT_MODEL picks the registered model
"""

from __future__ import annotations

from functools import partial
from typing import Any

from chat.models.extractive import ExtractiveAnswerer
from ridgeline.errors import ConfigError
from ridgeline.plugins.registry import ChatModelFactory, NamedRole, plugin_registry
from ridgeline.protocols import ChatModel
from ridgeline.settings import Settings


def build_chat_model(settings: Settings) -> ChatModel:
    """The chat model ``settings.chat_model`` names; raises ConfigError naming missing env vars."""
    return plugin_registry().chat_models.factory(settings.chat_model)(settings)


def register_chat_models(role: NamedRole[ChatModelFactory]) -> None:
    role.register("extractive", lambda settings: ExtractiveAnswerer())
    role.register("openai", _openai_model)
    role.register("azure", _azure_model)


def _openai_model(settings: Settings) -> ChatModel:
    from chat.models.openai_compatible import OpenAIChatModel  # the SDK takes a second to import

    _require(settings, openai_api_key="RIDGELINE_OPENAI_API_KEY")
    assert settings.openai_api_key is not None
    factory = partial(
        _openai_client,
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key.get_secret_value(),
        timeout=settings.chat_timeout_s,
    )
    return OpenAIChatModel(
        client_factory=factory,
        model=settings.openai_model,
        temperature=settings.chat_temperature,
        vision=settings.chat_vision,
    )


def _azure_model(settings: Settings) -> ChatModel:
    _require(
        settings,
        azure_openai_endpoint="RIDGELINE_AZURE_OPENAI_ENDPOINT",
        azure_openai_api_key="RIDGELINE_AZURE_OPENAI_API_KEY",
        azure_openai_deployment="RIDGELINE_AZURE_OPENAI_DEPLOYMENT",
    )
    assert settings.azure_openai_api_key is not None and settings.azure_openai_deployment
    from chat.models.openai_compatible import OpenAIChatModel

    factory = partial(
        _azure_client,
        azure_endpoint=settings.azure_openai_endpoint,
        api_key=settings.azure_openai_api_key.get_secret_value(),
        api_version=settings.azure_openai_api_version,
        timeout=settings.chat_timeout_s,
    )
    # Azure addresses a model by the name of its deployment.
    return OpenAIChatModel(
        client_factory=factory,
        model=settings.azure_openai_deployment,
        temperature=settings.chat_temperature,
        vision=settings.chat_vision,
    )


def _require(settings: Settings, **env_vars: str) -> None:
    missing = [env for field, env in env_vars.items() if not getattr(settings, field)]
    if missing:
        raise ConfigError(
            f"chat model {settings.chat_model!r} needs these settings: {', '.join(missing)}"
        )


def _openai_client(**options: Any) -> Any:
    from openai import OpenAI  # the SDK builds an HTTP client: only when the model is used

    return OpenAI(**options)


def _azure_client(**options: Any) -> Any:
    from openai import AzureOpenAI

    return AzureOpenAI(**options)
