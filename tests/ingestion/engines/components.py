"""Stage components for Ray workers in the tests: real parsers, splitter and enricher, fast fake
embedders. Module-level functions, so a worker process imports them by name (the tests put the
repository on the workers' PYTHONPATH)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ingestion.batch import PreparedFile
from ingestion.engines import StageComponents
from ingestion.enrich import ImageEnricher
from ingestion.prepare import FilePlan, FilePreparer
from ingestion.registry import default_parser_registry
from ingestion.report import FileResult
from ingestion.splitter import TokenSplitter
from ridgeline.providers.captioner import OfflineCaptioner
from ridgeline.providers.tokenizer import TiktokenTokenizer
from tests.fakes import HashingEmbedder
from tests.ingestion.fakes import FixedOcr, MeanColourImageEmbedder

DIMENSION = 384  # what the LanceDB index in the tests is built with
OCR_TEXT = "TRAIL MAP NORTH RIDGE"


def preparer(assets_dir: Path) -> FilePreparer:
    ocr = FixedOcr(OCR_TEXT)
    return FilePreparer(
        registry=default_parser_registry(ocr=ocr, max_image_pixels=10**7, assets_dir=assets_dir),
        splitter=TokenSplitter(tokenizer=TiktokenTokenizer()),
        enricher=ImageEnricher(
            ocr=ocr, captioner=OfflineCaptioner(), cache=None, max_image_pixels=10**7
        ),
    )


def fake_components(assets_dir: Path) -> StageComponents:
    return StageComponents(
        preparer=preparer(assets_dir),
        embedder=HashingEmbedder(dimension=DIMENSION),
        image_embedder=MeanColourImageEmbedder(),
    )


class MarkingEmbedder(HashingEmbedder):
    """Appends a line to ``marker`` per batch (how far a run got); exits its process at the
    batch whose texts hold ``die_on`` the first time it sees it (``once`` is the proof)."""

    def __init__(self, marker: Path, die_on: str | None, once: Path | None) -> None:
        super().__init__(dimension=DIMENSION)
        self._marker, self._die_on, self._once = marker, die_on, once

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        with self._marker.open("a", encoding="utf-8") as handle:
            handle.write("embedded\n")
        dies = self._die_on is not None and any(self._die_on in text for text in texts)
        if dies and self._once is not None and not self._once.exists():
            self._once.write_text("died", "utf-8")
            os._exit(9)  # the actor's process dies mid-call, as under kill -9
        return super().embed_documents(texts)


class DyingPreparer(FilePreparer):
    """Exits its worker process the first time it is given the file named ``die_on``."""

    def __init__(self, base: FilePreparer, die_on: str, once: Path) -> None:
        self._base, self._die_on, self._once = base, die_on, once

    def prepare(self, plan: FilePlan, **options: Any) -> PreparedFile | FileResult:
        if plan.path.name == self._die_on and not self._once.exists():
            self._once.write_text("died", "utf-8")
            os._exit(9)  # the task's worker dies mid-file, as under kill -9
        return self._base.prepare(plan, **options)


def marking_components(
    assets_dir: Path,
    marker: Path,
    die_on: str | None = None,
    once: Path | None = None,
    die_preparing: str | None = None,
) -> StageComponents:
    """Marks each embedded batch; optionally kills the embedding actor (a batch with
    ``die_on``) and a preparing task's worker (file ``die_preparing``) once each."""
    prepare = preparer(assets_dir)
    if die_preparing is not None and once is not None:
        prepare = DyingPreparer(prepare, die_preparing, once.with_suffix(".task"))
    return StageComponents(
        preparer=prepare,
        embedder=MarkingEmbedder(marker, die_on, once),
        image_embedder=MeanColourImageEmbedder(),
    )
