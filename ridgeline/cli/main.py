"""The ``ridgeline`` command line: ingest, ask, serve, eval.

Commands parse options, call the library through ``wiring``, and format the result.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ridgeline.cli import eval_cmd, render, search_service_cmd
from ridgeline.errors import RidgelineError
from ridgeline.settings import IngestEngineName, RetrievalMode, Settings

app = typer.Typer(help="Ridgeline: multimodal RAG indexing and chat.", no_args_is_help=True)
app.add_typer(eval_cmd.eval_app, name="eval")
app.command("search-service")(search_service_cmd.search_service)

console = Console()
err_console = Console(stderr=True)

IndexOption = Annotated[
    Path | None,
    typer.Option(
        "--index", help="Index directory (default: RIDGELINE_INDEX_DIR or .ridgeline/index)."
    ),
]


def _settings(index: Path | None) -> Settings:
    settings = Settings()
    return settings.model_copy(update={"index_dir": index}) if index else settings


def _fail(message: str, code: int = 2) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    index: IndexOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Parse and split only; change nothing.")
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove documents whose files are gone from PATHS.")
    ] = False,
    report_file: Annotated[
        Path | None, typer.Option("--report", help="Write a JSON report (failures with reasons).")
    ] = None,
    reprocess: Annotated[
        bool,
        typer.Option(
            "--reprocess",
            help="Ingest unchanged files again too (after changing splitting or embedding).",
        ),
    ] = False,
    engine: Annotated[
        IngestEngineName | None,
        typer.Option(
            "--engine",
            help="local: this process (default); ray: Ray tasks and actors (the ray extra).",
        ),
    ] = None,
    address: Annotated[
        str | None,
        typer.Option("--address", help="A running Ray cluster (default: start a local one)."),
    ] = None,
) -> None:
    """Parse, enrich, split, embed and index files; unchanged files are skipped.

    Exits with 1 when any file failed (the others are still ingested).
    """
    from ridgeline.cli import wiring

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise _fail(f"no such file or folder: {', '.join(missing)}")
    settings = _settings(index)
    if address is not None and (engine or settings.ingest_engine) != "ray":
        raise _fail("--address names a Ray cluster: use it with --engine ray")
    updates = {"ingest_engine": engine, "ray_address": address}
    settings = settings.model_copy(update={k: v for k, v in updates.items() if v is not None})
    try:
        pipeline = wiring.build_pipeline(settings, wiring.build_index(settings))
        with render.IngestProgressBar(console) as progress:
            report = pipeline.run(
                paths, progress=progress, dry_run=dry_run, prune=prune, reprocess=reprocess
            )
    except RidgelineError as exc:
        raise _fail(str(exc)) from exc
    render.ingest_summary(console, report, index_dir=settings.index_dir)
    if report_file is not None:
        report_file.write_text(report.to_json() + "\n", encoding="utf-8")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question to answer.")],
    index: IndexOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the /chat response body.")] = False,
    mode: Annotated[RetrievalMode | None, typer.Option(help="text, vectors or hybrid.")] = None,
    top: Annotated[int | None, typer.Option(help="How many sources to use.")] = None,
) -> None:
    """Answer one question from the index, with citations."""
    from chat.protocol import ChatRequest
    from ridgeline.cli import wiring

    settings = _settings(index)
    idx = wiring.build_index(settings)
    if idx.count_chunks() == 0:
        raise _fail(f"the index at {settings.index_dir} is empty: run `ridgeline ingest` first")
    overrides = {k: v for k, v in {"retrieval_mode": mode, "top": top}.items() if v is not None}
    request = ChatRequest.model_validate(
        {"messages": [{"role": "user", "content": question}], "context": {"overrides": overrides}}
    )
    try:
        response = wiring.build_chat_service(settings, idx).chat(request)
    except RidgelineError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps(response.model_dump(mode="json"), indent=2))
    else:
        render.answer(console, question, response)


@app.command()
def serve(
    index: IndexOption = None,
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port.")] = None,
) -> None:
    """Serve the chat API, the OpenAI-compatible endpoint and the web page."""
    import uvicorn

    from ridgeline.cli import wiring

    settings = _settings(index)
    try:
        app = wiring.build_chat_app(settings, wiring.build_index(settings))
    except RidgelineError as exc:
        raise _fail(str(exc)) from exc
    uvicorn.run(app, host=host or settings.host, port=port or settings.port)
