"""The records and contract of Ridgeline's one LLM layer; no vendor SDK is imported here.

Every role that asks a chat-completions model for text (the answerer, the query rewriter, the
image captioner, the eval judge, the QA generator) receives an :class:`LlmClient` and calls
``complete`` or ``stream`` on it. :mod:`ridgeline.providers.llm` holds the implementation over the
``openai`` SDK; tests may hand any object with these methods instead.

Usage::

    completion = llm.complete([{"role": "user", "content": "Hi"}], max_tokens=20)
    completion.text, completion.usage.total_tokens
    llm.usage.totals()  # {"chat": TokenUsage(...), "caption": TokenUsage(...)}
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

# One message in the chat-completions wire format: {"role": ..., "content": str | parts}.
WireMessage = Mapping[str, Any]
EndpointKind = Literal["openai", "azure"]


@dataclass(frozen=True)
class TokenUsage:
    """Tokens counted by the endpoint over ``calls`` calls; sums with ``+``."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            calls=self.calls + other.calls,
        )

    def __sub__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            prompt_tokens=self.prompt_tokens - other.prompt_tokens,
            completion_tokens=self.completion_tokens - other.completion_tokens,
            calls=self.calls - other.calls,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
            "calls": self.calls,
        }


@dataclass(frozen=True)
class Completion:
    """One reply. ``usage`` is None when the endpoint reported no token counts."""

    text: str
    model: str
    usage: TokenUsage | None = None
    finish_reason: str | None = None


class UsageLedger:
    """Token usage summed per role (``"chat"``, ``"caption"``, ``"judge"``...); thread-safe.

    One ledger is shared by every role view of a client, so a process can say what each role
    cost since it started; :meth:`since` gives what was spent after an earlier :meth:`totals`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_role: dict[str, TokenUsage] = {}

    def record(self, role: str, usage: TokenUsage) -> None:
        with self._lock:
            self._by_role[role] = self._by_role.get(role, TokenUsage()) + usage

    def totals(self) -> dict[str, TokenUsage]:
        with self._lock:
            return dict(self._by_role)

    def since(self, earlier: Mapping[str, TokenUsage]) -> dict[str, TokenUsage]:
        now = self.totals()
        spent = {role: usage - earlier.get(role, TokenUsage()) for role, usage in now.items()}
        return {role: usage for role, usage in spent.items() if usage.calls}


@runtime_checkable
class LlmClient(Protocol):
    """A configured chat-completions model for one role; per-call options override its defaults.

    ``temperature``/``seed`` None: the client's configured value; ``max_tokens`` None: the
    endpoint's limit. Failures raise :class:`ridgeline.errors.ModelError` naming the role and
    model, after the client's own retries.
    """

    model: str
    role: str
    usage: UsageLedger

    def complete(
        self,
        messages: Sequence[WireMessage],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        seed: int | None = None,
        response_format: Mapping[str, Any] | None = None,
    ) -> Completion: ...

    def stream(
        self,
        messages: Sequence[WireMessage],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        seed: int | None = None,
    ) -> Iterator[str | Completion]:
        """Text deltas as they arrive, then the whole :class:`Completion`."""
        ...

    def for_role(
        self, role: str, *, model: str | None = None, temperature: float | None = None
    ) -> LlmClient:
        """The same endpoint and ledger for another role (a caption model, a judge...)."""
        ...


class LlmConfig(BaseModel):
    """Where and how to reach the chat-completions endpoint; one policy for every role.

    ``endpoint="openai"``: OpenAI, or any compatible server at ``base_url`` (Ollama, vLLM,
    llama.cpp, Azure's v1 endpoint). ``endpoint="azure"``: Azure OpenAI at ``azure_endpoint``,
    where ``model`` is the deployment name and ``api_version`` is sent with every call.
    Retries (429, 5xx, timeouts, with the server's ``Retry-After``) are the SDK's own.
    """

    model_config = ConfigDict(frozen=True)

    endpoint: EndpointKind = "openai"
    model: str
    base_url: str | None = None
    azure_endpoint: str | None = None
    api_key: SecretStr | None = None
    api_version: str = "2024-10-21"
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=2, ge=0, le=10)
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    seed: int | None = None

    @model_validator(mode="after")
    def _azure_has_an_endpoint(self) -> LlmConfig:
        if self.endpoint == "azure" and not self.azure_endpoint:
            raise ValueError("an Azure OpenAI endpoint needs azure_endpoint (its https URL)")
        return self
