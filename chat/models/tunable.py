"""Chat models whose generation options can be set per request."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ridgeline.protocols import ChatModel


@runtime_checkable
class TunableChatModel(ChatModel, Protocol):
    """A ChatModel that makes a copy of itself with other generation options.

    The kernel's ``ChatModel.answer`` has no options; models that take them (LLMs) offer this,
    deterministic ones (the extractive answerer) do not need to. ``None`` keeps the model's value.
    """

    def with_options(
        self,
        *,
        temperature: float | None,
        seed: int | None,
        prompt_template: str | None = None,
        suggest_followups: bool = False,
    ) -> ChatModel: ...
