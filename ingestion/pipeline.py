"""Ingest files into a search index: parse, enrich, split, embed, write.

Files are parsed, enriched and split one at a time; the chunks of consecutive files are
embedded together (:mod:`ingestion.batch`) and each file is then written on its own. An error in
one file is recorded in the report and the run goes on with the next file, and nothing is
written for a failed file (its previous version, if any, stays in the index). A file whose bytes
are unchanged since the last run is skipped. A file that yields no text at all (an empty file, a
scanned PDF before OCR of pages exists) is reported as failed with "no text found", so that the
user learns it is not searchable instead of seeing it "added".

Crash safety: the index swaps a document's chunks in one commit (readers see the old chunks or
the new ones, never both or neither) and writes the document row after it. The pipeline notes
each write in a :class:`~ingestion.journal.WriteJournal` first and clears the note after, so a
run killed between the two commits is repaired by the next run: the file is ingested again even
if its document row claims it is current, or its document is removed if the file is gone.

One writer at a time: with an :class:`~ingestion.index_lock.IndexLock`, :meth:`run` holds it for
the whole run and refuses to start while another process holds it (``IndexBusyError`` naming its
pid), and :meth:`ingest_file` (uploads) waits for it up to the lock's ``wait_s``. Under the lock,
a run first settles the journal, then lets the index's :class:`~ingestion.repair.IndexDoctor`
find damage older versions left (duplicate rows or chunk ids, chunks without a document row):
those documents are removed and their files ingested again, and the report lists them.

After a run that wrote something, the index is asked to ``optimize()`` (when it can): new rows
are folded into its full-text, scalar and vector indexes and small files compacted, which halves
the cost of each later query on a freshly ingested LanceDB index (docs/benchmarks.md).

By default every stage runs in this process. With an ``engine`` (:mod:`ingestion.engines`: the
Ray engine) files are still planned and written here, the same way; the engine only schedules
the per-file steps between (:mod:`ingestion.prepare`, then embedding).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ingestion.batch import EmbedWriteBatch, FileWork, PreparedFile
from ingestion.discovery import discover_files, resolved
from ingestion.engines import IngestEngine
from ingestion.enrich import ImageEnricher
from ingestion.index_lock import IndexLock
from ingestion.journal import WriteJournal
from ingestion.prepare import FilePlan, FilePlanner, FilePreparer
from ingestion.registry import ParserRegistry
from ingestion.repair import IndexDoctor, Repairs, repair_damage
from ingestion.report import FileResult, IngestProgress, IngestReport
from ingestion.splitter import TokenSplitter
from ridgeline.protocols import (
    ImageEmbedder,
    OptimizableIndex,
    RebuildableTextIndex,
    SearchIndex,
    TextEmbedder,
)
from ridgeline.types import SourceDocument


class IngestionPipeline:
    """Turns files and folders into indexed, embedded chunks.

    >>> registry = default_parser_registry(ocr=ocr, max_image_pixels=50_000_000)  # doctest: +SKIP
    >>> pipeline = IngestionPipeline(registry=registry,
    ...     splitter=TokenSplitter(tokenizer=TiktokenTokenizer()), embedder=embedder,
    ...     index=index, max_file_bytes=100 * 1024 * 1024,
    ...     enricher=enricher, image_embedder=image_embedder,
    ...     journal=WriteJournal(index_dir / "ingest-journal.sqlite"))  # doctest: +SKIP
    >>> pipeline.run([Path("docs")], prune=True).counts  # doctest: +SKIP
    {'added': 12, 'updated': 0, 'unchanged': 0, 'removed': 1, 'failed': 1}
    """

    def __init__(
        self,
        *,
        registry: ParserRegistry,
        splitter: TokenSplitter,
        embedder: TextEmbedder,
        index: SearchIndex,
        max_file_bytes: int,
        enricher: ImageEnricher | None = None,
        image_embedder: ImageEmbedder | None = None,
        journal: WriteJournal | None = None,
        embed_batch_chunks: int = 256,
        lock: IndexLock | None = None,
        doctor: IndexDoctor | None = None,
        engine: IngestEngine | None = None,
    ) -> None:
        self._registry = registry
        self._preparer = FilePreparer(registry=registry, splitter=splitter, enricher=enricher)
        self._engine = engine  # None: prepare, embed and write in this process
        self._embedder = embedder
        self._index = index
        self._image_embedder = image_embedder
        self._journal = journal
        self._lock = lock
        self._doctor = doctor
        self.max_file_bytes = max_file_bytes
        self.embed_batch_chunks = embed_batch_chunks

    def run(
        self,
        paths: Sequence[Path],
        *,
        progress: IngestProgress | None = None,
        dry_run: bool = False,
        prune: bool = False,
        reprocess: bool = False,
    ) -> IngestReport:
        """Ingest the files under ``paths`` (files or folders, walked recursively).

        With ``dry_run`` every file is checked, parsed and split, but nothing is enriched,
        embedded or written; the report says what a real run would do. With ``prune``,
        documents whose files are gone from under ``paths`` are removed from the index. With
        ``reprocess``, unchanged files are ingested again too (after a change of splitting or
        embedding settings, or of the splitter itself). Raises ``IndexBusyError`` when another
        process is writing to the index (a dry run writes nothing and does not ask).
        """
        options = {"dry_run": dry_run, "prune": prune, "reprocess": reprocess}
        if dry_run or self._lock is None:
            return self._run(paths, progress=progress, **options)
        with self._lock.held(wait_s=0):
            return self._run(paths, progress=progress, **options)

    def _run(
        self,
        paths: Sequence[Path],
        *,
        progress: IngestProgress | None,
        dry_run: bool,
        prune: bool,
        reprocess: bool,
    ) -> IngestReport:
        started = time.perf_counter()
        repaired, forced = ([], set()) if dry_run else self.repair_interrupted_writes()
        fixed = Repairs() if dry_run or self._doctor is None else self._repair_damage()
        forced |= fixed.forced
        files = _with_forced(discover_files(paths), forced)
        if progress is not None:
            progress.on_start(len(files))
        # One scan of the document rows up front instead of one look-up per file.
        known = {document.document_id: document for document in self._index.list_documents()}
        results: list[FileResult] = []
        prepare = self._process_here if self._engine is None else self._process_with_engine
        prepare(files, forced=forced, known=known, reprocess=reprocess, dry_run=dry_run,
                on_done=lambda done: self._report(done, results, progress))  # fmt: skip
        order = {path: position for position, path in reversed(list(enumerate(files)))}
        results.sort(key=lambda result: order.get(result.path, len(order)))  # files' order
        if prune:
            results.extend(self.prune(paths, dry_run=dry_run, documents=known.values()))
        if not dry_run and any(r.status in ("added", "updated", "removed") for r in results):
            self._settle_index()
        seconds = time.perf_counter() - started
        return IngestReport(
            files=results,
            dry_run=dry_run,
            seconds=seconds,
            repaired=repaired,
            index_repairs=fixed.notes,
        )

    def _repair_damage(self) -> Repairs:
        assert self._doctor is not None
        return repair_damage(self._index, self._doctor)

    def _process_here(
        self,
        files: list[Path],
        *,
        forced: set[Path],
        known: dict[str, SourceDocument],
        reprocess: bool,
        dry_run: bool,
        on_done: Callable[[list[FileResult]], None],
    ) -> None:
        """Plan, prepare, embed and write each file in this process."""
        batch = self._batch(journal=self._journal)
        for path in files:
            force = reprocess or resolved(path) in forced
            outcome = self._prepare(path, dry_run=dry_run, force=force, known=known)
            on_done(batch.add(outcome) if isinstance(outcome, PreparedFile) else [outcome])
        on_done(batch.flush())

    def _process_with_engine(
        self,
        files: list[Path],
        *,
        forced: set[Path],
        known: dict[str, SourceDocument],
        reprocess: bool,
        dry_run: bool,
        on_done: Callable[[list[FileResult]], None],
    ) -> None:
        """Plan each file here, where the index is; the engine prepares and embeds them, and
        hands them back to be written here, through the same journalled writes."""
        assert self._engine is not None
        plans = (self._plan(path, reprocess or resolved(path) in forced, known) for path in files)
        batch = self._batch(journal=self._journal)
        self._engine.process(plans, writer=batch, dry_run=dry_run, on_done=on_done)

    def _batch(self, *, journal: WriteJournal | None) -> EmbedWriteBatch:
        return EmbedWriteBatch(
            embedder=self._embedder,
            index=self._index,
            image_embedder=self._image_embedder,
            journal=journal,
            max_chunks=self.embed_batch_chunks,
        )

    def _settle_index(self) -> None:
        """Fold the run's writes into the index's own indexes, where the index can do that."""
        index = self._index
        if isinstance(index, RebuildableTextIndex) and not index.text_index_is_current():
            index.rebuild_text_index()  # one built before stemming: upgrade it while writing
        if isinstance(index, OptimizableIndex):
            index.optimize()

    @staticmethod
    def _report(
        done: list[FileResult], results: list[FileResult], progress: IngestProgress | None
    ) -> None:
        results.extend(done)
        if progress is not None:
            for result in done:
                progress.on_file(result)

    def repair_interrupted_writes(self) -> tuple[list[str], set[Path]]:
        """Settle writes an earlier run began and never finished.

        Returns the paths repaired and the files that must be ingested again whatever their
        document row says (their chunks may be newer than the row).
        """
        if self._journal is None:
            return [], set()
        repaired: list[str] = []  # (a run calls this under the index lock)
        forced: set[Path] = set()
        for pending in self._journal.pending():
            current = self._index.get_document(pending.document_id)
            if current is not None and current.content_hash == pending.content_hash:
                self._journal.finish(pending.document_id)  # it finished; only the note was left
                continue
            repaired.append(str(pending.path))
            if pending.path.is_file():
                forced.add(resolved(pending.path))
            else:
                self._index.delete_document(pending.document_id)
                self._journal.finish(pending.document_id)
        return repaired, forced

    def prune(
        self,
        paths: Sequence[Path],
        *,
        dry_run: bool = False,
        documents: Iterable[SourceDocument] | None = None,
    ) -> list[FileResult]:
        """Remove documents whose files no longer exist, only from under ``paths``.

        ``documents``: the index's document rows if the caller has read them already.
        """
        roots = [resolved(path) for path in paths]
        removed = []
        listed = self._index.list_documents() if documents is None else documents
        for document in listed:
            if document.path.exists() or not _is_under(document.path, roots):
                continue
            if not dry_run:
                self._index.delete_document(document.document_id)
            removed.append(FileResult(path=document.path, source=document.source, status="removed"))
        return removed

    def ingest_file(self, path: Path, *, dry_run: bool = False, force: bool = False) -> FileResult:
        """Ingest one file; never raises for a bad file, the result says what went wrong.

        ``force`` ingests the file even when its document row says it is unchanged. Unlike
        :meth:`run`, this writes no journal notes: a caller writing through its own wrapper
        index (chat uploads) would not want a later run to repair its file without it.
        """
        if dry_run or self._lock is None:
            return self._ingest_one(path, dry_run=dry_run, force=force)
        # Waits for another writer (a CLI run, another upload), then IndexBusyError: the
        # look-up of the document row and the write must not interleave with theirs.
        with self._lock.held():
            return self._ingest_one(path, dry_run=dry_run, force=force)

    def _ingest_one(self, path: Path, *, dry_run: bool, force: bool) -> FileResult:
        outcome = self._prepare(path, dry_run=dry_run, force=force, known=None)
        if not isinstance(outcome, PreparedFile):
            return outcome
        batch = self._batch(journal=None)
        batch.add(outcome)
        (result,) = batch.flush()
        return result

    def _prepare(
        self,
        path: Path,
        *,
        dry_run: bool,
        force: bool,
        known: dict[str, SourceDocument] | None,
    ) -> PreparedFile | FileResult:
        """The file parsed, enriched and split, or its result when there is nothing to embed
        (unchanged, a dry run, a failure). ``known``: the index's document rows read at the
        start of the run (None: look up)."""
        work = FileWork(path=path)
        previous = self._index.get_document if known is None else known.get
        plan = self._planner().plan(path, force=force, previous=previous, work=work)
        if not isinstance(plan, FilePlan):
            return plan
        outcome = self._preparer.prepare(plan, dry_run=dry_run, work=work)
        if known is not None and isinstance(outcome, PreparedFile):
            known[plan.document.document_id] = plan.document  # met again: seen as unchanged
        return outcome

    def _plan(
        self, path: Path, force: bool, known: dict[str, SourceDocument]
    ) -> FilePlan | FileResult:
        """What an engine is to do with ``path``, decided here, where the index is."""
        plan = self._planner().plan(path, force=force, previous=known.get)
        if isinstance(plan, FilePlan):
            known[plan.document.document_id] = plan.document  # met again: seen as unchanged
        return plan

    def _planner(self) -> FilePlanner:
        # Built per use: max_file_bytes is a public attribute a caller may change.
        return FilePlanner(registry=self._registry, max_file_bytes=self.max_file_bytes)


def _with_forced(files: list[Path], forced: set[Path]) -> list[Path]:
    """Files to repair come first, then the discovered files, each once."""
    listed = {resolved(path) for path in files}
    return [path for path in sorted(forced) if path not in listed] + files


def _is_under(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)
