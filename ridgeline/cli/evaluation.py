"""Wires evaluation runs, comparisons and dataset generation to Ridgeline's components.

The library (``eval``) knows only the chat protocol; here a ``local`` target becomes the chat
service of this process, the semantic-similarity embedder becomes the packaged MiniLM, and the
judge's key comes from the environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from eval.config import EvalConfig, JudgeConfig, TargetConfig
from eval.dataset import QaItem, load_dataset
from eval.judge import LlmJudge
from eval.records import RunSummary
from eval.runner import RunOptions, run_evaluation
from eval.scoring import Scorer
from eval.targets import HttpTarget, InProcessTarget, Target
from ridgeline.cli import wiring
from ridgeline.errors import RidgelineError
from ridgeline.providers.llm_settings import build_role_client
from ridgeline.settings import Settings
from ridgeline.types import Chunk

Progress = Callable[[int, int], None]


def load_items(config: EvalConfig) -> list[QaItem]:
    """The dataset's questions (first ``limit``), then the refusal set's, if any."""
    items = load_dataset(config.dataset)[: config.limit]
    if config.refusal_dataset is not None:
        items += load_dataset(config.refusal_dataset, expect_refusal=True)[: config.limit]
    return items


def build_target(config: TargetConfig, settings: Settings) -> Target:
    if config.kind == "http":
        assert config.url is not None  # checked by TargetConfig
        return HttpTarget(
            config.url,
            stream=config.stream,
            paths=config.paths,
            headers=config.headers,
            timeout_s=config.timeout_s,
        )
    if config.index_dir is not None:
        settings = settings.model_copy(update={"index_dir": config.index_dir})
    return InProcessTarget(local_chat(settings), paths=config.paths)


def local_chat(settings: Settings) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A function from a ``POST /chat`` body to its response body, served by this process."""
    from chat.protocol import ChatRequest
    from ridgeline.library import Ridgeline

    rl = Ridgeline(settings)
    if rl.index.count_chunks() == 0:
        raise RidgelineError(f"the index at {settings.index_dir} is empty: run `ridgeline ingest`")
    service = rl.chat_service

    def chat(body: dict[str, Any]) -> dict[str, Any]:
        return service.chat(ChatRequest.model_validate(body)).model_dump(mode="json")

    return chat


def build_judge(
    config: JudgeConfig | None, settings: Settings, *, seed: int | None
) -> LlmJudge | None:
    """The judge on its ``base_url``, else on the configured LLM endpoint (docs/llm.md), with
    the LLM policy of ``settings`` (timeout, retries) and the run's seed."""
    if config is None:
        return None
    llm = build_role_client(
        settings,
        role="judge",
        model=config.model,
        base_url=config.base_url,
        api_key=os.environ.get(config.api_key_env),
    )
    return LlmJudge(
        llm=llm,
        samples=config.samples,
        temperature=config.temperature,
        seed=seed,
        metrics=config.metrics,
    )


def run(config: EvalConfig, settings: Settings, *, progress: Progress | None = None) -> RunSummary:
    """Run the configured evaluation and write its folder."""
    items = load_items(config)
    target = build_target(config.target, settings)
    scorer = Scorer(
        embedder=wiring.build_embedder(settings) if config.semantic_similarity else None,
        judge=build_judge(config.judge, settings, seed=config.seed),
        k=config.k,
    )
    options = RunOptions(
        overrides=config.overrides,
        concurrency=config.concurrency,
        retries=config.retries,
        backoff_s=config.backoff_s,
        seed=config.seed,
        resume=config.resume,
    )
    parameters = {
        "dataset": str(config.dataset),
        "refusal_dataset": str(config.refusal_dataset) if config.refusal_dataset else None,
        "questions": len(items),
        "index_dir": str(config.target.index_dir or settings.index_dir)
        if config.target.kind == "local"
        else None,
        "chat_model": settings.chat_model if config.target.kind == "local" else None,
    }
    try:
        return run_evaluation(
            items,
            target,
            config.out,
            scorer=scorer,
            options=options,
            parameters=parameters,
            progress=progress,
        )
    finally:
        if isinstance(target, HttpTarget):
            target.close()


def iter_index_chunks(settings: Settings) -> Iterator[Chunk]:
    """Every chunk of the embedded index (read from its LanceDB table, vectors left out).

    The SearchIndex protocol has no way to list chunks yet; until it has, this reads the table
    the embedded index writes, through the retrieval package's own row conversion.
    """
    import lancedb

    from retrieval import schema
    from retrieval.stored_fields import chunk_from_fields

    if not Path(settings.index_dir).is_dir():
        raise RidgelineError(f"no index at {settings.index_dir}: run `ridgeline ingest` first")
    table = lancedb.connect(settings.index_dir).open_table(schema.CHUNKS_TABLE)
    data = table.to_arrow()
    vectors = [name for name in data.schema.names if "vector" in name]
    for row in data.drop_columns(vectors).to_pylist():
        yield chunk_from_fields(row)


def run_local(
    settings: Settings,
    *,
    dataset: Path,
    out: Path,
    mode: str | None,
    limit: int | None,
    console: Any = None,
) -> RunSummary:
    """The first-phase entry point (``bench/northwind_eval.py``): the local target, no judge."""
    config = EvalConfig(
        dataset=dataset,
        out=out,
        limit=limit,
        overrides={"retrieval_mode": mode} if mode else {},
        target=TargetConfig(kind="local", index_dir=settings.index_dir),
    )
    return run(config, settings)
