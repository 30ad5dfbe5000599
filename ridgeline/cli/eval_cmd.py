"""``ridgeline eval``: run, compare, report and generate evaluation datasets.

Commands parse options, call ``eval`` through ``ridgeline.cli.evaluation``, and print results.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ridgeline.cli import render
from ridgeline.errors import RidgelineError
from ridgeline.settings import RetrievalMode, Settings

eval_app = typer.Typer(help="Offline evaluation: runs, comparisons, reports.", no_args_is_help=True)
console = render.make_console()
err_console = render.make_console(stderr=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code)


def _override(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise typer.BadParameter(f"expected KEY=VALUE, got {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def _config(config: Path | None, flags: dict[str, Any], target: dict[str, Any]) -> Any:
    from eval.config import EvalConfig, load_config

    base = load_config(config).model_dump() if config else {}
    given = {key: value for key, value in flags.items() if value is not None}
    given_target = {key: value for key, value in target.items() if value is not None}
    if "url" in given_target:
        given_target.setdefault("kind", "http")
    merged = {**base, **given}
    merged["overrides"] = {**base.get("overrides", {}), **flags.get("overrides", {})}
    merged["target"] = {**base.get("target", {}), **given_target}
    if "dataset" not in merged or "out" not in merged:
        raise typer.BadParameter("give --config FILE, or --dataset and --out")
    return EvalConfig.model_validate(merged)


@eval_app.command("run")
def eval_run(
    config: Annotated[Path | None, typer.Option(help="YAML or JSON run config.")] = None,
    dataset: Annotated[Path | None, typer.Option(help="JSONL of {question, truth}.")] = None,
    refusals: Annotated[
        Path | None, typer.Option(help="JSONL of questions that should be refused.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for the results.")] = None,
    index: Annotated[Path | None, typer.Option(help="Index of the local target.")] = None,
    url: Annotated[str | None, typer.Option(help="HTTP chat endpoint to evaluate.")] = None,
    stream: Annotated[bool | None, typer.Option(help="The endpoint streams NDJSON.")] = None,
    mode: Annotated[RetrievalMode | None, typer.Option(help="Retrieval mode override.")] = None,
    top: Annotated[int | None, typer.Option(help="Sources per answer (override).")] = None,
    override: Annotated[
        list[str] | None, typer.Option(help="Extra override KEY=VALUE (JSON value); repeat.")
    ] = None,
    concurrency: Annotated[int | None, typer.Option(help="Questions asked at once.")] = None,
    retries: Annotated[int | None, typer.Option(help="Retries of a failed call.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed (sent as the seed override).")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N questions.")] = None,
    k: Annotated[int | None, typer.Option(help="k of hit@k, recall@k, nDCG@k.")] = None,
    resume: Annotated[bool | None, typer.Option(help="Skip questions already answered.")] = None,
    similarity: Annotated[
        bool | None, typer.Option(help="Semantic similarity with the packaged embedder.")
    ] = None,
    judge_model: Annotated[str | None, typer.Option(help="OpenAI-compatible judge.")] = None,
    judge_base_url: Annotated[str | None, typer.Option(help="Judge endpoint.")] = None,
) -> None:
    """Run a QA dataset against the local pipeline or an HTTP chat endpoint and score it."""
    from ridgeline.cli import evaluation

    overrides = dict(_override(text) for text in override or [])
    overrides.update({k_: v for k_, v in {"retrieval_mode": mode, "top": top}.items() if v})
    flags = {
        "dataset": dataset,
        "refusal_dataset": refusals,
        "out": out,
        "concurrency": concurrency,
        "retries": retries,
        "seed": seed,
        "limit": limit,
        "k": k,
        "resume": resume,
        "semantic_similarity": similarity,
        "overrides": overrides,
        "judge": {"model": judge_model, "base_url": judge_base_url} if judge_model else None,
    }
    target = {"url": url, "stream": stream, "index_dir": index}
    try:
        run_config = _config(config, flags, target)
        for path in (run_config.dataset, run_config.refusal_dataset):
            if path is not None and not path.is_file():
                raise RidgelineError(f"dataset not found: {path}")
        with _progress() as (progress, task):
            summary = evaluation.run(
                run_config,
                Settings(),
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    except (RidgelineError, ValueError) as exc:
        raise _fail(str(exc)) from exc
    _print_summary(summary, out=run_config.out)


class _progress:
    def __enter__(self) -> tuple[Progress, Any]:
        columns = (TextColumn("[bold]eval[/]"), BarColumn(), MofNCompleteColumn())
        self._bar = Progress(*columns, TimeRemainingColumn(), console=err_console)
        self._bar.start()
        return self._bar, self._bar.add_task("eval", total=None)

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()


def _print_summary(summary: Any, *, out: Path) -> None:
    table = Table(title=f"Evaluation summary ({out / 'summary.json'})")
    for column in ("metric", "mean", "rows"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for name, stat in summary.metrics.items():
        mean = "-" if stat.mean is None else f"{stat.mean:.3f}"
        table.add_row(name, mean, str(stat.count))
    table.add_row("errors", str(summary.errors), str(summary.rows))
    console.print(table)
    console.print(f"report: {escape(str(out / 'report.html'))}")


@eval_app.command("compare")
def eval_compare(
    runs: Annotated[list[Path], typer.Argument(help="Run folders; the first is the baseline.")],
    out: Annotated[Path, typer.Option(help="Folder for comparison.json and reports.")] = Path(
        "eval_comparison"
    ),
    seed: Annotated[int, typer.Option(help="Seed of bootstrap and permutations.")] = 0,
) -> None:
    """Compare runs: means with bootstrap 95% CIs, paired permutation p-values, changed answers."""
    from eval.compare import compare_runs
    from eval.report.writer import write_comparison

    missing = [str(run) for run in runs if not (run / "eval_results.jsonl").is_file()]
    if missing:
        raise _fail(f"not a run folder (no eval_results.jsonl): {', '.join(missing)}")
    try:
        comparison = compare_runs(runs, seed=seed)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    write_comparison(comparison, out)
    table = Table(title="Comparison (mean [95% CI], p vs first run)")
    table.add_column("metric")
    for run in runs:
        table.add_column(run.name or str(run), justify="right")
    for metric in comparison.metrics:
        table.add_row(metric.metric, *(_cell(stat) for stat in metric.runs))
    console.print(table)
    console.print(f"{len(comparison.changes)} changed answers; report: {out / 'report.html'}")


def _cell(stat: Any) -> str:
    if stat.mean is None:
        return "-"
    text = f"{stat.mean:.3f} [{stat.ci_low:.3f}, {stat.ci_high:.3f}]"
    return text + (f" p={stat.p_value:.4f}" if stat.p_value is not None else "")


@eval_app.command("report")
def eval_report(run: Annotated[Path, typer.Argument(help="A run folder.")]) -> None:
    """Write report.html and report.md of a run folder again."""
    from eval.report.writer import write_reports

    if not (run / "eval_results.jsonl").is_file() or not (run / "summary.json").is_file():
        raise _fail(f"not a finished run folder: {run}")
    write_reports(run)
    console.print(f"report: {escape(str(run / 'report.html'))}")


@eval_app.command("generate")
def eval_generate(
    index: Annotated[Path, typer.Option(help="Index directory to draw chunks from.")],
    out: Annotated[Path, typer.Option(help="JSONL file to write.")],
    count: Annotated[int, typer.Option(min=1, help="How many pairs.")] = 20,
    seed: Annotated[int, typer.Option(help="Seed of the chunk choice.")] = 0,
    llm_model: Annotated[
        str | None, typer.Option(help="OpenAI-compatible model; templates when absent.")
    ] = None,
    llm_base_url: Annotated[
        str | None, typer.Option(help="Its endpoint; default: the configured LLM endpoint.")
    ] = None,
) -> None:
    """Make question/truth pairs with citations from an index (LLM or offline templates)."""
    from eval import generate
    from ridgeline.cli import evaluation

    settings = Settings(index_dir=index)
    try:
        chunks = list(evaluation.iter_index_chunks(settings))
        if llm_model:
            from ridgeline.providers.llm_settings import build_role_client

            llm = build_role_client(
                settings,
                role="question generation",
                model=llm_model,
                base_url=llm_base_url,
                api_key=os.environ.get("OPENAI_API_KEY"),
            )
            rows = generate.generate_with_llm(chunks, count=count, llm=llm, seed=seed)
        else:
            rows = generate.generate_from_templates(chunks, count=count, seed=seed)
    except RidgelineError as exc:
        raise _fail(str(exc)) from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(generate.write_rows(rows), encoding="utf-8")
    how = f"by {llm_model}" if llm_model else "from templates (offline)"
    console.print(f"{len(rows)} questions written {how} to {escape(str(out))}")
