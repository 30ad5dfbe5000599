"""Ingest files into a search index: parse, split, embed, write; one file at a time.

Each file is handled on its own: an error in one is recorded in the report and the run goes on
with the next file, and nothing is written for a failed file (its previous version, if any, stays
in the index). A file whose bytes are unchanged since the last run is skipped. A file that yields
no text at all (an empty file, a scanned PDF before OCR of pages exists) is reported as failed
with "no text found", so that the user learns it is not searchable instead of seeing it "added".
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from ingestion.discovery import discover_files
from ingestion.hashing import content_hash, document_id_for
from ingestion.registry import ParserRegistry
from ingestion.report import FileResult, FileStatus, IngestProgress, IngestReport
from ingestion.splitter import TokenSplitter, embedding_text
from ridgeline.errors import IngestionError
from ridgeline.protocols import SearchIndex, TextEmbedder
from ridgeline.types import SourceDocument


class IngestionPipeline:
    """Turns files and folders into indexed, embedded chunks.

    >>> registry = default_parser_registry(ocr=ocr, max_image_pixels=50_000_000)  # doctest: +SKIP
    >>> pipeline = IngestionPipeline(registry=registry,
    ...     splitter=TokenSplitter(tokenizer=TiktokenTokenizer()), embedder=embedder,
    ...     index=index, max_file_bytes=100 * 1024 * 1024)  # doctest: +SKIP
    >>> pipeline.run([Path("docs")]).counts  # doctest: +SKIP
    {'added': 12, 'updated': 0, 'unchanged': 0, 'failed': 1}
    """

    def __init__(
        self,
        *,
        registry: ParserRegistry,
        splitter: TokenSplitter,
        embedder: TextEmbedder,
        index: SearchIndex,
        max_file_bytes: int,
    ) -> None:
        self._registry = registry
        self._splitter = splitter
        self._embedder = embedder
        self._index = index
        self.max_file_bytes = max_file_bytes

    def run(
        self,
        paths: Sequence[Path],
        *,
        progress: IngestProgress | None = None,
        dry_run: bool = False,
    ) -> IngestReport:
        """Ingest the files under ``paths`` (files or folders, walked recursively).

        With ``dry_run`` every file is checked, parsed and split, but nothing is embedded or
        written; the report says what a real run would do.
        """
        files = discover_files(paths)
        if progress is not None:
            progress.on_start(len(files))
        results = []
        for path in files:
            result = self.ingest_file(path, dry_run=dry_run)
            results.append(result)
            if progress is not None:
                progress.on_file(result)
        return IngestReport(files=results, dry_run=dry_run)

    def ingest_file(self, path: Path, *, dry_run: bool = False) -> FileResult:
        """Ingest one file; never raises for a bad file, the result says what went wrong."""
        started = time.perf_counter()
        try:
            status, chunks = self._ingest(path, dry_run=dry_run)
        except IngestionError as exc:
            return _failure(path, exc.reason, started)
        except Exception as exc:  # one broken file must not stop the run; its name is kept
            return _failure(path, f"unexpected error: {type(exc).__name__}: {exc}", started)
        return FileResult(
            path=path,
            source=path.name,
            status=status,
            chunks=chunks,
            seconds=time.perf_counter() - started,
        )

    def _ingest(self, path: Path, *, dry_run: bool) -> tuple[FileStatus, int]:
        parser = self._registry.for_path(path)
        document = self._describe(path)
        previous = self._index.get_document(document.document_id)
        if previous is not None and previous.content_hash == document.content_hash:
            return "unchanged", 0
        pages = list(parser.parse(path, source=document.source))
        chunks = self._splitter.split(pages, document)
        if not chunks:
            raise IngestionError(path, "no text found (scanned pages and empty files have none)")
        if not dry_run:
            vectors = self._embedder.embed_documents([embedding_text(c) for c in chunks])
            self._index.replace_document(document, chunks, vectors)
        return ("added" if previous is None else "updated"), len(chunks)

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


def _failure(path: Path, reason: str, started: float) -> FileResult:
    return FileResult(
        path=path,
        source=path.name,
        status="failed",
        error=reason,
        seconds=time.perf_counter() - started,
    )
