"""A chat model behind any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI,
Ollama, vLLM, llama.cpp server), answering from a grounded prompt, streamed or not.

Usage::

    model = OpenAIChatModel(
        client_factory=lambda: OpenAI(base_url="http://127.0.0.1:11434/v1", api_key="unused"),
        model="llama3.1",
        temperature=0.0,
    )
    answer = model.answer(messages, hits)
    for piece in model.stream(messages, hits): ...  # text pieces, then the Answer
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import openai

from chat.citations import find_citations
from chat.images import file_data_url
from chat.prompts import ImageLoader, PromptOptions, build_grounded_messages
from ridgeline.errors import ModelError
from ridgeline.types import Answer, ChatMessage, SearchHit


@dataclass(frozen=True)
class GenerationOptions:
    temperature: float
    seed: int | None = None
    prompt: PromptOptions = field(default_factory=PromptOptions)


class OpenAIChatModel:
    """Answers through ``client.chat.completions.create``; the client is made by
    ``client_factory`` on first use and shared by the copies ``with_options`` makes.

    ``vision=True`` sends the user's attached images and the sources' images as image parts.
    """

    def __init__(
        self,
        *,
        client_factory: Callable[[], Any],
        model: str,
        temperature: float,
        seed: int | None = None,
        vision: bool = False,
        load_image: ImageLoader = file_data_url,
    ) -> None:
        self.name = model
        self.model = model
        self.vision = vision
        self.options = GenerationOptions(
            temperature=temperature, seed=seed, prompt=PromptOptions(vision=vision)
        )
        self._load_image = load_image
        self._client_factory = client_factory
        self._client: Any = None

    @property
    def temperature(self) -> float:
        return self.options.temperature

    @property
    def seed(self) -> int | None:
        return self.options.seed

    def with_options(
        self,
        *,
        temperature: float | None,
        seed: int | None,
        prompt_template: str | None = None,
        suggest_followups: bool = False,
    ) -> OpenAIChatModel:
        """A copy with per-request generation options; ``None`` keeps this model's value."""
        copy = OpenAIChatModel(
            client_factory=self.client,
            model=self.model,
            temperature=self.temperature,
            vision=self.vision,
            load_image=self._load_image,
        )
        prompt = replace(
            self.options.prompt, template=prompt_template, suggest_followups=suggest_followups
        )
        copy.options = GenerationOptions(
            temperature=self.temperature if temperature is None else temperature,
            seed=self.seed if seed is None else seed,
            prompt=prompt,
        )
        return copy

    def client(self) -> Any:
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def request(
        self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]
    ) -> dict[str, Any]:
        """The exact chat-completions request body this model sends."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": build_grounded_messages(
                messages, sources, options=self.options.prompt, load_image=self._load_image
            ),
            "temperature": self.options.temperature,
        }
        if self.options.seed is not None:
            body["seed"] = self.options.seed
        return body

    def answer(self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]) -> Answer:
        try:
            completion = self.client().chat.completions.create(**self.request(messages, sources))
        except openai.OpenAIError as exc:
            raise self._error(exc) from exc
        return self._to_answer(completion)

    def stream(
        self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]
    ) -> Iterator[str | Answer]:
        """Text deltas as the endpoint sends them, then the Answer with the token usage."""
        body = self.request(messages, sources)
        body.update(stream=True, stream_options={"include_usage": True})
        pieces: list[str] = []
        usage: Any = None
        model = self.model
        try:
            for chunk in self.client().chat.completions.create(**body):
                model = chunk.model or model
                usage = chunk.usage or usage
                delta = chunk.choices[0].delta.content if chunk.choices else None
                if delta:
                    pieces.append(delta)
                    yield delta
        except openai.OpenAIError as exc:
            raise self._error(exc) from exc
        text = "".join(pieces)
        yield _answer(text, usage, model)

    def _error(self, exc: openai.OpenAIError) -> ModelError:
        if isinstance(exc, openai.APITimeoutError):
            return ModelError(f"chat model {self.model!r} timed out: {exc}")
        if isinstance(exc, openai.APIConnectionError):
            return ModelError(f"chat model {self.model!r} could not be reached: {exc}")
        return ModelError(f"chat model {self.model!r} failed: {exc}")

    def _to_answer(self, completion: Any) -> Answer:
        if not completion.choices:
            raise ModelError(f"chat model {self.model!r} returned no choices")
        text = completion.choices[0].message.content or ""
        return _answer(text, completion.usage, completion.model or self.model)


def _answer(text: str, usage: Any, model: str) -> Answer:
    return Answer(
        text=text,
        citations=find_citations(text),
        prompt_tokens=usage.prompt_tokens if usage else None,
        completion_tokens=usage.completion_tokens if usage else None,
        model=model,
    )
