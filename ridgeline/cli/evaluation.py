"""Wires an evaluation run to the local pipeline, in process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from chat.protocol import ChatRequest
from eval.dataset import load_dataset
from eval.runner import run_evaluation
from eval.targets import InProcessTarget
from ridgeline.cli import wiring
from ridgeline.errors import RidgelineError
from ridgeline.settings import Settings


def run_local(
    settings: Settings,
    *,
    dataset: Path,
    out: Path,
    mode: str | None,
    limit: int | None,
    console: Console,
) -> Any:
    """Run ``dataset`` against the in-process chat service; return the summary."""
    index = wiring.build_index(settings)
    if index.count_chunks() == 0:
        raise RidgelineError(f"the index at {settings.index_dir} is empty: run `ridgeline ingest`")
    service = wiring.build_chat_service(settings, index)

    def chat(body: dict[str, Any]) -> dict[str, Any]:
        return service.chat(ChatRequest.model_validate(body)).model_dump(mode="json")

    items = load_dataset(dataset)[:limit] if limit else load_dataset(dataset)
    overrides = {"retrieval_mode": mode} if mode else {}
    columns = (
        TextColumn("[bold]eval[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("eval", total=len(items))
        return run_evaluation(
            items,
            InProcessTarget(chat),
            out,
            overrides=overrides,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
