"""Aggregate a run's rows into a :class:`~eval.records.RunSummary`.

Failed rows are counted in ``errors`` and left out of the means, so a quality figure is never
diluted or inflated by calls that produced nothing; read ``errors`` next to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from eval.judge import PASS_SCORE
from eval.metrics import percentile
from eval.records import EvalRow, LatencySummary, MetricSummary, RunSummary


def metric_names(rows: Sequence[EvalRow]) -> list[str]:
    """Every metric name that appears in the rows, in first-seen order."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row.metrics))
    return list(names)


def metric_values(rows: Sequence[EvalRow], name: str) -> list[float]:
    """The metric's values on the answered rows where it applies."""
    return [
        value for row in rows if row.error is None and (value := row.metrics.get(name)) is not None
    ]


def summarize(rows: Sequence[EvalRow]) -> RunSummary:
    """Means per metric over the rows where it applies; latency over answered rows only."""
    answered = [row for row in rows if row.error is None]
    summaries = {name: _metric(name, metric_values(rows, name)) for name in metric_names(rows)}
    return RunSummary(
        rows=len(rows),
        errors=len(rows) - len(answered),
        metrics=summaries,
        latency=_latency([row.latency_s for row in answered]),
    )


def _metric(name: str, values: Sequence[float]) -> MetricSummary:
    if not values:
        return MetricSummary()
    pass_rate = None
    if name.startswith("judge_"):
        pass_rate = sum(1 for value in values if value >= PASS_SCORE) / len(values)
    return MetricSummary(mean=fmean(values), count=len(values), pass_rate=pass_rate)


def _latency(latencies: Sequence[float]) -> LatencySummary:
    if not latencies:
        return LatencySummary()
    return LatencySummary(
        mean=fmean(latencies), p50=percentile(latencies, 0.5), p95=percentile(latencies, 0.95)
    )
