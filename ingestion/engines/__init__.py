"""Engines that schedule the per-file stages of an ingestion run.

The pipeline plans each file (content hash against the index: new, changed, unchanged) where
the index is, and writes there too, through its journalled writes. What runs between (parse,
enrich, split, embed) is scheduled by an engine: by default the pipeline itself, in one process;
with ``RayEngine`` (:mod:`ingestion.engines.ray_engine`, the optional ``ray`` extra) as Ray tasks
and actors on a local or remote Ray cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from ingestion.batch import EmbedWriteBatch
from ingestion.prepare import FilePlan, FilePreparer
from ingestion.report import FileResult
from ridgeline.protocols import ImageEmbedder, TextEmbedder

__all__ = ["IngestEngine", "StageComponents"]


@dataclass(frozen=True)
class StageComponents:
    """What a worker needs to prepare and embed files: the same parsers, splitter, enricher
    and embedders as the single-process pipeline (models load on first use)."""

    preparer: FilePreparer
    embedder: TextEmbedder
    image_embedder: ImageEmbedder | None = None


class IngestEngine(Protocol):
    """Prepares and embeds planned files, and hands them to ``writer.write`` in this process."""

    def process(
        self,
        plans: Iterator[FilePlan | FileResult],
        *,
        writer: EmbedWriteBatch,
        dry_run: bool,
        on_done: Callable[[list[FileResult]], None],
    ) -> None:
        """Every plan's file prepared, embedded and written (``writer.write``), and every
        file's result passed to ``on_done`` as soon as it is known; a plan that is already a
        result (unchanged, failed) goes straight to ``on_done``."""
        ...
