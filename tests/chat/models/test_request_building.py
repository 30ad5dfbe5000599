"""A chat model declares that it builds an inspectable request (a Protocol, not a probe); the
thoughts then show that request's messages as the prompt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chat.models.request_building import RequestBuildingChatModel
from chat.protocol import ChatRequest
from chat.service import ChatService
from ridgeline.types import ChatMessage, SearchHit
from tests.chat.fakes import FakeRetriever, ScriptedChatModel, make_hit


@dataclass
class PromptingModel(ScriptedChatModel):
    def request(
        self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]
    ) -> dict[str, Any]:
        return {"messages": [{"role": "user", "content": f"{len(sources)} sources"}]}


def prompt_thought(model: ScriptedChatModel) -> Any:
    retriever = FakeRetriever(hits=[make_hit("a.md", "Tents are green.")])
    body = {"messages": [{"role": "user", "content": "What colour are tents?"}]}
    response = ChatService(retriever=retriever, model=model).chat(ChatRequest.model_validate(body))
    (thought,) = [t for t in response.context.thoughts if t.title == "Prompt to generate answer"]
    return thought.description


def test_a_model_that_builds_its_request_shows_it_as_the_prompt():
    model = PromptingModel("Green. [a.md]")
    assert isinstance(model, RequestBuildingChatModel)
    assert prompt_thought(model) == [{"role": "user", "content": "1 sources"}]


def test_a_model_without_a_request_says_no_prompt_is_sent():
    model = ScriptedChatModel("Green. [a.md]")
    assert not isinstance(model, RequestBuildingChatModel)
    assert "no prompt is sent to an LLM" in prompt_thought(model)
