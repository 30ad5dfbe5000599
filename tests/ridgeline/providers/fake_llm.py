"""A scripted :class:`ridgeline.providers.llm_types.LlmClient` for tests of the roles that use one
(it implements the Protocol; nothing of the SDK is patched)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ridgeline.providers.llm_types import Completion, TokenUsage, UsageLedger, WireMessage


class ScriptedLlm:
    """Replies ``reply`` (or raises it) to every call; keeps each call's messages and options."""

    def __init__(self, reply: str | Exception, *, model: str = "scripted", role: str = "chat"):
        self.reply = reply
        self.model = model
        self.role = role
        self.usage = UsageLedger()
        self.calls: list[tuple[list[dict[str, Any]], dict[str, Any]]] = []

    def complete(
        self,
        messages: Sequence[WireMessage],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        seed: int | None = None,
        response_format: Mapping[str, Any] | None = None,
    ) -> Completion:
        options = {"max_tokens": max_tokens, "temperature": temperature, "seed": seed}
        self.calls.append(([dict(m) for m in messages], options))
        if isinstance(self.reply, Exception):
            raise self.reply
        usage = TokenUsage(prompt_tokens=10, completion_tokens=2, calls=1)
        self.usage.record(self.role, usage)
        return Completion(text=self.reply, model=self.model, usage=usage, finish_reason="stop")

    def stream(
        self,
        messages: Sequence[WireMessage],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        seed: int | None = None,
    ) -> Iterator[str | Completion]:
        completion = self.complete(
            messages, max_tokens=max_tokens, temperature=temperature, seed=seed
        )
        yield completion.text
        yield completion

    def for_role(
        self, role: str, *, model: str | None = None, temperature: float | None = None
    ) -> ScriptedLlm:
        other = ScriptedLlm(self.reply, model=model or self.model, role=role)
        other.usage, other.calls = self.usage, self.calls
        return other
