"""Self-contained HTML reports: inline CSS, a little inline JS (filter), inline SVG charts.

The page needs no server and no network: open ``report.html`` from disk. A run report has the
summary table, one histogram per metric, and the per-question table (question, image, answer,
truth, citations, retrieved images, metrics). A comparison report has the side-by-side table
with 95% CIs and p-values, one interval chart per metric, and the changed answers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from eval.compare import Comparison
from eval.records import EvalRow, RunSummary
from eval.report import svg
from eval.report.thumbnails import thumbnail_src
from eval.summary import metric_values

_UNIT_METRICS_MAX = 1.0  # metrics whose values live in 0..1 get a fixed histogram range

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#111;background:#fff}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;
vertical-align:top;text-align:left}th{background:#f3f4f6}td.num{text-align:right;
font-variant-numeric:tabular-nums}.charts{display:flex;flex-wrap:wrap;gap:12px}
.chart{border:1px solid #e5e7eb;background:#fafafa}.q td{max-width:360px}
.err{color:#b91c1c}.cite{color:#1d4ed8;font-family:monospace;font-size:12px}
img.thumb{max-width:120px;max-height:120px;border:1px solid #ddd;margin:2px}
.muted{color:#6b7280}input#filter{padding:4px 8px;width:320px}
"""

_FILTER_JS = """
document.getElementById('filter').addEventListener('input', function (event) {
  var needle = event.target.value.toLowerCase(), shown = 0;
  document.querySelectorAll('tr.row').forEach(function (row) {
    var hit = row.textContent.toLowerCase().indexOf(needle) >= 0;
    row.style.display = hit ? '' : 'none'; if (hit) { shown++; }
  });
  document.getElementById('shown').textContent = shown;
});
document.getElementById('shown').textContent = document.querySelectorAll('tr.row').length;
"""


def run_report(
    rows: Sequence[EvalRow], summary: RunSummary, parameters: dict[str, Any], *, title: str
) -> str:
    """The HTML page of one run."""
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">{summary.rows} questions, {summary.errors} errors. '
        f"Target: {escape(json.dumps(parameters.get('target', {})))}</p>",
        "<h2>Summary</h2>",
        _summary_table(summary),
        "<h2>Metric distributions</h2>",
        _histograms(rows, summary),
        "<h2>Questions</h2>",
        '<p><input id="filter" placeholder="filter rows"> <span id="shown"></span> shown</p>',
        _rows_table(rows),
        "<h2>Parameters</h2>",
        f"<pre>{escape(json.dumps(parameters, indent=2))}</pre>",
    ]
    return _page(title, "".join(body), script=_FILTER_JS)


def comparison_report(comparison: Comparison, *, title: str) -> str:
    """The HTML page of a comparison of runs."""
    charts = "".join(
        svg.interval_bars(
            [Path(name).name or name for name in comparison.runs],
            [stat.mean for stat in metric.runs],
            [
                (stat.ci_low, stat.ci_high)
                if stat.ci_low is not None and stat.ci_high is not None
                else None
                for stat in metric.runs
            ],
            title=metric.metric,
        )
        for metric in comparison.metrics
    )
    body = [
        f"<h1>{escape(title)}</h1>",
        "<p>Runs (the first is the baseline): "
        + ", ".join(f"<code>{escape(name)}</code>" for name in comparison.runs)
        + f". Bootstrap 95% CIs and paired permutation p-values, seed {comparison.seed}.</p>",
        "<h2>Summary</h2>",
        _comparison_table(comparison),
        "<h2>Metrics by run</h2>",
        f'<div class="charts">{charts}</div>',
        f"<h2>Changed answers ({len(comparison.changes)})</h2>",
        '<p><input id="filter" placeholder="filter rows"> <span id="shown"></span> shown</p>',
        _changes_table(comparison),
    ]
    return _page(title, "".join(body), script=_FILTER_JS)


def _page(title: str, body: str, *, script: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        f"<body>{body}<script>{script}</script></body></html>\n"
    )


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _summary_table(summary: RunSummary) -> str:
    head = "<tr><th>metric</th><th>mean</th><th>rows</th><th>pass rate (≥4)</th></tr>"
    body = "".join(
        f"<tr><td>{escape(name)}</td><td class='num'>{_fmt(stat.mean)}</td>"
        f"<td class='num'>{stat.count}</td><td class='num'>{_fmt(stat.pass_rate)}</td></tr>"
        for name, stat in summary.metrics.items()
    )
    latency = summary.latency
    tail = (
        f"<tr><td>latency p50 / p95 (s)</td><td class='num'>{_fmt(latency.p50)} / "
        f"{_fmt(latency.p95)}</td><td></td><td></td></tr>"
    )
    return f'<table id="summary">{head}{body}{tail}</table>'


