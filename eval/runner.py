"""Run a dataset through a target, score each answer, and write the run's folder.

The folder holds ``eval_results.jsonl`` (one :class:`~eval.records.EvalRow` per question),
``summary.json``, ``parameters.json`` and the reports (``report.html``, ``report.md``). Rows are
appended to ``eval_results.jsonl`` as they finish, so an interrupted run keeps its work: run it
again on the same folder and the questions already answered are skipped (rows that failed are
asked again). At the end the file is rewritten in dataset order, atomically.

Questions are asked by ``concurrency`` threads; a failure the target marks retryable (timeout,
connection error, 5xx) is retried ``retries`` times with exponential backoff and seeded jitter.

Example::

    summary = run_evaluation(items, InProcessTarget(chat), Path("eval_out/run1"),
                             options=RunOptions(concurrency=4, seed=7))
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from eval.dataset import QaItem
from eval.files import RESULTS_FILE, SUMMARY_FILE, write_atomically, write_json
from eval.parameters import PARAMETERS_FILE, run_parameters
from eval.records import EvalRow, RunSummary
from eval.scoring import Scorer
from eval.summary import summarize
from eval.targets import Target, TargetResult
from ridgeline.errors import RidgelineError

_log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class RunOptions(BaseModel):
    """How a run asks its questions."""

    overrides: dict[str, Any] = Field(default_factory=dict)
    concurrency: int = Field(default=1, ge=1, le=64)
    retries: int = Field(default=2, ge=0, le=10)
    backoff_s: float = Field(default=0.5, ge=0)
    seed: int | None = None
    resume: bool = True

    def request_overrides(self) -> dict[str, Any]:
        """The overrides sent with every question; the run's seed unless one is given."""
        if self.seed is None or "seed" in self.overrides:
            return dict(self.overrides)
        return {**self.overrides, "seed": self.seed}


# What may differ between an interrupted run and its resumption; anything else would mix rows
# produced under different settings into one summary.
_RESUMABLE_DIFFERENCES = {"started_at", "finished_at", "versions", "concurrency", "retries"}


def _check_same_run(out_dir: Path, params: dict[str, Any]) -> None:
    """Refuse to resume into a folder whose finished rows came from another configuration."""
    path = out_dir / PARAMETERS_FILE
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = None
    if not isinstance(previous, dict):
        raise RidgelineError(
            f"{out_dir} holds answered questions but no readable {PARAMETERS_FILE}: they cannot "
            "be checked against this run; use --no-resume or another --out folder"
        )
    keys = (set(previous) | set(params)) - _RESUMABLE_DIFFERENCES
    changed = sorted(k for k in keys if previous.get(k) != json.loads(json.dumps(params.get(k))))
    if changed:
        raise RidgelineError(
            f"{out_dir} holds a run with other {', '.join(changed)}: resuming would mix their "
            "rows into this summary; use --no-resume or another --out folder"
        )


def run_evaluation(
    items: Sequence[QaItem],
    target: Target,
    out_dir: Path,
    *,
    scorer: Scorer | None = None,
    options: RunOptions | None = None,
    parameters: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """Ask every question not answered yet, then write the rows, summary, parameters, reports."""
    scorer = scorer or Scorer()
    options = options or RunOptions()
    out_dir.mkdir(parents=True, exist_ok=True)
    results = out_dir / RESULTS_FILE
    params = run_parameters(target=target, scorer=scorer, options=options, extra=parameters)
    finished = _finished_rows(results, items) if options.resume else {}
    if finished:
        _check_same_run(out_dir, params)
    if not options.resume:
        results.unlink(missing_ok=True)
    write_json(out_dir / PARAMETERS_FILE, params)
    pending = [item for item in items if item.key not in finished]
    done = len(items) - len(pending)
    with results.open("a", encoding="utf-8") as stream:
        for row in _ask_all(pending, target, scorer, options):
            stream.write(row.model_dump_json() + "\n")
            stream.flush()
            finished[row.key] = row
            done += 1
            if progress is not None:
                progress(done, len(items))
    rows = [finished[item.key] for item in items]
    write_atomically(results, (row.model_dump_json() + "\n" for row in rows))
    summary = summarize(rows)
    write_json(out_dir / SUMMARY_FILE, summary.model_dump(mode="json"))
    write_json(out_dir / PARAMETERS_FILE, {**params, "finished_at": _now()})
    from eval.report.writer import write_reports

    write_reports(out_dir)
    return summary


def _ask_all(items: Sequence[QaItem], target: Target, scorer: Scorer, options: RunOptions) -> Any:
    """Yield each item's row as soon as it is done (not in dataset order)."""
    with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
        futures = [pool.submit(evaluate_item, item, target, scorer, options) for item in items]
        for future in as_completed(futures):
            yield future.result()


def evaluate_item(item: QaItem, target: Target, scorer: Scorer, options: RunOptions) -> EvalRow:
    """Ask one question (with retries) and score the answer; never raises for a bad answer."""
    result, attempts = _ask_with_retries(item, target, options)
    row = EvalRow(
        key=item.key,
        question=item.question,
        truth=item.truth,
        truth_citations=item.truth_citations,
        image=item.image,
        expect_refusal=item.expect_refusal,
        **result.model_dump(exclude={"retryable"}),
        attempts=attempts,
    )
    if result.error is not None:
        return row
    try:
        scores, reasons = scorer.score(item, result)
    except Exception as exc:  # a failing judge or embedder is recorded on the row, not fatal
        return row.model_copy(update={"error": f"scoring failed: {type(exc).__name__}: {exc}"})
    return row.model_copy(update={"metrics": scores, "judge_reasons": reasons})


def _ask_with_retries(
    item: QaItem, target: Target, options: RunOptions
) -> tuple[TargetResult, int]:
    jitter = random.Random(f"{options.seed}:{item.key}")
    overrides = options.request_overrides()
    attempt = 0
    while True:
        attempt += 1
        result = _ask(target, item, overrides)
        if result.error is None or not result.retryable or attempt > options.retries:
            return result, attempt
        delay = options.backoff_s * 2 ** (attempt - 1) * (1 + jitter.random() / 2)
        _log.info("retrying %r in %.2fs after: %s", item.question[:60], delay, result.error)
        time.sleep(delay)


def _ask(target: Target, item: QaItem, overrides: dict[str, Any]) -> TargetResult:
    """Call the target; a target that raises gets an error row instead of ending the run."""
    started = time.perf_counter()
    try:
        return target.ask(item.question, overrides=overrides, image=item.image)
    except Exception as exc:  # a broken target is a finding of the run, not a reason to stop it
        return TargetResult(
            latency_s=time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}"
        )


def _finished_rows(results: Path, items: Sequence[QaItem]) -> dict[str, EvalRow]:
    """Rows of an earlier, interrupted run that answered one of ``items`` without error."""
    if not results.is_file():
        return {}
    wanted = {item.key for item in items}
    finished: dict[str, EvalRow] = {}
    for number, line in enumerate(results.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            row = EvalRow.model_validate_json(line)
        except ValidationError:  # the line being written when the run was killed
            _log.warning("%s:%d: unreadable row skipped on resume", results, number)
            continue
        if row.key in wanted and row.error is None:
            finished[row.key] = row
    return finished


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def read_rows(out_dir: Path) -> list[EvalRow]:
    """The rows of a finished run folder."""
    path = out_dir / RESULTS_FILE
    return [
        EvalRow.model_validate_json(line)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def read_summary(out_dir: Path) -> RunSummary:
    return RunSummary.model_validate(json.loads((out_dir / SUMMARY_FILE).read_text("utf-8")))
