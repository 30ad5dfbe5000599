"""The one place that turns settings into a chat model: ``extractive``, ``openai`` or ``azure``.

Usage::

    model = build_chat_model(Settings())  # RIDGELINE_CHAT_MODEL picks the kind
"""

from __future__ import annotations

from collections.abc import Callable

from chat.models.extractive import ExtractiveAnswerer
from chat.models.openai_compatible import OpenAIChatModel
from ridgeline.errors import ConfigError
from ridgeline.protocols import ChatModel
from ridgeline.providers.llm_settings import build_llm_client
from ridgeline.providers.llm_types import EndpointKind
from ridgeline.settings import Settings


def build_chat_model(settings: Settings) -> ChatModel:
    """The chat model ``settings.chat_model`` names; raises ConfigError naming missing env vars."""
    builders: dict[str, Callable[[Settings], ChatModel]] = {
        "extractive": lambda _: ExtractiveAnswerer(),
        "openai": _openai_model,
        "azure": _azure_model,
    }
    builder = builders.get(settings.chat_model)
    if builder is None:
        raise ConfigError(f"RIDGELINE_CHAT_MODEL: unknown chat model {settings.chat_model!r}")
    return builder(settings)


def _openai_model(settings: Settings) -> ChatModel:
    return _llm_model(settings, "openai")


def _azure_model(settings: Settings) -> ChatModel:
    return _llm_model(settings, "azure")


def _llm_model(settings: Settings, endpoint: EndpointKind) -> ChatModel:
    # The endpoint, retries, timeout, seed and temperature are the one LLM client's (docs/llm.md).
    llm = build_llm_client(settings, endpoint=endpoint, role="chat")
    return OpenAIChatModel(llm=llm, vision=settings.chat_vision)
