import pytest

from eval.metrics import (
    answer_length,
    any_citation,
    citations_matched,
    image_citations_matched,
    percentile,
)


def test_citations_matched_is_the_share_of_truth_citations_given():
    truth = ["a.pdf#page=1", "b.pdf#page=2", "c.pdf#page=3", "d.pdf#page=4"]
    assert citations_matched(truth, ["b.pdf#page=2", "x.pdf#page=9", "d.pdf#page=4"]) == 0.5
    assert citations_matched(truth, []) == 0.0
    assert citations_matched(truth[:1], ["a.pdf#page=1"]) == 1.0


def test_citations_matched_compares_figures_exactly():
    truth = ["a.pdf#page=7(figure1_2.png)"]
    assert citations_matched(truth, ["a.pdf#page=7"]) == 0.0
    assert citations_matched(["a.pdf#page=7"], ["a.pdf#page=7(figure1_2.png)"]) == 0.0


def test_citations_matched_does_not_apply_without_truth_citations():
    assert citations_matched([], ["a.pdf#page=1"]) is None


def test_image_citations_matched_counts_only_the_truths_figures():
    truth = ["r.pdf#page=2", "r.pdf#page=3(figure3_1.png)", "r.pdf#page=5(figure5_2.png)"]
    # one of the two figures is given exactly; the page citation and a bare page 5 do not count
    given = ["r.pdf#page=2", "r.pdf#page=3(figure3_1.png)", "r.pdf#page=5"]
    assert image_citations_matched(truth, given) == 0.5
    assert image_citations_matched(["r.pdf#page=2"], given) is None


def test_any_citation_looks_for_a_citation_in_the_answer_text():
    assert any_citation("It is covered.[plan.pdf#page=3]")
    assert not any_citation("It is covered [1].")
    assert not any_citation("")


def test_answer_length_counts_characters():
    assert answer_length("Hi.[a.pdf#page=1]") == 17


def test_percentile_interpolates_between_ranks():
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.95) == pytest.approx(3.85)
    with pytest.raises(ValueError):
        percentile([], 0.5)
