"""The Ray engine: parse, enrich and split as Ray tasks, embed in a pool of Ray actors.

The driver (the process running the pipeline) plans each file against the index, submits one
task per file to prepare it (the same :class:`~ingestion.prepare.FilePreparer` as the
single-process pipeline), collects the prepared files into batches of about
``embed_batch_chunks`` chunks and sends each batch to an embedding actor (text and image
embedders loaded once per actor, on a GPU when there is one). Embedded files come back to the
driver, which writes them through the pipeline's own journalled writes
(:meth:`~ingestion.batch.EmbedWriteBatch.write`): one writer, the same atomic per-document
commits and the same crash repair as a single-process run. With an index that stages writes
(LanceDB, with pylance), the actor also writes the rows of the batch's new files as data files
no version references yet (:func:`~ingestion.batch.stage_new`), and the driver commits them
(:meth:`~ingestion.batch.EmbedWriteBatch.commit`): the rows never travel to the driver, and a
crash before the commit leaves nothing a reader sees. Changed files are written by the driver.

Needs the optional extra: ``pip install 'ridgeline[ray]'``. The files (and, for figures and the
enrichment cache, the index folder) must be readable at the same paths on every Ray node.

    >>> engine = RayEngine(components=partial(build_stage_components, settings))  # doctest: +SKIP
    >>> IngestionPipeline(..., engine=engine).run([Path("docs")])  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from ingestion.batch import (
    EmbeddedFile,
    EmbedWriteBatch,
    FileWork,
    PreparedFile,
    StagedFiles,
    embed_files,
    stage_new,
)
from ingestion.batch import failure as failed_result
from ingestion.engines import StageComponents
from ingestion.prepare import FilePlan
from ingestion.report import FileResult
from ridgeline.errors import ConfigError
from ridgeline.protocols import Stager

log = logging.getLogger(__name__)

ComponentsFactory = Callable[[], StageComponents]  # picklable: a worker calls it once

# Components built in this worker process, by run token: a task reuses its process's parsers
# and OCR models instead of loading them per file.
_WORKER_COMPONENTS: dict[str, StageComponents] = {}


def _components_for(token: str, factory: ComponentsFactory) -> StageComponents:
    if token not in _WORKER_COMPONENTS:
        _WORKER_COMPONENTS.clear()  # a new run: drop the previous run's components
        _WORKER_COMPONENTS[token] = factory()
    return _WORKER_COMPONENTS[token]


def prepare_on_worker(
    token: str, factory: ComponentsFactory, plan: FilePlan, dry_run: bool
) -> PreparedFile | FileResult:
    """A Ray task: one planned file parsed, enriched and split (or its failed result)."""
    work = FileWork(path=plan.path)
    try:
        preparer = _components_for(token, factory).preparer
    except Exception as exc:  # reported against the file, like any other failure
        return failed_result(work, f"worker could not be set up: {type(exc).__name__}: {exc}")
    return preparer.prepare(plan, dry_run=dry_run, work=work)


Embedded = tuple[list[EmbeddedFile | FileResult], StagedFiles | None]


class EmbeddingWorker:
    """A Ray actor: the text and image embedders, loaded once, embedding batches of files;
    with a ``stager``, it also writes the new files' rows (uncommitted) for the driver."""

    def __init__(self, factory: ComponentsFactory, stager: Stager | None = None) -> None:
        components = factory()
        self._embedder = components.embedder
        self._image_embedder = components.image_embedder
        self._stager = stager

    def embed(self, batch: list[PreparedFile]) -> Embedded:
        return stage_new(self._stager, embed_files(self._embedder, self._image_embedder, batch))


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ConfigError(
            "the ray engine needs Ray: pip install 'ridgeline[ray]' (or use --engine local)"
        ) from exc
    return ray


class RayEngine:
    """Schedules preparing and embedding on a Ray cluster; see the module docstring.

    ``address``: a running cluster (``ray://host:10001`` or ``host:6379``); None starts a local
    one for the run (unless this process is connected to Ray already). ``device``: the
    embedders' ``RIDGELINE_DEVICE``; with ``cuda`` (or ``auto`` on a cluster with GPUs) each
    embedding actor takes one GPU, one actor per GPU. ``embed_actors``: actors on CPUs.
    """

    def __init__(
        self,
        *,
        components: ComponentsFactory,
        address: str | None = None,
        device: str = "cpu",
        embed_actors: int = 1,
        embed_batch_chunks: int = 256,
        max_in_flight: int | None = None,
    ) -> None:
        self.components = components
        self.address = address
        self.device = device
        self.embed_actors = embed_actors
        self.embed_batch_chunks = embed_batch_chunks
        self.max_in_flight = max_in_flight

    def process(
        self,
        plans: Iterator[FilePlan | FileResult],
        *,
        writer: EmbedWriteBatch,
        dry_run: bool,
        on_done: Callable[[list[FileResult]], None],
    ) -> None:
        ray = _ray()
        started_here = not ray.is_initialized()
        if started_here:
            ray.init(address=self.address, include_dashboard=False, log_to_driver=False)
        try:
            run = _RayRun(ray, self, writer=writer, dry_run=dry_run, on_done=on_done)
            run.drive(plans)
        finally:
            if started_here:
                ray.shutdown()

    def actor_options(self, ray: Any) -> tuple[int, dict[str, Any]]:
        """How many embedding actors, and the resources each asks for."""
        gpus = int(ray.cluster_resources().get("GPU", 0))
        if self.device == "cuda" and gpus == 0:
            raise ConfigError("RIDGELINE_DEVICE=cuda but the Ray cluster has no GPU")
        count, options = max(1, self.embed_actors), {"num_cpus": 1}
        if self.device in ("cuda", "auto") and gpus > 0:
            count, options = gpus, {"num_cpus": 1, "num_gpus": 1}
        cpus = int(ray.cluster_resources().get("CPU", 0))
        if count >= cpus:  # each actor holds a CPU: none would be left to parse files
            raise ConfigError(
                f"{count} embedding actor(s) would take all {cpus} CPUs of the Ray cluster and "
                "leave none to parse files: use fewer (RIDGELINE_RAY_EMBED_ACTORS) or more CPUs"
            )
        return count, options


