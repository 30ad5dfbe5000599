"""Terminal output for the CLI: progress bars, summary tables, answers."""

from __future__ import annotations

import time
from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table


class IngestProgressBar:
    """A rich progress bar that follows an ingestion run: files done, chunks, chunks/s, ETA."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("[bold]ingest[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[chunks]} chunks ({task.fields[rate]} chunks/s)"),
            TextColumn("[dim]{task.fields[current]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task: Any = None
        self._chunks = 0
        self._started = 0.0

    def __enter__(self) -> IngestProgressBar:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def on_start(self, total: int) -> None:
        self._started = time.perf_counter()
        self._task = self._progress.add_task("ingest", total=total, chunks=0, rate="-", current="")

    def on_file(self, result: Any) -> None:
        self._chunks += result.chunks
        elapsed = time.perf_counter() - self._started
        rate = f"{self._chunks / elapsed:.1f}" if elapsed > 0 else "-"
        current = escape(f"{result.source}: {result.status}")
        self._progress.update(
            self._task, advance=1, chunks=self._chunks, rate=rate, current=current
        )


def make_console(*, stderr: bool = False) -> Console:
    """A console that never breaks a printed line: a path or command cut in two cannot be pasted."""
    return Console(stderr=stderr, soft_wrap=True)


_SUMMARY_STATUSES = ("added", "updated", "unchanged", "removed", "failed")


def ingest_summary(console: Console, report: Any, *, index_dir: Path) -> None:
    """Totals by outcome, then time per stage, then each failure and warning by file."""
    if report.dry_run:
        console.print("[bold yellow]dry run:[/] nothing was embedded, written or removed")
        _dry_run_plan(console, report)
    console.print(_outcome_table(report, index_dir))
    console.print(_stage_table(report))
    if report.repaired:
        console.print(
            f"[yellow]repaired after an interrupted run:[/] {len(report.repaired)} file(s)"
        )
    for note in report.index_repairs:
        console.print(f"[yellow]repaired the index:[/] {escape(note)}")
    for result in report.files:
        for warning in result.warnings:
            console.print(f"[yellow]warning[/] {escape(result.source)}: {escape(warning)}")
    for failure in report.failed:
        console.print(
            f"[bold red]failed[/] {escape(str(failure.path))}: {escape(str(failure.error))}"
        )


_PLAN = {"added": "would add", "updated": "would update", "removed": "would remove"}


def _dry_run_plan(console: Console, report: Any) -> None:
    for result in report.files:
        action = _PLAN.get(result.status)
        if action is not None:
            chunks = f" ({result.chunks} chunks)" if result.status != "removed" else ""
            console.print(f"{action} {escape(str(result.path))}{chunks}")


def _outcome_table(report: Any, index_dir: Path) -> Table:
    verb = "Would ingest" if report.dry_run else "Ingested"
    table = Table(title=f"{verb} into {escape(str(index_dir))}", padding=(0, 0))
    for column in (*_SUMMARY_STATUSES, "pages", "images", "chunks", "seconds", "chunks/s"):
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    counts = report.counts
    rate = report.total_chunks / report.seconds if report.seconds > 0 else 0.0
    table.add_row(
        *(str(counts.get(status, 0)) for status in _SUMMARY_STATUSES),
        str(report.total_pages),
        str(report.total_images),
        str(report.total_chunks),
        f"{report.seconds:.1f}",
        f"{rate:.1f}",
    )
    return table


def _stage_table(report: Any) -> Table:
    table = Table(title="Seconds per stage")
    stages = report.stage_seconds
    for stage in stages:
        table.add_column(stage, justify="right", no_wrap=True)
    table.add_row(*(f"{seconds:.2f}" for seconds in stages.values()))
    return table


def answer(console: Console, question: str, response: Any) -> None:
    # Citations look like rich markup ("[a.pdf#page=2]"): escape, or they vanish from the output.
    console.print(f"[bold]Q:[/] {escape(question)}")
    console.print(f"[bold]A:[/] {escape(response.output_text)}")
    citations = response.context.data_points.citations
    if citations:
        console.print("[dim]sources: " + escape(", ".join(citations)) + "[/]")
    console.print()


def hits(console: Console, found: Any) -> None:
    """One line per hit: rank, score, citation and the start of the chunk's text."""
    if not found:
        console.print("no hits")
        return
    for rank, hit in enumerate(found, start=1):
        snippet = " ".join(hit.chunk.content.split())[:100]
        console.print(f"{rank}. [bold]{escape(hit.chunk.citation)}[/] {hit.score:.3f}")
        console.print(f"   {escape(snippet)}")


def eval_summary(console: Console, summary: Any, *, out: Path) -> None:
    table = Table(title=f"Evaluation summary ({out / 'summary.json'})")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in summary.model_dump().items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        table.add_row(key, shown)
    console.print(table)