def _histograms(rows: Sequence[EvalRow], summary: RunSummary) -> str:
    charts = []
    for name in summary.metrics:
        values = metric_values(rows, name)
        if not values:
            continue
        bounded = max(values) <= _UNIT_METRICS_MAX and min(values) >= 0
        judged = name.startswith("judge_")
        lower, upper = (1.0, 5.0) if judged else (0.0, 1.0) if bounded else (None, None)
        charts.append(svg.histogram(values, title=name, lower=lower, upper=upper))
    return f'<div class="charts">{"".join(charts)}</div>'


def _citations(refs: Sequence[str]) -> str:
    return " ".join(f'<span class="cite">[{escape(ref)}]</span>' for ref in refs)


def _images(images: Sequence[str]) -> str:
    tags = []
    for image in images[:4]:
        src = thumbnail_src(image)
        label = escape(Path(image).name if not image.startswith("data:") else "image")
        if src is None:
            tags.append(f'<span class="cite">{label}</span>')
        else:
            tags.append(f'<img class="thumb" alt="{label}" title="{label}" src="{escape(src)}">')
    return "".join(tags)


def _rows_table(rows: Sequence[EvalRow]) -> str:
    head = (
        "<tr><th>#</th><th>question</th><th>answer</th><th>truth</th><th>sources</th>"
        "<th>images</th><th>metrics</th></tr>"
    )
    body = "".join(_row(number, row) for number, row in enumerate(rows, start=1))
    return f'<table class="q" id="questions">{head}{body}</table>'


def _row(number: int, row: EvalRow) -> str:
    answer = f'<span class="err">{escape(row.error)}</span>' if row.error else escape(row.answer)
    metrics = "<br>".join(
        f"{escape(name)}: {_fmt(value)}" for name, value in row.metrics.items() if value is not None
    )
    refusal = ' <span class="muted">(should be refused)</span>' if row.expect_refusal else ""
    query_image = _images([row.image]) if row.image else ""
    return (
        f'<tr class="row"><td>{number}</td><td>{escape(row.question)}{refusal}{query_image}</td>'
        f"<td>{answer}</td><td>{escape(row.truth)}</td>"
        f"<td>{_citations(row.source_citations)}</td><td>{_images(row.images)}</td>"
        f"<td class='muted'>{metrics}</td></tr>"
    )


def _comparison_table(comparison: Comparison) -> str:
    names = "".join(f"<th>{escape(Path(n).name or n)}</th>" for n in comparison.runs)
    head = f"<tr><th>metric</th>{names}</tr>"
    body = []
    for metric in comparison.metrics:
        cells = []
        for stat in metric.runs:
            interval = (
                f" [{_fmt(stat.ci_low)}, {_fmt(stat.ci_high)}]" if stat.ci_low is not None else ""
            )
            p_value = f"<br><span class='muted'>p={_fmt(stat.p_value, 4)}</span>"
            cells.append(
                f"<td class='num'>{_fmt(stat.mean)}{interval} (n={stat.count})"
                f"{p_value if stat.p_value is not None else ''}</td>"
            )
        body.append(f"<tr><td>{escape(metric.metric)}</td>{''.join(cells)}</tr>")
    return f'<table id="summary">{head}{"".join(body)}</table>'


def _changes_table(comparison: Comparison) -> str:
    names = "".join(f"<th>{escape(Path(n).name or n)}</th>" for n in comparison.runs)
    rows = []
    for change in comparison.changes:
        cells = "".join(
            f"<td>{escape(answer)}<br><span class='muted'>"
            + ", ".join(f"{k}: {_fmt(v)}" for k, v in metrics.items())
            + "</span></td>"
            for answer, metrics in zip(change.answers, change.metrics, strict=True)
        )
        rows.append(
            f'<tr class="row"><td>{escape(change.question)}</td><td>{escape(change.truth)}</td>'
            f"{cells}</tr>"
        )
    head = f"<tr><th>question</th><th>truth</th>{names}</tr>"
    return f'<table class="q" id="changes">{head}{"".join(rows)}</table>'
