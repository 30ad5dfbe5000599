import pytest

from eval.records import EvalRow
from eval.summary import summarize


def _row(
    metrics: dict[str, float | None], *, latency: float = 1.0, error: str | None = None
) -> EvalRow:
    return EvalRow(
        key="k", question="q", truth="t", latency_s=latency, error=error, metrics=metrics
    )


def test_means_skip_rows_where_a_metric_does_not_apply_and_failed_rows():
    rows = [
        _row({"token_f1": 0.5, "citations_matched": None}, latency=1.0),
        _row({"token_f1": 1.0, "citations_matched": 1.0}, latency=3.0),
        _row({}, latency=9.0, error="boom"),
    ]
    summary = summarize(rows)
    assert (summary.rows, summary.errors) == (3, 1)
    assert summary.metrics["token_f1"].mean == 0.75 and summary.metrics["token_f1"].count == 2
    assert summary.metrics["citations_matched"].count == 1
    assert summary.latency.p50 == 2.0 and summary.latency.mean == 2.0


def test_judge_metrics_get_a_pass_rate_at_four():
    rows = [_row({"judge_relevance": score}) for score in (5.0, 4.0, 3.5, 2.0)]
    metric = summarize(rows).metrics["judge_relevance"]
    assert metric.pass_rate == 0.5 and metric.mean == pytest.approx(3.625)
