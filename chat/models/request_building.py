"""Chat models that show the request they send, so the thoughts panel can show the prompt."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from ridgeline.protocols import ChatModel
from ridgeline.types import ChatMessage, SearchHit


@runtime_checkable
class RequestBuildingChatModel(ChatModel, Protocol):
    """A ChatModel that builds an inspectable chat-completions request (LLMs do; the
    extractive answerer sends no request and does not need to)."""

    def request(
        self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]
    ) -> dict[str, Any]:
        """The exact request body the model sends for these messages and sources."""
        ...
