"""Run a dataset through a target, score each answer, and write the results of the run.

Writes ``eval_results.jsonl`` (one :class:`~eval.records.EvalRow` per question, in dataset
order) and ``summary.json`` (an :class:`~eval.records.EvalSummary`). Both are written to a
temporary file first and renamed into place, so a reader never sees half a file and a crashed run
leaves the previous results intact.

Example::

    summary = run_evaluation(load_dataset(path), InProcessTarget(chat), Path("eval_out/run1"))
    summary.citations_matched, summary.latency.p95
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from eval import metrics
from eval.dataset import QaItem
from eval.records import EvalRow, EvalSummary
from eval.targets import Target, TargetResult

RESULTS_FILE = "eval_results.jsonl"
SUMMARY_FILE = "summary.json"

Progress = Callable[[int, int], None]


def run_evaluation(
    items: Sequence[QaItem],
    target: Target,
    out_dir: Path,
    *,
    overrides: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> EvalSummary:
    """Ask every question in turn, then write the per-question rows and the summary.

    ``progress(done, total)`` is called after each question.
    """
    rows: list[EvalRow] = []
    for done, item in enumerate(items, start=1):
        result = _ask(target, item.question, overrides=overrides or {})
        rows.append(score(item, result))
        if progress is not None:
            progress(done, len(items))
    summary = metrics.summarize(rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_atomically(out_dir / RESULTS_FILE, (row.model_dump_json() + "\n" for row in rows))
    _write_atomically(out_dir / SUMMARY_FILE, [summary.model_dump_json(indent=2) + "\n"])
    return summary


def score(item: QaItem, result: TargetResult) -> EvalRow:
    """The row for one question: the target's result and, unless it failed, its metrics."""
    row = EvalRow(
        question=item.question,
        truth=item.truth,
        truth_citations=item.truth_citations,
        answer=result.answer,
        answer_citations=result.answer_citations,
        source_citations=result.source_citations,
        latency_s=result.latency_s,
        error=result.error,
    )
    if result.error is not None:
        return row
    return row.model_copy(
        update={
            "citations_matched": metrics.citations_matched(
                item.truth_citations, result.answer_citations
            ),
            "any_citation": metrics.any_citation(result.answer),
            "retrieval_hit": metrics.retrieval_hit(item.truth_citations, result.source_citations),
            "answer_length": metrics.answer_length(result.answer),
        }
    )


def _ask(target: Target, question: str, *, overrides: dict[str, Any]) -> TargetResult:
    """Call the target; a target that raises gets an error row instead of ending the run."""
    started = time.perf_counter()
    try:
        return target.ask(question, overrides=overrides)
    except Exception as exc:  # a broken target is a finding of the run, not a reason to stop it
        return TargetResult(
            latency_s=time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}"
        )


def _write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.writelines(chunks)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o644)  # mkstemp makes it owner-only; results are meant to be shared
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
