"""Terminal output for the CLI: progress bars, summary tables, answers."""

from __future__ import annotations

from collections import Counter
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
    """A rich progress bar that follows an ingestion run (files done, chunks, ETA)."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("[bold]ingest[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[chunks]} chunks"),
            TextColumn("[dim]{task.fields[current]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task: Any = None
        self._chunks = 0

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
        self._task = self._progress.add_task("ingest", total=total, chunks=0, current="")

    def on_file(self, result: Any) -> None:
        self._chunks += result.chunks
        self._progress.update(
            self._task, advance=1, chunks=self._chunks, current=f"{result.source}: {result.status}"
        )


def ingest_summary(console: Console, report: Any, *, index_dir: Path) -> None:
    counts = Counter(r.status for r in report.files)
    table = Table(title=f"Ingestion into {index_dir}")
    for column in ("added", "updated", "unchanged", "failed", "chunks", "seconds"):
        table.add_column(column, justify="right")
    seconds = sum(r.seconds for r in report.files)
    table.add_row(
        *(str(counts.get(s, 0)) for s in ("added", "updated", "unchanged", "failed")),
        str(sum(r.chunks for r in report.files)),
        f"{seconds:.1f}",
    )
    console.print(table)
    for failure in report.failed:
        console.print(
            f"[bold red]failed[/] {escape(str(failure.path))}: {escape(str(failure.error))}"
        )


def answer(console: Console, question: str, response: Any) -> None:
    # Citations look like rich markup ("[a.pdf#page=2]"): escape, or they vanish from the output.
    console.print(f"[bold]Q:[/] {escape(question)}")
    console.print(f"[bold]A:[/] {escape(response.output_text)}")
    citations = response.context.data_points.citations
    if citations:
        console.print("[dim]sources: " + escape(", ".join(citations)) + "[/]")
    console.print()


def eval_summary(console: Console, summary: Any, *, out: Path) -> None:
    table = Table(title=f"Evaluation summary ({out / 'summary.json'})")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in summary.model_dump().items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        table.add_row(key, shown)
    console.print(table)
