import pytest

from eval.compare import compare_rows, compare_runs
from eval.records import EvalRow


def _run(answers: list[str], scores: list[float]) -> list[EvalRow]:
    return [
        EvalRow(
            key=f"q{i}",
            question=f"Q{i}?",
            truth="T.",
            answer=answer,
            latency_s=0.1,
            metrics={"token_f1": score},
        )
        for i, (answer, score) in enumerate(zip(answers, scores, strict=True))
    ]


def test_each_run_gets_a_mean_an_interval_and_a_p_value_against_the_first():
    baseline = _run(["a"] * 6, [0.0] * 6)
    better = _run(["b"] * 6, [1.0] * 6)
    comparison = compare_rows(["base", "better"], [baseline, better], seed=0)

    (metric,) = comparison.metrics
    base_stat, better_stat = metric.runs
    assert (base_stat.mean, base_stat.p_value) == (0.0, None)
    assert better_stat.mean == 1.0 and better_stat.paired == 6
    assert better_stat.p_value == pytest.approx(2 / 64)  # exact sign-flip test over 6 pairs
    assert (better_stat.ci_low, better_stat.ci_high) == (1.0, 1.0)


def test_pairs_are_matched_by_question_key_not_position():
    baseline = _run(["a", "b"], [0.2, 0.9])
    shuffled = list(reversed(_run(["a", "b"], [0.2, 0.9])))
    comparison = compare_rows(["x", "y"], [baseline, shuffled], seed=0)
    assert comparison.metrics[0].runs[1].p_value == 1.0
    assert comparison.changes == []


def test_changed_answers_are_listed_with_each_runs_answer():
    comparison = compare_rows(
        ["x", "y"], [_run(["same", "old"], [1, 0]), _run(["same", "new"], [1, 1])], seed=0
    )
    (change,) = comparison.changes
    assert change.question == "Q1?" and change.answers == ["old", "new"]
    assert change.metrics[1]["token_f1"] == 1


def test_compare_needs_two_runs(tmp_path):
    with pytest.raises(ValueError, match="at least two"):
        compare_runs([tmp_path], seed=0)
