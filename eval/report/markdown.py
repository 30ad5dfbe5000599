"""Markdown reports: the summary of a run, or a comparison table with CIs and p-values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eval.compare import Comparison
from eval.records import RunSummary


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def run_markdown(summary: RunSummary, parameters: dict[str, Any], *, title: str) -> str:
    lines = [
        f"# {title}",
        "",
        f"{summary.rows} questions, {summary.errors} errors; "
        f"target `{parameters.get('target', {}).get('kind', '?')}`, "
        f"overrides `{parameters.get('overrides', {})}`.",
        "",
        "| metric | mean | rows | pass rate (≥4) |",
        "|---|---:|---:|---:|",
    ]
    for name, stat in summary.metrics.items():
        lines.append(f"| {name} | {_fmt(stat.mean)} | {stat.count} | {_fmt(stat.pass_rate)} |")
    latency = summary.latency
    lines += [
        "",
        f"Latency (s): mean {_fmt(latency.mean)}, p50 {_fmt(latency.p50)}, "
        f"p95 {_fmt(latency.p95)}.",
        "",
    ]
    return "\n".join(lines)


def comparison_markdown(comparison: Comparison, *, title: str) -> str:
    names = [Path(name).name or name for name in comparison.runs]
    lines = [
        f"# {title}",
        "",
        f"Baseline: `{comparison.runs[0]}`. Mean [bootstrap 95% CI] (n); p: paired permutation "
        f"test against the baseline; seed {comparison.seed}.",
        "",
        "| metric | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for metric in comparison.metrics:
        cells = []
        for stat in metric.runs:
            cell = f"{_fmt(stat.mean)} [{_fmt(stat.ci_low)}, {_fmt(stat.ci_high)}] ({stat.count})"
            if stat.p_value is not None:
                cell += f" p={_fmt(stat.p_value, 4)}"
            cells.append(cell)
        lines.append(f"| {metric.metric} | " + " | ".join(cells) + " |")
    lines += ["", f"{len(comparison.changes)} questions have a changed answer.", ""]
    return "\n".join(lines)
