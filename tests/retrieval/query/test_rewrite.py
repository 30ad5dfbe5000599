from __future__ import annotations

from collections.abc import Sequence

import pytest

from retrieval.query.rewrite import (
    LlmQueryRewriter,
    is_follow_up,
    rewrite_with_rules,
    subject_of,
)
from ridgeline.errors import ModelError
from ridgeline.types import Answer, ChatMessage, SearchHit


def _conversation(*turns: str) -> list[ChatMessage]:
    roles = ["user", "assistant"]
    return [ChatMessage(role=roles[i % 2], content=text) for i, text in enumerate(turns)]


class ScriptedModel:
    """A ChatModel that replies with a fixed text and records the prompts it was given."""

    name = "scripted"

    def __init__(self, reply: str | Exception) -> None:
        self.reply = reply
        self.prompts: list[list[ChatMessage]] = []

    def answer(self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]) -> Answer:
        self.prompts.append(list(messages))
        if isinstance(self.reply, Exception):
            raise self.reply
        return Answer(text=self.reply)


def test_a_pronoun_is_replaced_by_the_earlier_subject() -> None:
    messages = _conversation(
        "Tell me about the Ptarmigan 2 tent", "It is a light two-person tent.", "How much is it?"
    )
    assert rewrite_with_rules(messages) == "How much is the Ptarmigan 2 tent?"


def test_a_possessive_pronoun_becomes_a_possessive() -> None:
    messages = _conversation("What does the Northwind Standard plan cover?", "...", "Its limits?")
    assert rewrite_with_rules(messages) == "The Northwind Standard plan's limits?"


def test_an_elliptic_follow_up_gets_the_subject_appended() -> None:
    messages = _conversation("Tell me about the TrailMaster X4 Tent", "...", "and the price?")
    assert rewrite_with_rules(messages) == "and the price? TrailMaster X4 Tent"


def test_without_a_name_the_content_words_are_carried() -> None:
    messages = _conversation("what is a deductible", "...", "how much is that")
    assert rewrite_with_rules(messages) == "how much is the deductible"


def test_a_standalone_question_is_left_alone() -> None:
    messages = _conversation(
        "Tell me about the Ptarmigan 2 tent", "...", "Is there a backpack that fits a laptop?"
    )
    assert rewrite_with_rules(messages) == "Is there a backpack that fits a laptop?"


def test_a_question_naming_its_own_subject_is_not_a_follow_up() -> None:
    assert not is_follow_up("Is the TrailMaster X4 Tent waterproof, and how heavy is it?")
    assert is_follow_up("How heavy is it?")


def test_the_first_question_is_returned_as_asked() -> None:
    assert rewrite_with_rules(_conversation("How much is it?")) == "How much is it?"


def test_subject_of_prefers_a_name_over_sentence_initial_words() -> None:
    assert subject_of("Tell me about the Ptarmigan 2 tent") == "Ptarmigan 2 tent"
    assert subject_of("which boots are waterproof") == "boots waterproof"


def test_a_conversation_without_a_user_turn_is_rejected() -> None:
    with pytest.raises(ValueError, match="no user message"):
        rewrite_with_rules([ChatMessage(role="assistant", content="Hello")])


def test_llm_rewrite_is_grounded_in_the_conversation() -> None:
    model = ScriptedModel('Query: "price of the Ptarmigan 2 tent"\n')
    messages = _conversation("Tell me about the Ptarmigan 2 tent", "A tent.", "How much is it?")
    assert LlmQueryRewriter(model=model).rewrite(messages) == "price of the Ptarmigan 2 tent"
    prompt = model.prompts[0]
    assert prompt[0].role == "system" and "standalone search query" in prompt[0].content
    assert "Ptarmigan 2 tent" in prompt[1].content and "How much is it?" in prompt[1].content


def test_llm_rewrite_keeps_only_the_recent_turns() -> None:
    model = ScriptedModel("q")
    messages = _conversation("first question", "a1", "second question", "a2", "third")
    LlmQueryRewriter(model=model, history_turns=2).rewrite(messages)
    assert "first question" not in model.prompts[0][1].content
    assert "a2" in model.prompts[0][1].content


@pytest.mark.parametrize("reply", [ModelError("endpoint down"), "", "   \n  ", "x" * 400])
def test_llm_rewrite_gives_none_when_the_model_fails_or_rambles(reply: str | Exception) -> None:
    messages = _conversation("How much is it?")
    assert LlmQueryRewriter(model=ScriptedModel(reply)).rewrite(messages) is None
