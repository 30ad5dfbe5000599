from chat.models.extractive import DONT_KNOW, ExtractiveAnswerer
from ridgeline.types import ChatMessage
from tests.chat.fakes import make_hit

SOURCES = [
    make_hit("tent.md", "The TrailMaster tent is waterproof to 3,000 mm. It sleeps four."),
    make_hit("store.md", "Pets are not allowed in the store. Parking is free."),
    make_hit("plan.pdf#page=4", "Employees and their children are eligible for the Plus plan."),
    make_hit("plan.pdf#page=9", "Prior authorization is required for surgery."),
]


def ask(question: str) -> str:
    return ExtractiveAnswerer().answer([ChatMessage(role="user", content=question)], SOURCES).text


def test_evidence_that_states_what_is_asked_is_phrased_as_yes():
    assert ask("Is the TrailMaster tent waterproof?") == (
        "Yes: The TrailMaster tent is waterproof to 3,000 mm. [tent.md]"
    )


def test_another_form_of_an_asked_word_still_states_it():
    assert ask("Are there requirements for prior authorization of surgery?") == (
        "Yes: Prior authorization is required for surgery. [plan.pdf#page=9]"
    )


def test_negated_evidence_is_quoted_without_a_yes():
    assert ask("Are pets allowed in the store?") == (
        "Pets are not allowed in the store. [store.md]"
    )


def test_a_word_asked_about_that_no_source_mentions_gets_a_refusal():
    assert ask("Are domestic partners eligible for the Plus plan?") == DONT_KNOW


def test_one_asked_word_missing_from_the_sources_is_only_phrasing():
    assert ask("Can employees bring their children into the Plus plan?").startswith(
        "Employees and their children are eligible for the Plus plan."
    )


def test_a_question_with_a_negation_is_not_answered_yes_by_a_sentence_with_its_words():
    assert ask("Is prior authorization not required for surgery?") == (
        "Prior authorization is required for surgery. [plan.pdf#page=9]"
    )
