from __future__ import annotations

import pytest

from retrieval.query.rewrite import (
    LlmQueryRewriter,
    is_follow_up,
    rewrite_with_rules,
    subject_of,
)
from ridgeline.errors import ModelError
from ridgeline.providers.llm import OpenAICompatibleClient
from ridgeline.providers.llm_types import LlmConfig
from ridgeline.types import ChatMessage
from tests.ridgeline.providers.chat_completions_server import chat_completions_server
from tests.ridgeline.providers.fake_llm import ScriptedLlm


def _conversation(*turns: str) -> list[ChatMessage]:
    roles = ["user", "assistant"]
    return [ChatMessage(role=roles[i % 2], content=text) for i, text in enumerate(turns)]


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
    llm = ScriptedLlm('Query: "price of the Ptarmigan 2 tent"\n')
    messages = _conversation("Tell me about the Ptarmigan 2 tent", "A tent.", "How much is it?")
    assert LlmQueryRewriter(llm=llm).rewrite(messages) == "price of the Ptarmigan 2 tent"
    prompt, options = llm.calls[0]
    assert prompt[0]["role"] == "system" and "standalone search query" in prompt[0]["content"]
    assert "Ptarmigan 2 tent" in prompt[1]["content"] and "How much is it?" in prompt[1]["content"]
    assert options["max_tokens"] == 100  # a query, not an essay


def test_llm_rewrite_keeps_only_the_recent_turns() -> None:
    llm = ScriptedLlm("q")
    messages = _conversation("first question", "a1", "second question", "a2", "third")
    LlmQueryRewriter(llm=llm, history_turns=2).rewrite(messages)
    assert "first question" not in llm.calls[0][0][1]["content"]
    assert "a2" in llm.calls[0][0][1]["content"]


@pytest.mark.parametrize("reply", [ModelError("endpoint down"), "", "   \n  ", "x" * 400])
def test_llm_rewrite_gives_none_when_the_model_fails_or_rambles(reply: str | Exception) -> None:
    messages = _conversation("How much is it?")
    assert LlmQueryRewriter(llm=ScriptedLlm(reply)).rewrite(messages) is None


@pytest.mark.integration
def test_llm_rewrite_through_the_sdk_and_a_dead_endpoint_falls_back_to_none() -> None:
    """The real openai SDK against a local chat-completions server, then against nothing."""
    messages = _conversation("Tell me about the Ptarmigan 2 tent", "A tent.", "How much is it?")
    with chat_completions_server() as server:
        server.reply = "Ptarmigan 2 tent price"
        config = LlmConfig(model="m", base_url=server.base_url, max_retries=0, seed=1)
        llm = OpenAICompatibleClient(config, role="query rewrite")
        assert LlmQueryRewriter(llm=llm).rewrite(messages) == "Ptarmigan 2 tent price"
    body = server.requests[0].body
    assert (body["max_tokens"], body["seed"], body["temperature"]) == (100, 1, 0.0)
    assert llm.usage.totals()["query rewrite"].calls == 1
    dead = LlmConfig(model="m", base_url="http://127.0.0.1:9/v1", max_retries=0)
    assert LlmQueryRewriter(llm=OpenAICompatibleClient(dead)).rewrite(messages) is None
