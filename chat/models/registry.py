"""The built-in chat models (``extractive``, ``openai``, ``azure``) and the lookup by setting.

The ``builtin`` plugin registers them through :func:`register_chat_models`; a plugin adds its
own the same way (``registry.chat_models.register("mine", factory)``).

Usage::

    model = build_chat_model(Settings())  # RIDGELINE_CHAT_MODEL picks the registered model
"""

from __future__ import annotations

from chat.models.extractive import ExtractiveAnswerer
from ridgeline.plugins.registry import ChatModelFactory, NamedRole, plugin_registry
from ridgeline.protocols import ChatModel
from ridgeline.providers.llm_settings import build_llm_client
from ridgeline.providers.llm_types import EndpointKind
from ridgeline.settings import Settings


def build_chat_model(settings: Settings) -> ChatModel:
    """The chat model ``settings.chat_model`` names; raises ConfigError naming missing env vars."""
    return plugin_registry().chat_models.factory(settings.chat_model)(settings)


def register_chat_models(role: NamedRole[ChatModelFactory]) -> None:
    role.register("extractive", lambda settings: ExtractiveAnswerer())
    role.register("openai", _openai_model)
    role.register("azure", _azure_model)


def _openai_model(settings: Settings) -> ChatModel:
    return _llm_model(settings, "openai")


def _azure_model(settings: Settings) -> ChatModel:
    return _llm_model(settings, "azure")


def _llm_model(settings: Settings, endpoint: EndpointKind) -> ChatModel:
    from chat.models.openai_compatible import OpenAIChatModel  # the SDK takes a second to import

    # The endpoint, retries, timeout, seed and temperature are the one LLM client's (docs/llm.md).
    llm = build_llm_client(settings, endpoint=endpoint, role="chat")
    return OpenAIChatModel(llm=llm, vision=settings.chat_vision)
