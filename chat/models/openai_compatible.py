"""A chat model behind any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI,
Ollama, vLLM, llama.cpp server), answering from a grounded prompt, streamed or not.

It builds the grounded prompt and reads citations; the endpoint, retries, timeout, seed and token
accounting are the :class:`ridgeline.providers.llm_types.LlmClient` it is given.

Usage::

    llm = OpenAICompatibleClient(LlmConfig(model="llama3.1", base_url="http://127.0.0.1:11434/v1"))
    model = OpenAIChatModel(llm=llm)
    answer = model.answer(messages, hits)
    for piece in model.stream(messages, hits): ...  # text pieces, then the Answer
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from chat.citations import find_citations
from chat.images import file_data_url
from chat.models.facts_block import facts_block
from chat.prompts import ImageLoader, PromptOptions, build_grounded_messages
from ridgeline.providers.llm_types import Completion, LlmClient
from ridgeline.types import Answer, ChatMessage, SearchHit


@dataclass(frozen=True)
class GenerationOptions:
    """Per-model generation options; None: the LLM client's configured value."""

    temperature: float | None = None
    seed: int | None = None
    prompt: PromptOptions = field(default_factory=PromptOptions)


class OpenAIChatModel:
    """Answers through ``llm``; the copies ``with_options`` makes share it.

    ``vision=True`` sends the user's attached images and the sources' images as image parts.
    """

    def __init__(
        self,
        *,
        llm: LlmClient,
        temperature: float | None = None,
        seed: int | None = None,
        vision: bool = False,
        load_image: ImageLoader = file_data_url,
    ) -> None:
        self.llm = llm
        self.name = llm.model
        self.model = llm.model
        self.vision = vision
        self.options = GenerationOptions(
            temperature=temperature, seed=seed, prompt=PromptOptions(vision=vision)
        )
        self._load_image = load_image

    @property
    def temperature(self) -> float | None:
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
        copy = OpenAIChatModel(llm=self.llm, vision=self.vision, load_image=self._load_image)
        prompt = replace(
            self.options.prompt, template=prompt_template, suggest_followups=suggest_followups
        )
        copy.options = GenerationOptions(
            temperature=self.temperature if temperature is None else temperature,
            seed=self.seed if seed is None else seed,
            prompt=prompt,
        )
        return copy

    def request(
        self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]
    ) -> dict[str, Any]:
        """The grounded messages and this model's own options (the client adds its defaults)."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": build_grounded_messages(
                messages,
                sources,
                options=self.options.prompt,
                load_image=self._load_image,
                # What the offline composers compute, so the model gets the same facts.
                facts=facts_block(messages, sources),
            ),
        }
        options = {"temperature": self.options.temperature, "seed": self.options.seed}
        body.update({key: value for key, value in options.items() if value is not None})
        return body

    def answer(self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]) -> Answer:
        body = self.request(messages, sources)
        completion = self.llm.complete(
            body["messages"], temperature=self.options.temperature, seed=self.options.seed
        )
        return _answer(completion)

    def stream(
        self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]
    ) -> Iterator[str | Answer]:
        """Text deltas as the endpoint sends them, then the Answer with the token usage."""
        body = self.request(messages, sources)
        events = self.llm.stream(
            body["messages"], temperature=self.options.temperature, seed=self.options.seed
        )
        for event in events:
            yield _answer(event) if isinstance(event, Completion) else event


def _answer(completion: Completion) -> Answer:
    usage = completion.usage
    return Answer(
        text=completion.text,
        citations=find_citations(completion.text),
        prompt_tokens=usage.prompt_tokens if usage else None,
        completion_tokens=usage.completion_tokens if usage else None,
        model=completion.model,
    )