class _RayRun:
    """One run's scheduling state on the driver: tasks preparing, batches filling and
    embedding, and the writes of what comes back."""

    def __init__(
        self,
        ray: Any,
        engine: RayEngine,
        *,
        writer: EmbedWriteBatch,
        dry_run: bool,
        on_done: Callable[[list[FileResult]], None],
    ) -> None:
        self._ray = ray
        self._engine = engine
        self._writer = writer
        self._dry_run = dry_run
        self._on_done = on_done
        token, factory = uuid.uuid4().hex, ray.put(engine.components)
        # A worker killed mid-task is retried on another; nothing it did reached the index.
        prepare = ray.remote(num_cpus=1, max_retries=2)(prepare_on_worker)
        self._prepare = lambda plan: prepare.remote(token, factory, plan, dry_run)
        # The actors get the factory itself: a restart must not depend on an object-store copy.
        self._actors: list[Any] = (
            [] if dry_run else self._start_actors(engine, engine.components, writer.stager())
        )
        self._idle = list(self._actors)
        cpus = int(ray.available_resources().get("CPU", 1))
        self._max_in_flight = engine.max_in_flight or max(2, 2 * cpus)
        self._preparing: dict[Any, FilePlan] = {}
        self._embedding: dict[Any, tuple[Any, list[PreparedFile]]] = {}
        self._filling: list[PreparedFile] = []
        self._batches: deque[list[PreparedFile]] = deque()

    def _start_actors(self, engine: RayEngine, factory: Any, stager: Stager | None) -> list[Any]:
        count, options = engine.actor_options(self._ray)
        actor = self._ray.remote(max_restarts=1, max_task_retries=1, **options)(EmbeddingWorker)
        return [actor.remote(factory, stager) for _ in range(count)]

    def drive(self, plans: Iterator[FilePlan | FileResult]) -> None:
        planned = iter(plans)
        more = True
        while True:
            more = more and self._submit(planned)
            if not more and not self._preparing and self._filling:
                self._seal()  # the last, partly filled batch
            self._dispatch()
            pending = [*self._preparing, *self._embedding]
            if not pending:
                return
            ready, _ = self._ray.wait(pending, num_returns=1)
            for ref in ready:
                self._collect(ref)

    def _submit(self, planned: Iterator[FilePlan | FileResult]) -> bool:
        """Plan and submit files while there is room; False once every plan was taken."""
        while len(self._preparing) < self._max_in_flight and len(self._batches) <= len(
            self._actors
        ):
            plan = next(planned, None)
            if plan is None:
                return False
            if isinstance(plan, FilePlan):
                self._preparing[self._prepare(plan)] = plan
            else:
                self._on_done([plan])
        return True

    def _collect(self, ref: Any) -> None:
        if ref in self._preparing:
            plan = self._preparing.pop(ref)
            outcome = self._fetch(ref, plan=plan)
            if isinstance(outcome, PreparedFile) and self._dry_run:  # nothing is embedded
                outcome = outcome.work.result(outcome.status)
            if isinstance(outcome, PreparedFile):
                self._fill(outcome)
            else:
                self._on_done([outcome])
            return
        actor, batch = self._embedding.pop(ref)
        self._idle.append(actor)
        embedded, staged = self._fetch_batch(ref, batch)
        self._on_done(self._writer.write(embedded))
        if staged is not None:
            self._on_done(self._writer.commit(staged))

    def _fetch(self, ref: Any, *, plan: FilePlan) -> PreparedFile | FileResult:
        try:
            return self._ray.get(ref)
        except Exception as exc:  # the task's worker died (retries spent) or Ray failed it
            reason = f"Ray task failed: {type(exc).__name__}: {_first_line(exc)}"
            return failed_result(FileWork(path=plan.path), reason)

    def _fetch_batch(self, ref: Any, batch: list[PreparedFile]) -> Embedded:
        try:
            embedded: Embedded = self._ray.get(ref)
        except Exception as exc:  # the actor died twice: these files are not written
            reason = f"embedding actor failed: {type(exc).__name__}: {_first_line(exc)}"
            return [failed_result(prepared.work, reason) for prepared in batch], None
        return embedded

    def _fill(self, prepared: PreparedFile) -> None:
        self._filling.append(prepared)
        if sum(len(p.chunks) for p in self._filling) >= self._engine.embed_batch_chunks:
            self._seal()

    def _seal(self) -> None:
        self._batches.append(self._filling)
        self._filling = []

    def _dispatch(self) -> None:
        while self._idle and self._batches:
            actor, batch = self._idle.pop(), self._batches.popleft()
            self._embedding[actor.embed.remote(batch)] = (actor, batch)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""
