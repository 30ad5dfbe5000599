from __future__ import annotations

from bench.tuning_split import (
    SPLIT_SEED,
    Question,
    join_questions,
    paired,
    score_set,
    split_half,
)


def _questions(n: int) -> list[Question]:
    return [Question(text=f"What is item {k}?", pages=(f"a.pdf#page={k}",)) for k in range(n)]


def test_the_split_is_seeded_disjoint_and_free_of_file_order() -> None:
    questions = _questions(21)
    tune, untouched = split_half(questions, seed=SPLIT_SEED)
    again = split_half(list(reversed(questions)), seed=SPLIT_SEED)
    assert (tune, untouched) == again
    assert len(tune) == 10 and len(untouched) == 11
    assert not {q.text for q in tune} & {q.text for q in untouched}
    assert split_half(questions, seed=SPLIT_SEED + 1) != (tune, untouched)


def test_pairs_ask_two_questions_and_cite_both_pages() -> None:
    pairs = paired(_questions(10), seed=SPLIT_SEED)
    assert len(pairs) == 5 and all(p.multi_page for p in pairs)
    assert join_questions("What is A?", "What is B?", 0) == "What is A? What is B?"
    assert join_questions("What is A?", "What is B?", 1) == "What is A, and what is B?"


def test_scores_count_pages_in_the_top_five_and_the_first_truth_rank() -> None:
    ranked = [f"a.pdf#page={k}" for k in (9, 8, 1, 7, 6, 5, 4, 3, 2, 0)]
    questions = [
        Question(text="one", pages=("a.pdf#page=1",)),
        Question(text="two", pages=("a.pdf#page=0", "a.pdf#page=9")),
    ]
    score = score_set(lambda question, top: ranked[:top], questions)
    assert score.hit5 == 1.0
    assert score.mrr == (1 / 3 + 1) / 2
    assert (score.recall5, score.recall10, score.multi) == (0.5, 1.0, 1)
