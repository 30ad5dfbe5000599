from __future__ import annotations

from bench.exact_terms import ExactTermWeighting, has_exact_terms
from tests.chat.fakes import FakeRetriever


def test_numbers_quotes_and_acronyms_are_exact_terms_plain_words_are_not() -> None:
    assert has_exact_terms("Is the X4 tent waterproof?")
    assert has_exact_terms('What does "balance billing" mean?')
    assert has_exact_terms("Does the PPO cover dental?")
    assert not has_exact_terms("How do I appeal a denied claim?")


def test_a_word_the_corpus_rarely_holds_counts_when_asked_to() -> None:
    counts = {"mastectomy": 2, "claim": 40}
    question = "Is a mastectomy covered?"
    assert not has_exact_terms(question, counts)
    assert has_exact_terms(question, counts, rare_count=3)
    assert not has_exact_terms("Is a claim covered?", counts, rare_count=3)


def test_bm25_is_weighted_only_for_exact_term_questions_and_a_named_weight_wins() -> None:
    recorder = FakeRetriever(hits=[])
    retriever = ExactTermWeighting(recorder, text_weight=2.0)
    retriever.search("Does the PPO cover dental?", mode="hybrid", top=5)
    retriever.search("How do I appeal?", mode="hybrid", top=5)
    retriever.search("Does the PPO cover this?", mode="hybrid", top=5, weights={"text": 1.0})
    assert [call.weights for call in recorder.calls] == [{"text": 2.0}, None, {"text": 1.0}]
