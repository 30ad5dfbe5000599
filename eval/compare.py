"""Compare run folders: each metric's mean with a bootstrap 95% CI per run, a paired permutation
p-value of each run against the first (the baseline), and the questions whose answer changed.

Runs are paired by question key (text and image), so runs over the same dataset compare row by
row even when their folders list the rows differently; a metric's test uses the questions where
both runs have a value.

Example::

    comparison = compare_runs([Path("runs/hybrid"), Path("runs/text")], seed=0)
    comparison.metrics[0].runs[1].p_value
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from eval.records import EvalRow
from eval.runner import read_rows
from eval.stats import bootstrap_ci, paired_permutation_p
from eval.summary import metric_names, metric_values

_DIFF_METRICS = ("token_f1", "citations_matched", "refused")


class RunStat(BaseModel):
    """One run's figure for one metric; ``p_value`` against the baseline (``None`` for it)."""

    mean: float | None
    ci_low: float | None
    ci_high: float | None
    count: int
    p_value: float | None = None
    paired: int = 0


class MetricComparison(BaseModel):
    metric: str
    runs: list[RunStat]


class AnswerChange(BaseModel):
    """A question whose answer differs between the baseline and at least one other run."""

    key: str
    question: str
    truth: str
    answers: list[str]
    metrics: list[dict[str, float | None]]


class Comparison(BaseModel):
    runs: list[str]
    seed: int
    metrics: list[MetricComparison]
    changes: list[AnswerChange]


def compare_runs(run_dirs: Sequence[Path], *, seed: int = 0) -> Comparison:
    """Read each folder's ``eval_results.jsonl`` and compare the runs; the first is the baseline."""
    if len(run_dirs) < 2:
        raise ValueError("compare needs at least two run folders")
    runs = [read_rows(path) for path in run_dirs]
    return compare_rows([str(path) for path in run_dirs], runs, seed=seed)


def compare_rows(
    names: Sequence[str], runs: Sequence[Sequence[EvalRow]], *, seed: int
) -> Comparison:
    all_names: dict[str, None] = {}
    for rows in runs:
        all_names.update(dict.fromkeys(metric_names(rows)))
    metrics = [_compare_metric(name, runs, seed=seed) for name in all_names]
    return Comparison(runs=list(names), seed=seed, metrics=metrics, changes=_changes(runs))


def _compare_metric(name: str, runs: Sequence[Sequence[EvalRow]], *, seed: int) -> MetricComparison:
    stats = []
    baseline = _by_key(runs[0], name)
    for index, rows in enumerate(runs):
        values = metric_values(rows, name)
        interval = bootstrap_ci(values, seed=seed)
        stat = RunStat(
            mean=sum(values) / len(values) if values else None,
            ci_low=interval[0] if interval else None,
            ci_high=interval[1] if interval else None,
            count=len(values),
        )
        if index > 0:
            current = _by_key(rows, name)
            common = [key for key in baseline if key in current]
            stat.paired = len(common)
            stat.p_value = paired_permutation_p(
                [current[key] for key in common], [baseline[key] for key in common], seed=seed
            )
        stats.append(stat)
    return MetricComparison(metric=name, runs=stats)


def _by_key(rows: Sequence[EvalRow], name: str) -> dict[str, float]:
    return {
        row.key: value
        for row in rows
        if row.error is None and (value := row.metrics.get(name)) is not None
    }


def _changes(runs: Sequence[Sequence[EvalRow]]) -> list[AnswerChange]:
    others = [{row.key: row for row in rows} for rows in runs[1:]]
    changes = []
    for row in runs[0]:
        matched = [other.get(row.key) for other in others]
        if all(m is not None and m.answer == row.answer for m in matched):
            continue
        present = [row, *matched]
        changes.append(
            AnswerChange(
                key=row.key,
                question=row.question,
                truth=row.truth,
                answers=[r.answer if r else "(not in this run)" for r in present],
                metrics=[
                    {m: r.metrics.get(m) for m in _DIFF_METRICS} if r else {} for r in present
                ],
            )
        )
    return changes
