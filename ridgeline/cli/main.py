"""The ``ridgeline`` command line: ingest, ask, serve, eval.

Commands parse options, call the library (:func:`ridgeline.open`), and format the result.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from pydantic_settings import SettingsError

from ridgeline.cli import eval_cmd, render, search_service_cmd
from ridgeline.errors import RidgelineError
from ridgeline.settings import IngestEngineName, RetrievalMode, Settings, settings_error_line

if TYPE_CHECKING:
    from ridgeline.library import Ridgeline

app = typer.Typer(help="Ridgeline: multimodal RAG indexing and chat.", no_args_is_help=True)
app.add_typer(eval_cmd.eval_app, name="eval")
app.command("search-service")(search_service_cmd.search_service)

console = render.make_console()
err_console = render.make_console(stderr=True)

IndexOption = Annotated[
    Path | None,
    typer.Option(
        "--index", help="Index directory (default: RIDGELINE_INDEX_DIR or .ridgeline/index)."
    ),
]


def _settings(index: Path | None) -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        raise _fail(f"bad setting: {settings_error_line(exc)}") from None
    except SettingsError as exc:
        raise _fail(f"bad setting: {exc}") from None
    return settings.model_copy(update={"index_dir": index}) if index else settings


def exposure_warning(host: str, *, has_key: bool) -> str | None:
    """One line when the server listens beyond this machine with no API key."""
    if has_key or _is_loopback(host):
        return None
    return (
        f"serving on {host} without an API key: anyone who can reach this address can chat, "
        "read the indexed documents and (with RIDGELINE_ALLOW_ANONYMOUS_UPLOADS) upload; "
        "set RIDGELINE_API_KEY (docs/security.md)"
    )


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _open(index: Path | None, **overrides: object) -> Ridgeline:
    from ridgeline.library import Ridgeline

    settings = _settings(index)
    return Ridgeline(settings.model_copy(update=overrides) if overrides else settings)


def _fail(message: str, code: int = 2) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # Every command reads the settings: a bad RIDGELINE_* value is one line here, for all of them.
    _settings(None)


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
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise _fail(f"no such file or folder: {', '.join(missing)}")
    if address is not None and (engine or _settings(index).ingest_engine) != "ray":
        raise _fail("--address names a Ray cluster: use it with --engine ray")
    updates = {"ingest_engine": engine, "ray_address": address}
    overrides = {k: v for k, v in updates.items() if v is not None}
    try:
        rl = _open(index, **overrides)
        with render.IngestProgressBar(console) as progress:
            report = rl.ingest(
                paths, progress=progress, dry_run=dry_run, prune=prune, reprocess=reprocess
            )
    except RidgelineError as exc:
        raise _fail(str(exc)) from exc
    render.ingest_summary(console, report, index_dir=rl.index_dir)
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
    try:
        rl = _open(index)
        _require_chunks(rl)
        response = rl.ask(question, mode=mode, top=top)
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
    frontend: Annotated[
        Path | None,
        typer.Option(
            help="A built web frontend folder served at / instead of the built-in page "
            "(default: RIDGELINE_FRONTEND_DIR)."
        ),
    ] = None,
) -> None:
    """Serve the chat API, the OpenAI-compatible endpoint and the web page."""
    import uvicorn

    try:
        rl = _open(index, **({"frontend_dir": frontend} if frontend else {}))
        app = rl.http_app()
    except RidgelineError as exc:
        raise _fail(str(exc)) from exc
    settings = rl.settings
    bind = host or settings.host
    if warning := exposure_warning(bind, has_key=settings.api_key is not None):
        logging.getLogger("ridgeline.serve").warning(warning)
    uvicorn.run(app, host=bind, port=port or settings.port)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    index: IndexOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
    mode: Annotated[RetrievalMode | None, typer.Option(help="text, vectors or hybrid.")] = None,
    top: Annotated[int | None, typer.Option(help="How many hits.", min=1, max=50)] = None,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    brand: Annotated[str | None, typer.Option(help="Only this brand.")] = None,
    max_price: Annotated[float | None, typer.Option(help="At most this price.", min=0)] = None,
    at_most: Annotated[
        list[str] | None,
        typer.Option(help="NAME=VALUE: an attribute at most this, e.g. weight_kg=2 (repeatable)."),
    ] = None,
    at_least: Annotated[
        list[str] | None,
        typer.Option(help="NAME=VALUE: an attribute at least this, e.g. persons=3 (repeatable)."),
    ] = None,
    material: Annotated[str | None, typer.Option(help="Only records naming it.")] = None,
    colour: Annotated[str | None, typer.Option(help="Only records coming in it.")] = None,
) -> None:
    """Rank the index's chunks for a query, as the chat ranks its sources."""
    wanted = {
        "include_category": category,
        "brand": brand,
        "max_price": max_price,
        "material": material,
        "colour": colour,
    }
    filters: dict[str, object] = {k: v for k, v in wanted.items() if v is not None}
    try:
        ranges = _ranges(at_most or [], "max") + _ranges(at_least or [], "min")
        if ranges:
            filters["attribute_ranges"] = ranges
        from ridgeline.library import as_filters

        checked = as_filters(filters or None)
    except ValueError as exc:  # an unknown attribute name says which ones exist
        raise _fail(str(exc)) from exc
    try:
        rl = _open(index)
        _require_chunks(rl)
        hits = rl.search(query, filters=checked, top=top, mode=mode)
    except RidgelineError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps([hit.model_dump(mode="json") for hit in hits], indent=2))
    else:
        render.hits(console, hits)


def _ranges(given: list[str], bound: str) -> list[dict[str, object]]:
    """``["weight_kg=2"]`` -> ``[{"name": "weight_kg", bound: 2.0}]``."""
    ranges: list[dict[str, object]] = []
    for item in given:
        name, sep, value = item.partition("=")
        try:
            ranges.append({"name": name.strip(), bound: float(value)})
        except ValueError:
            raise ValueError(f"{item!r}: write NAME=NUMBER, e.g. weight_kg=2") from None
        if not sep:
            raise ValueError(f"{item!r}: write NAME=NUMBER, e.g. weight_kg=2")
    return ranges


def _require_chunks(rl: Ridgeline) -> None:
    if rl.index.count_chunks() == 0:
        raise _fail(f"the index at {rl.index_dir} is empty: run `ridgeline ingest` first")
