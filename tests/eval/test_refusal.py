import pytest

from eval.refusal import is_refusal


@pytest.mark.parametrize(
    "answer",
    [
        "I don't know: the indexed sources do not contain an answer to this question.",
        "I do not know.",
        "I\u2019m sorry, I can\u2019t answer that from the documents.",
        "The sources do not mention the Platinum plan.",
        "There is not enough information to say.",
        "",
    ],
)
def test_refusals_are_recognised(answer: str):
    assert is_refusal(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "The deductible is $500.[plan.pdf#page=3]",
        "Unknown costs are covered by the plan.",
        "You should know the in-network rules.[plan.pdf#page=8]",
    ],
)
def test_answers_are_not_refusals(answer: str):
    assert not is_refusal(answer)
