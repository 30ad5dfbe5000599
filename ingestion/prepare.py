"""The per-file steps every engine shares: plan (hash, new or changed?) and prepare (parse,
enrich, split).

Planning reads the file's bytes and the index's document row, so it runs where the index is
(the single process, or the driver of a Ray run). Preparing needs only the file and the parsers,
so an engine may run it anywhere: in the same process, or as a task on a worker.

    >>> planner = FilePlanner(registry=registry, max_file_bytes=100 * 1024 * 1024)  # doctest: +SKIP
    >>> plan = planner.plan(path, force=False, previous=index.get_document)  # doctest: +SKIP
    >>> outcome = preparer.prepare(plan) if isinstance(plan, FilePlan) else plan  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ingestion.attributes import with_record_attributes
from ingestion.batch import FileWork, PreparedFile, failure
from ingestion.discovery import missing_reason
from ingestion.enrich import EnrichmentResult, ImageEnricher, local_image_path
from ingestion.hashing import content_hash, document_id_for
from ingestion.registry import ParserRegistry
from ingestion.report import FileResult, FileStatus
from ingestion.splitter import TokenSplitter
from ridgeline.errors import IngestionError
from ridgeline.types import Page, SourceDocument

__all__ = ["FilePlan", "FilePlanner", "FilePreparer", "guarded"]

T = TypeVar("T")


@dataclass(frozen=True)
class FilePlan:
    """A file to parse, enrich and split: its document row to be, and what writing it means."""

    path: Path
    document: SourceDocument
    status: FileStatus  # "added" or "updated"
    # No chunk of it can be in the index (no document row, no interrupted write to repair),
    # so it may be appended with others in one commit instead of swapped in on its own.
    is_new: bool


def guarded(work: FileWork, step: Callable[[], T]) -> T | FileResult:
    """``step()``, or the file's failed result when it raises: one broken file must not stop a
    run, and its name is kept with the reason."""
    try:
        return step()
    except IngestionError as exc:
        return failure(work, exc.reason)
    except Exception as exc:
        return failure(work, f"unexpected error: {type(exc).__name__}: {exc}")


class FilePlanner:
    """Decides, per file, whether it needs ingesting: supported type, size limit, content hash
    against the index's document row."""

    def __init__(self, *, registry: ParserRegistry, max_file_bytes: int) -> None:
        self._registry = registry
        self.max_file_bytes = max_file_bytes

    def plan(
        self,
        path: Path,
        *,
        force: bool,
        previous: Callable[[str], SourceDocument | None],
        work: FileWork | None = None,
    ) -> FilePlan | FileResult:
        """The file's plan, or its result when there is nothing to prepare (unchanged, failed).

        ``previous(document_id)``: the index's document row for an id (None: not indexed).
        """
        work = work or FileWork(path=path)
        return guarded(work, lambda: self._plan(path, work, force=force, previous=previous))

    def _plan(
        self,
        path: Path,
        work: FileWork,
        *,
        force: bool,
        previous: Callable[[str], SourceDocument | None],
    ) -> FilePlan | FileResult:
        self._registry.for_path(path)  # an unsupported type is reported before anything else
        document = self._describe(path)
        indexed = previous(document.document_id)
        if not force and indexed is not None and indexed.content_hash == document.content_hash:
            return work.result("unchanged")
        status: FileStatus = "added" if indexed is None else "updated"
        is_new = indexed is None and not force  # forced: a crashed write may have left chunks
        return FilePlan(path=path, document=document, status=status, is_new=is_new)

    def _describe(self, path: Path) -> SourceDocument:
        if not path.is_file():
            raise IngestionError(path, missing_reason(path))
        size = path.stat().st_size
        if size > self.max_file_bytes:
            raise IngestionError(
                path,
                f"file is {size:,} bytes, above the limit of {self.max_file_bytes:,} "
                "(RIDGELINE_MAX_FILE_BYTES)",
            )
        return SourceDocument(
            document_id=document_id_for(path),
            path=path.resolve(),
            source=path.name,
            content_hash=content_hash(path),
            size_bytes=size,
        )


class FilePreparer:
    """Parses, enriches and splits one planned file; the same for every engine."""

    def __init__(
        self,
        *,
        registry: ParserRegistry,
        splitter: TokenSplitter,
        enricher: ImageEnricher | None = None,
    ) -> None:
        self._registry = registry
        self._splitter = splitter
        self._enricher = enricher

    def prepare(
        self, plan: FilePlan, *, dry_run: bool = False, work: FileWork | None = None
    ) -> PreparedFile | FileResult:
        """The file ready to embed, or its result (a dry run's, or a failure naming why)."""
        work = work or FileWork(path=plan.path)
        return guarded(work, lambda: self._prepare(plan, work, dry_run=dry_run))

    def _prepare(
        self, plan: FilePlan, work: FileWork, *, dry_run: bool
    ) -> PreparedFile | FileResult:
        path, document = plan.path, plan.document
        parser = self._registry.for_path(path)
        with work.stage("parse"):
            pages = list(parser.parse(path, source=document.source))
        # A parser may note what it left out (an embedded image over the pixel limit).
        work.warnings.extend(getattr(parser, "warnings", None) or ())
        work.pages = len(pages)
        enriched = self._enrich(pages, work, dry_run=dry_run)
        with work.stage("split"):
            chunks = self._splitter.split(enriched.pages, document)
        with work.stage("attributes"):
            chunks = with_record_attributes(enriched.pages, chunks)
        if not chunks:
            raise IngestionError(path, "no text found (scanned pages and empty files have none)")
        work.chunks = len(chunks)
        if dry_run:
            return work.result(plan.status)
        return PreparedFile(
            work, document, chunks, enriched.usable_images, plan.status, plan.is_new
        )

    def _enrich(self, pages: list[Page], work: FileWork, *, dry_run: bool) -> EnrichmentResult:
        if self._enricher is None or dry_run:
            usable = {
                asset.path
                for page in pages
                for asset in page.images
                if local_image_path(asset) is not None
            }
            work.images = len(usable)
            return EnrichmentResult(pages=pages, usable_images=usable, images=len(usable))
        with work.stage("enrich"):
            enriched = self._enricher.enrich(pages)
        work.images = enriched.images
        work.warnings.extend(enriched.warnings)
        return enriched
