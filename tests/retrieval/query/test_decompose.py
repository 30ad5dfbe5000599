from __future__ import annotations

import pytest

from retrieval.query.decompose import (
    LlmDecomposer,
    RuleDecomposer,
    compared_sides,
    decompose_with_rules,
    parts_from_reply,
)
from ridgeline.errors import ModelError
from tests.ridgeline.providers.fake_llm import ScriptedLlm


def test_two_questions_joined_by_and_are_two_parts() -> None:
    parts = decompose_with_rules("What is balance billing and how is it prevented?")
    assert parts == ["What is balance billing", "how is it prevented balance billing"]


def test_a_noun_pair_joined_by_and_stays_one_part() -> None:
    question = "What are the differences between in-network and out-of-network providers?"
    assert decompose_with_rules(question) == [question]


def test_several_question_marks_give_several_parts() -> None:
    parts = decompose_with_rules("What is the deductible? What is the copay for ER visits?")
    assert parts == ["What is the deductible?", "What is the copay for ER visits?"]


def test_a_comma_before_a_question_word_cuts() -> None:
    parts = decompose_with_rules(
        "Which tents are waterproof, and how much does the Ptarmigan cost?"
    )
    assert parts == ["Which tents are waterproof", "how much does the Ptarmigan cost?"]


def test_a_vague_part_borrows_the_subject_of_the_first() -> None:
    parts = decompose_with_rules("What does hospice care cover and what are the exceptions?")
    assert parts[1] == "what are the exceptions hospice care cover"


def test_a_blank_question_has_no_parts() -> None:
    assert decompose_with_rules("   ") == []


def test_at_most_four_parts() -> None:
    question = " ".join(f"What is item number {n}?" for n in range(6))
    assert len(decompose_with_rules(question)) == 4


def test_the_llm_parts_are_cleaned_of_bullets_and_labels() -> None:
    llm = ScriptedLlm("1. balance billing definition\n- Standard plan balance billing protection\n")
    parts = LlmDecomposer(llm=llm).decompose("What is balance billing and how is it prevented?")
    assert parts == ["balance billing definition", "Standard plan balance billing protection"]
    assert "Question: What is balance billing" in llm.calls[0][0][1]["content"]


@pytest.mark.parametrize("reply", [ModelError("endpoint down"), "", "x" * 2000])
def test_the_rules_answer_when_the_llm_fails_or_rambles(reply: str | Exception) -> None:
    question = "What is the deductible? What is the copay?"
    assert LlmDecomposer(llm=ScriptedLlm(reply)).decompose(question) == decompose_with_rules(
        question
    )


def test_parts_from_a_reply_skip_one_word_lines() -> None:
    assert parts_from_reply("Parts\nwhat is coinsurance\n") == ["what is coinsurance"]


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        (
            "Compare the CozyNights and MountainDream sleeping bags.",
            ["CozyNights", "MountainDream sleeping bags"],
        ),
        (
            "compare the Ptarmigan 2 Tent with the Meadow 3 Tent",
            ["Ptarmigan 2 Tent", "Meadow 3 Tent"],
        ),
        ("TrailMaster X4 vs SkyView tent?", ["TrailMaster X4", "SkyView tent"]),
        (
            "What are the differences between in-network and out-of-network providers?",
            ["in-network", "out-of-network providers"],
        ),
        (
            "Which is better, the Ridge Tent versus the Alpine Explorer?",
            ["Ridge Tent", "Alpine Explorer"],
        ),
    ],
)
def test_the_two_sides_of_a_comparison_are_searched_apart(question: str, sides: list[str]):
    assert compared_sides(question) == sides
    assert RuleDecomposer().decompose(question) == sides


def test_a_comparison_is_still_one_question_to_answer_and_other_questions_are_no_comparison():
    # The answerer composes a comparison from both sides' sources: it is not split for answers.
    assert decompose_with_rules("Compare the Ridge and Meadow tents") == [
        "Compare the Ridge and Meadow tents"
    ]
    for question in [
        "How do I compare prices?",
        "Compare prices of tents",
    ]:
        assert compared_sides(question) == []


def test_a_comparison_followed_by_another_question_is_split_into_the_questions():
    question = "What is the difference between the Ridge and the Meadow? How do I pitch the Ridge?"
    assert RuleDecomposer().decompose(question) == decompose_with_rules(question)
    assert len(decompose_with_rules(question)) == 2


def test_a_side_of_only_pronouns_or_stop_words_is_nothing_to_search_apart():
    for question in ["Compare it with that", "Compare the and the", "this vs that"]:
        assert compared_sides(question) == []
        assert RuleDecomposer().decompose(question) == [question]
