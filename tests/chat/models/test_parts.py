"""Multi-part questions: each part answered from the sources and cited, or said unanswered."""

from chat.models.extractive import DONT_KNOW, ExtractiveAnswerer
from ridgeline.types import ChatMessage
from tests.chat.fakes import make_hit

SOURCES = [
    make_hit(
        "plan.pdf#page=3",
        "Balance billing is when a provider bills you for the rest of its charge. "
        "Claims are filed by the provider.",
    ),
    make_hit(
        "plan.pdf#page=9",
        "The Standard plan protects you from balance billing by in-network providers. "
        "Emergency care is covered worldwide.",
    ),
]


def ask(question: str) -> str:
    return ExtractiveAnswerer().answer([ChatMessage(role="user", content=question)], SOURCES).text


def test_each_part_is_answered_and_cited_in_order() -> None:
    answer = ask("What is balance billing and how does the Standard plan protect against it?")
    assert answer == (
        "Balance billing is when a provider bills you for the rest of its charge. "
        "[plan.pdf#page=3] "
        "The Standard plan protects you from balance billing by in-network providers. "
        "[plan.pdf#page=9]"
    )


def test_a_part_the_sources_do_not_answer_is_said_so() -> None:
    answer = ask("Is emergency care covered worldwide? What is the capital of Peru?")
    # The yes/no part is answered as one (the sentence states every asked word).
    assert answer.startswith("Yes: Emergency care is covered worldwide. [plan.pdf#page=9]")
    assert answer.endswith('Nothing in the sources found answers "What is the capital of Peru".')


def test_no_part_answered_is_a_plain_dont_know() -> None:
    assert ask("What is the capital of Peru and who wrote Hamlet?") == DONT_KNOW
