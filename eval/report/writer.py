"""Write ``report.html`` and ``report.md`` into a run folder, or a comparison's folder."""

from __future__ import annotations

import json
from pathlib import Path

from eval.compare import Comparison
from eval.files import write_atomically, write_json
from eval.parameters import PARAMETERS_FILE
from eval.report.html import comparison_report, run_report
from eval.report.markdown import comparison_markdown, run_markdown
from eval.runner import read_rows, read_summary

HTML_REPORT = "report.html"
MARKDOWN_REPORT = "report.md"
COMPARISON_FILE = "comparison.json"


def write_reports(run_dir: Path) -> None:
    """Render the run folder's results into its two reports."""
    rows, summary = read_rows(run_dir), read_summary(run_dir)
    parameters_path = run_dir / PARAMETERS_FILE
    parameters = json.loads(parameters_path.read_text("utf-8")) if parameters_path.is_file() else {}
    title = f"Evaluation run {run_dir.resolve().name}"
    write_atomically(run_dir / HTML_REPORT, [run_report(rows, summary, parameters, title=title)])
    write_atomically(run_dir / MARKDOWN_REPORT, [run_markdown(summary, parameters, title=title)])


def write_comparison(comparison: Comparison, out_dir: Path) -> None:
    """``comparison.json`` and both reports of a comparison, in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    title = "Comparison of " + ", ".join(Path(run).name or run for run in comparison.runs)
    write_json(out_dir / COMPARISON_FILE, comparison.model_dump(mode="json"))
    write_atomically(out_dir / HTML_REPORT, [comparison_report(comparison, title=title)])
    write_atomically(out_dir / MARKDOWN_REPORT, [comparison_markdown(comparison, title=title)])
