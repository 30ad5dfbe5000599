from __future__ import annotations

import threading
import time

import pyarrow as pa
import pytest

from retrieval.query.spelling import SpellingCorrector, Vocabulary, VocabularyCache, max_edits


def _corrector(*texts: str) -> SpellingCorrector:
    return SpellingCorrector(Vocabulary.from_texts(texts))


def test_a_swapped_pair_of_letters_is_corrected_to_the_indexed_word() -> None:
    corrector = _corrector("The deductible is waived for preventive care.")
    assert corrector.correct("what is the dedutcible?") == "what is the deductible?"


def test_words_the_index_holds_are_left_as_typed() -> None:
    corrector = _corrector("Waterproof tent")
    assert corrector.correct("Waterproof TENT") == "Waterproof TENT"


def test_words_with_digits_and_very_short_words_are_never_changed() -> None:
    corrector = _corrector("size 42 boots up to 3000 m")
    assert corrector.correct("sise 43 ob 3001") == "size 43 ob 3001"


def test_a_word_far_from_every_indexed_word_stays() -> None:
    corrector = _corrector("tent stove lantern")
    assert corrector.correct("kayak") == "kayak"


def test_the_most_frequent_of_equally_close_words_wins() -> None:
    corrector = _corrector("cart cart cart", "card")
    assert corrector.correct_word("carx") == "cart"


def test_fuzziness_grows_with_word_length_like_elasticsearch_auto() -> None:
    assert [max_edits(w) for w in ("ab", "abc", "abcde", "abcdef")] == [0, 1, 1, 2]
    corrector = _corrector("insurance")
    assert corrector.correct_word("insruacne") == "insurance"  # two edits in a long word
    assert _corrector("plan").correct_word("pxxn") == "pxxn"  # two edits in a short one: no


def test_an_empty_vocabulary_corrects_nothing() -> None:
    assert _corrector().correct("anything at all") == "anything at all"


def test_vocabulary_counts_lower_cased_words_of_an_arrow_column() -> None:
    column = pa.chunked_array([["Tent, tent!", None], ["café-tent 2"]])
    vocabulary = Vocabulary.from_texts(column, version=7)
    assert dict(vocabulary.counts) == {"tent": 3, "café": 1, "2": 1}
    assert vocabulary.version == 7


class _Source:
    def __init__(self) -> None:
        self.version = 1
        self.reads = 0

    def texts(self) -> pa.Array:
        self.reads += 1
        return pa.array([f"word{self.version}"])


@pytest.fixture
def clock() -> list[float]:
    return [100.0]


def test_the_cache_recounts_only_when_the_version_moved_and_the_recheck_time_passed(
    clock: list[float],
) -> None:
    source = _Source()
    cache = VocabularyCache(recheck_s=1.0, clock=lambda: clock[0])

    def get() -> Vocabulary:
        return cache.get(version=lambda: source.version, texts=source.texts)

    first = get()
    source.version = 2
    assert get() is first  # within the recheck interval
    clock[0] += 1.5
    second = get()
    assert "word2" in second and source.reads == 2
    clock[0] += 1.5
    assert get() is second and source.reads == 2  # same version: no recount


def test_a_large_index_is_counted_in_the_background_while_queries_go_on(
    clock: list[float],
) -> None:
    source = _Source()
    release = threading.Event()

    def slow_texts() -> pa.Array:
        release.wait(timeout=10)
        return source.texts()

    cache = VocabularyCache(recheck_s=1.0, clock=lambda: clock[0])

    def get() -> Vocabulary:
        return cache.get(
            version=lambda: source.version, texts=slow_texts, in_background=lambda: True
        )

    assert len(get()) == 0  # not counted yet: nothing is corrected, nothing waits
    release.set()
    deadline = time.monotonic() + 10
    while "word1" not in get() and time.monotonic() < deadline:
        clock[0] += 1.5
        time.sleep(0.01)
    assert "word1" in get() and source.reads == 1
