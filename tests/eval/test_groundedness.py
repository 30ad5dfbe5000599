import pytest

from eval.groundedness import content_words, groundedness_proxy, sentences


def test_sentences_split_after_end_marks_and_drop_citations():
    assert sentences("One here.[a.pdf#page=1] Two there! Three?") == [
        "One here.",
        "Two there!",
        "Three?",
    ]


def test_content_words_skip_short_and_stop_words():
    assert content_words("The plan covers eye exams for you") == {"plan", "covers", "eye", "exams"}


def test_half_the_sentences_are_supported_by_hand():
    # sentence 1: dogs, bark, loudly -> all 3 in the context; sentence 2: cats, fly -> 0 of 2
    answer = "Dogs bark loudly.[a.pdf#page=1] Cats fly."
    assert groundedness_proxy(answer, ["dogs bark very loudly at night"]) == 0.5


def test_support_must_come_from_one_context_at_the_threshold():
    # content words: plan, covers, dental, vision -> 2 of 4 in each context, below 0.6
    answer = "The plan covers dental and vision."
    contexts = ["plan covers", "dental vision"]
    assert groundedness_proxy(answer, contexts) == 0.0
    assert groundedness_proxy(answer, contexts, threshold=0.5) == 1.0


def test_nothing_to_judge_is_none():
    assert groundedness_proxy("Dogs bark.", []) is None
    assert groundedness_proxy("", ["dogs"]) is None
    assert groundedness_proxy("It is.", ["dogs"]) is None  # no content word


@pytest.mark.parametrize("threshold", [0.6, 0.9])
def test_a_restated_source_is_fully_grounded(threshold: float):
    context = "In-network providers accept the payment Northwind Health offers."
    assert groundedness_proxy(context, [context], threshold=threshold) == 1.0
