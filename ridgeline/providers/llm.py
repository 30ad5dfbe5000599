"""The one chat-completions client every LLM role uses, over the ``openai`` SDK.

OpenAI, Azure OpenAI and any OpenAI-compatible server (Ollama, vLLM, llama.cpp) are reached the
same way; retries and timeouts are the SDK's own (``max_retries`` with exponential backoff that
honours ``Retry-After``; ``timeout`` per attempt), so there is one policy, set in one place.
The SDK client is built on first use and shared by the role views ``for_role`` makes, with one
:class:`UsageLedger`.

Usage::

    llm = OpenAICompatibleClient(LlmConfig(model="llama3.1", base_url="http://127.0.0.1:11434/v1"))
    llm.complete([{"role": "user", "content": "Hi"}], max_tokens=20).text
    captions = llm.for_role("caption", model="gpt-4o-mini")

From settings (``RIDGELINE_OPENAI_*`` or ``RIDGELINE_AZURE_OPENAI_*``, see docs/llm.md): see
:mod:`ridgeline.providers.llm_settings`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import openai

from ridgeline.errors import ModelError
from ridgeline.providers.llm_types import (
    Completion,
    LlmConfig,
    TokenUsage,
    UsageLedger,
    WireMessage,
)

_log = logging.getLogger(__name__)


class Connection:
    """The SDK client for one configuration, made on first use, and its usage ledger."""

    def __init__(self, config: LlmConfig) -> None:
        self.config = config
        self.usage = UsageLedger()
        self._lock = threading.Lock()
        self._client: openai.OpenAI | None = None

    def client(self) -> openai.OpenAI:
        with self._lock:
            if self._client is None:
                self._client = _sdk_client(self.config)
            return self._client


def _sdk_client(config: LlmConfig) -> openai.OpenAI:
    # Local servers need no key, but the SDK insists on one.
    key = config.api_key.get_secret_value() if config.api_key else "not-needed"
    common: dict[str, Any] = {
        "api_key": key,
        "timeout": config.timeout_s,
        "max_retries": config.max_retries,
    }
    if config.endpoint == "azure":
        assert config.azure_endpoint is not None  # LlmConfig refuses an Azure config without one
        return openai.AzureOpenAI(
            azure_endpoint=config.azure_endpoint, api_version=config.api_version, **common
        )
    return openai.OpenAI(base_url=config.base_url, **common)


class OpenAICompatibleClient:
    """An :class:`ridgeline.providers.llm_types.LlmClient` over the ``openai`` SDK.

    ``role`` names the caller in errors and in the usage ledger (``"chat"``, ``"judge"``...);
    ``connection``: share the SDK client and ledger of another client (``for_role`` does).
    """

    def __init__(
        self, config: LlmConfig, *, role: str = "chat", connection: Connection | None = None
    ) -> None:
        self.config = config
        self.model = config.model
        self.role = role
        self._connection = connection or Connection(config)
        self.usage = self._connection.usage

    def for_role(
        self, role: str, *, model: str | None = None, temperature: float | None = None
    ) -> OpenAICompatibleClient:
        """The same endpoint, SDK client and ledger; another role, model or temperature."""
        changes: dict[str, Any] = {}
        if model is not None:
            changes["model"] = model
        if temperature is not None:
            changes["temperature"] = temperature
        config = self.config.model_copy(update=changes)
        return OpenAICompatibleClient(config, role=role, connection=self._connection)

    def request(
        self,
        messages: Sequence[WireMessage],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        seed: int | None = None,
        response_format: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The exact chat-completions body a call sends: model, messages, temperature, and
        seed, max_tokens and response_format only when set."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [dict(message) for message in messages],
            "temperature": self.config.temperature if temperature is None else temperature,
        }
        chosen_seed = self.config.seed if seed is None else seed
        optional: dict[str, Any] = {
            "seed": chosen_seed,
            "max_tokens": max_tokens,
            "response_format": dict(response_format) if response_format else None,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        return body

    def complete(
        self,
        messages: Sequence[WireMessage],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        seed: int | None = None,
        response_format: Mapping[str, Any] | None = None,
    ) -> Completion:
        body = self.request(
            messages,
            max_tokens=max_tokens,
            temperature=temperature,
            seed=seed,
            response_format=response_format,
        )
        started = time.perf_counter()
        try:
            reply = self._connection.client().chat.completions.create(**body)
        except openai.OpenAIError as exc:
            raise self._error(exc) from exc
        if not reply.choices:
            raise ModelError(f"{self.role} model {self.model!r} returned no choices")
        choice = reply.choices[0]
        completion = Completion(
            text=choice.message.content or "",
            model=reply.model or self.model,
            usage=_usage(reply.usage),
            finish_reason=choice.finish_reason,
        )
        self._account(completion, started)
        return completion

    def stream(
        self,
        messages: Sequence[WireMessage],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        seed: int | None = None,
    ) -> Iterator[str | Completion]:
        body = self.request(messages, max_tokens=max_tokens, temperature=temperature, seed=seed)
        body.update(stream=True, stream_options={"include_usage": True})
        started = time.perf_counter()
        pieces: list[str] = []
        usage: Any = None
        model, finish = self.model, None
        try:
            for chunk in self._connection.client().chat.completions.create(**body):
                model = chunk.model or model
                usage = chunk.usage or usage
                if not chunk.choices:
                    continue
                finish = chunk.choices[0].finish_reason or finish
                delta = chunk.choices[0].delta.content
                if delta:
                    pieces.append(delta)
                    yield delta
        except openai.OpenAIError as exc:
            raise self._error(exc) from exc
        completion = Completion(
            text="".join(pieces), model=model, usage=_usage(usage), finish_reason=finish
        )
        self._account(completion, started)
        yield completion

    def _account(self, completion: Completion, started: float) -> None:
        usage = completion.usage or TokenUsage(calls=1)
        self.usage.record(self.role, usage)
        _log.debug(
            "llm call role=%s model=%s prompt_tokens=%d completion_tokens=%d seconds=%.3f",
            self.role,
            completion.model,
            usage.prompt_tokens,
            usage.completion_tokens,
            time.perf_counter() - started,
        )

    def _error(self, exc: openai.OpenAIError) -> ModelError:
        who = f"{self.role} model {self.model!r}"
        if isinstance(exc, openai.APITimeoutError):
            return ModelError(f"{who} timed out: {exc}")
        if isinstance(exc, openai.APIConnectionError):
            return ModelError(f"{who} could not be reached: {exc}")
        return ModelError(f"{who} failed: {exc}")


def _usage(usage: Any) -> TokenUsage | None:
    if usage is None or usage.prompt_tokens is None:
        return None
    return TokenUsage(
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens or 0,
        calls=1,
    )
