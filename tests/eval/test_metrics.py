import pytest

from eval.metrics import (
    answer_length,
    any_citation,
    citations_matched,
    percentile,
    retrieval_hit,
    summarize,
)
from eval.records import EvalRow


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


def test_any_citation_looks_for_a_citation_in_the_answer_text():
    assert any_citation("It is covered.[plan.pdf#page=3]")
    assert not any_citation("It is covered [1].")
    assert not any_citation("")


def test_retrieval_hit_looks_at_the_first_k_sources_by_page():
    truth = ["plan.pdf#page=7"]
    sources = ["x.pdf#page=1", "x.pdf#page=2", "plan.pdf#page=7(figure1_1.png)"]
    assert retrieval_hit(truth, sources, k=3) is True
    assert retrieval_hit(truth, sources, k=2) is False
    assert retrieval_hit(truth, ["plan.pdf#page=8"]) is False


def test_retrieval_hit_defaults_to_the_top_five():
    truth = ["plan.pdf#page=7"]
    sixth = [f"x.pdf#page={n}" for n in range(5)] + ["plan.pdf#page=7"]
    assert retrieval_hit(truth, sixth) is False
    assert retrieval_hit(truth, sixth[1:]) is True


def test_retrieval_hit_does_not_apply_without_truth_citations():
    assert retrieval_hit([], ["plan.pdf#page=7"]) is None


def test_retrieval_hit_rejects_a_k_below_one():
    with pytest.raises(ValueError, match="k must be at least 1"):
        retrieval_hit(["a.pdf#page=1"], ["a.pdf#page=1"], k=0)


def test_answer_length_counts_characters():
    assert answer_length("Yes, it's covered.") == 18
    assert answer_length("") == 0


def test_percentile_interpolates_between_ranks():
    values = [4.0, 1.0, 3.0, 2.0]
    assert percentile(values, 0.5) == pytest.approx(2.5)
    assert percentile(values, 0.95) == pytest.approx(3.85)  # rank 2.85: 3 + 0.85 * (4 - 3)
    assert percentile([7.0], 0.95) == 7.0
    with pytest.raises(ValueError):
        percentile([], 0.5)


def _row(latency: float, **scores: object) -> EvalRow:
    return EvalRow(question="q", truth="t", latency_s=latency, **scores)


def test_summary_averages_each_metric_where_it_applies():
    rows = [
        _row(1.0, citations_matched=1.0, any_citation=True, retrieval_hit=True, answer_length=10),
        _row(2.0, citations_matched=0.5, any_citation=True, retrieval_hit=False, answer_length=20),
        _row(4.0, any_citation=False, answer_length=60),  # truth without citations
        _row(9.0, error="TimeoutError: slow"),
    ]
    summary = summarize(rows)
    assert (summary.rows, summary.errors) == (4, 1)
    assert summary.citations_matched == pytest.approx(0.75)
    assert summary.any_citation == pytest.approx(2 / 3)
    assert summary.retrieval_hit_rate_at_5 == pytest.approx(0.5)
    assert summary.answer_length == pytest.approx(30.0)
    assert summary.latency.mean == pytest.approx(7 / 3)  # the failed row's 9 s is left out
    assert summary.latency.p50 == pytest.approx(2.0)
    assert summary.latency.p95 == pytest.approx(3.8)  # 2 + 0.9 * (4 - 2)
    assert (summary.counts.answered, summary.counts.citations_matched) == (3, 2)
    assert summary.counts.retrieval_hit == 2


def test_a_summary_of_only_failures_has_no_figures():
    summary = summarize([_row(1.0, error="boom")])
    assert (summary.rows, summary.errors) == (1, 1)
    assert summary.citations_matched is None and summary.any_citation is None
    assert summary.latency.mean is None and summary.latency.p95 is None
