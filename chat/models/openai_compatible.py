"""A chat model behind any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI,
Ollama, vLLM, llama.cpp server), answering from a grounded prompt.

Usage::

    model = OpenAIChatModel(
        client_factory=lambda: OpenAI(base_url="http://127.0.0.1:11434/v1", api_key="unused"),
        model="llama3.1",
        temperature=0.0,
    )
    answer = model.answer(messages, hits)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import openai

from chat.citations import find_citations
from chat.prompts import build_grounded_messages
from ridgeline.errors import ModelError
from ridgeline.types import Answer, ChatMessage, SearchHit


class OpenAIChatModel:
    """Answers through ``client.chat.completions.create`` (non-streaming); the client is made by
    ``client_factory`` on first use and shared by the copies ``with_options`` makes."""

    def __init__(
        self,
        *,
        client_factory: Callable[[], Any],
        model: str,
        temperature: float,
        seed: int | None = None,
    ) -> None:
        self.name = model
        self.model = model
        self.temperature = temperature
        self.seed = seed
        self._client_factory = client_factory
        self._client: Any = None

    def with_options(self, *, temperature: float | None, seed: int | None) -> OpenAIChatModel:
        """A copy with per-request generation options; ``None`` keeps this model's value."""
        return OpenAIChatModel(
            client_factory=self.client,
            model=self.model,
            temperature=self.temperature if temperature is None else temperature,
            seed=self.seed if seed is None else seed,
        )

    def client(self) -> Any:
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def answer(self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]) -> Answer:
        request: dict[str, Any] = {
            "model": self.model,
            "messages": build_grounded_messages(messages, sources),
            "temperature": self.temperature,
        }
        if self.seed is not None:
            request["seed"] = self.seed
        try:
            completion = self.client().chat.completions.create(**request)
        except openai.OpenAIError as exc:
            raise ModelError(f"chat model {self.model!r} failed: {exc}") from exc
        return self._to_answer(completion)

    def _to_answer(self, completion: Any) -> Answer:
        if not completion.choices:
            raise ModelError(f"chat model {self.model!r} returned no choices")
        text = completion.choices[0].message.content or ""
        usage = completion.usage
        return Answer(
            text=text,
            citations=find_citations(text),
            prompt_tokens=usage.prompt_tokens if usage else None,
            completion_tokens=usage.completion_tokens if usage else None,
            model=completion.model or self.model,
        )
