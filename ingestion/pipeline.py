"""Ingest files into a search index: parse, enrich, split, embed, write; one file at a time.

Each file is handled on its own: an error in one is recorded in the report and the run goes on
with the next file, and nothing is written for a failed file (its previous version, if any, stays
in the index). A file whose bytes are unchanged since the last run is skipped. A file that yields
no text at all (an empty file, a scanned PDF before OCR of pages exists) is reported as failed
with "no text found", so that the user learns it is not searchable instead of seeing it "added".

Crash safety: the index swaps a document's chunks in one commit (readers see the old chunks or
the new ones, never both or neither) and writes the document row after it. The pipeline notes
each write in a :class:`~ingestion.journal.WriteJournal` first and clears the note after, so a
run killed between the two commits is repaired by the next run: the file is ingested again even
if its document row claims it is current, or its document is removed if the file is gone.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.discovery import discover_files
from ingestion.enrich import EnrichmentResult, ImageEnricher, local_image_path
from ingestion.hashing import content_hash, document_id_for
from ingestion.journal import WriteJournal
from ingestion.registry import ParserRegistry
from ingestion.report import FileResult, FileStatus, IngestProgress, IngestReport
from ingestion.splitter import TokenSplitter, embedding_text
from ridgeline.errors import IngestionError
from ridgeline.protocols import ImageEmbedder, SearchIndex, TextEmbedder
from ridgeline.types import Chunk, Page, SourceDocument


@dataclass
class _FileWork:
    """What is learnt about one file while it goes through the stages."""

    stages: dict[str, float] = field(default_factory=dict)
    pages: int = 0
    images: int = 0
    chunks: int = 0
    warnings: list[str] = field(default_factory=list)
    journal: WriteJournal | None = None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - started


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
    ) -> None:
        self._registry = registry
        self._splitter = splitter
        self._embedder = embedder
        self._index = index
        self._enricher = enricher
        self._image_embedder = image_embedder
        self._journal = journal
        self.max_file_bytes = max_file_bytes

    def run(
        self,
        paths: Sequence[Path],
        *,
        progress: IngestProgress | None = None,
        dry_run: bool = False,
        prune: bool = False,
    ) -> IngestReport:
        """Ingest the files under ``paths`` (files or folders, walked recursively).

        With ``dry_run`` every file is checked, parsed and split, but nothing is enriched,
        embedded or written; the report says what a real run would do. With ``prune``,
        documents whose files are gone from under ``paths`` are removed from the index.
        """
        started = time.perf_counter()
        repaired, forced = ([], set()) if dry_run else self.repair_interrupted_writes()
        files = _with_forced(discover_files(paths), forced)
        if progress is not None:
            progress.on_start(len(files))
        results = []
        for path in files:
            force = path.resolve() in forced
            result = self._process(path, dry_run=dry_run, force=force, journal=self._journal)
            results.append(result)
            if progress is not None:
                progress.on_file(result)
        if prune:
            results.extend(self.prune(paths, dry_run=dry_run))
        seconds = time.perf_counter() - started
        return IngestReport(files=results, dry_run=dry_run, seconds=seconds, repaired=repaired)

    def repair_interrupted_writes(self) -> tuple[list[str], set[Path]]:
        """Settle writes an earlier run began and never finished.

        Returns the paths repaired and the files that must be ingested again whatever their
        document row says (their chunks may be newer than the row).
        """
        if self._journal is None:
            return [], set()
        repaired: list[str] = []
        forced: set[Path] = set()
        for pending in self._journal.pending():
            current = self._index.get_document(pending.document_id)
            if current is not None and current.content_hash == pending.content_hash:
                self._journal.finish(pending.document_id)  # it finished; only the note was left
                continue
            repaired.append(str(pending.path))
            if pending.path.is_file():
                forced.add(pending.path.resolve())
            else:
                self._index.delete_document(pending.document_id)
                self._journal.finish(pending.document_id)
        return repaired, forced

    def prune(self, paths: Sequence[Path], *, dry_run: bool = False) -> list[FileResult]:
        """Remove documents whose files no longer exist, only from under ``paths``."""
        roots = [path.expanduser().resolve() for path in paths]
        removed = []
        for document in self._index.list_documents():
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
        return self._process(path, dry_run=dry_run, force=force, journal=None)

    def _process(
        self, path: Path, *, dry_run: bool, force: bool, journal: WriteJournal | None
    ) -> FileResult:
        started = time.perf_counter()
        work = _FileWork(journal=journal)
        try:
            status = self._ingest(path, work, dry_run=dry_run, force=force)
        except IngestionError as exc:
            return _failure(path, exc.reason, started, work)
        except Exception as exc:  # one broken file must not stop the run; its name is kept
            reason = f"unexpected error: {type(exc).__name__}: {exc}"
            return _failure(path, reason, started, work)
        return FileResult(
            path=path,
            source=path.name,
            status=status,
            chunks=work.chunks,
            pages=work.pages,
            images=work.images,
            seconds=time.perf_counter() - started,
            stages=work.stages,
            warnings=work.warnings,
        )

    def _ingest(self, path: Path, work: _FileWork, *, dry_run: bool, force: bool) -> FileStatus:
        parser = self._registry.for_path(path)
        document = self._describe(path)
        previous = self._index.get_document(document.document_id)
        if not force and previous is not None and previous.content_hash == document.content_hash:
            return "unchanged"
        with work.stage("parse"):
            pages = list(parser.parse(path, source=document.source))
        work.pages = len(pages)
        enriched = self._enrich(pages, work, dry_run=dry_run)
        with work.stage("split"):
            chunks = self._splitter.split(enriched.pages, document)
        if not chunks:
            raise IngestionError(path, "no text found (scanned pages and empty files have none)")
        work.chunks = len(chunks)
        if not dry_run:
            self._embed_and_write(document, chunks, enriched.usable_images, work)
        return "added" if previous is None else "updated"

    def _enrich(self, pages: list[Page], work: _FileWork, *, dry_run: bool) -> EnrichmentResult:
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

    def _embed_and_write(
        self, document: SourceDocument, chunks: list[Chunk], usable: set[str], work: _FileWork
    ) -> None:
        with work.stage("embed"):
            vectors = self._embedder.embed_documents([embedding_text(c) for c in chunks])
        image_vectors = None
        if self._image_embedder is not None:
            with work.stage("embed_images"):
                image_vectors = self._image_vectors(self._image_embedder, chunks, usable)
        with work.stage("write"):
            self._write(document, chunks, vectors, image_vectors, journal=work.journal)

    def _image_vectors(
        self, embedder: ImageEmbedder, chunks: list[Chunk], usable: set[str]
    ) -> list[list[float] | None] | None:
        """One vector per chunk, of its first usable image; ``None`` when no chunk has one."""
        primaries = [_primary_image(chunk, usable) for chunk in chunks]
        unique = sorted({p for p in primaries if p is not None})
        if not unique:
            return None
        vectors = dict(zip(unique, embedder.embed_images([Path(p) for p in unique]), strict=True))
        return [vectors[p] if p is not None else None for p in primaries]

    def _write(
        self,
        document: SourceDocument,
        chunks: list[Chunk],
        vectors: list[list[float]],
        image_vectors: list[list[float] | None] | None,
        *,
        journal: WriteJournal | None,
    ) -> None:
        if journal is not None:
            journal.begin(document)
        if image_vectors is None:  # an index without image vectors need not know the option
            self._index.replace_document(document, chunks, vectors)
        else:
            self._index.replace_document(document, chunks, vectors, image_vectors=image_vectors)
        if journal is not None:
            journal.finish(document.document_id)

    def _describe(self, path: Path) -> SourceDocument:
        if not path.is_file():
            reason = "no such file" if not path.exists() else "not a regular file"
            raise IngestionError(path, reason)
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


def _primary_image(chunk: Chunk, usable: set[str]) -> str | None:
    return next((asset.path for asset in chunk.images if asset.path in usable), None)


def _with_forced(files: list[Path], forced: set[Path]) -> list[Path]:
    """Files to repair come first, then the discovered files, each once."""
    listed = {path.resolve() for path in files}
    return [path for path in sorted(forced) if path not in listed] + files


def _is_under(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _failure(path: Path, reason: str, started: float, work: _FileWork) -> FileResult:
    return FileResult(
        path=path,
        source=path.name,
        status="failed",
        error=reason,
        seconds=time.perf_counter() - started,
        stages=work.stages,
        warnings=work.warnings,
    )
