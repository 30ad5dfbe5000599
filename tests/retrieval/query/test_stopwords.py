from __future__ import annotations

from retrieval.query.stopwords import content_words, without_stop_words


def test_function_words_are_dropped_and_negations_kept() -> None:
    assert content_words("What is NOT covered by the plan?") == ["not", "covered", "plan"]


def test_a_query_of_only_stop_words_is_kept_whole() -> None:
    assert without_stop_words("What is it?") == "What is it?"
    assert without_stop_words("Is the deductible waived?") == "deductible waived"
