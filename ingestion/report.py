"""What an ingestion run did, file by file, and the hook a front end uses to show progress."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, computed_field

FileStatus = Literal["added", "updated", "unchanged", "removed", "failed"]
STATUSES: tuple[FileStatus, ...] = ("added", "updated", "unchanged", "removed", "failed")
# The stages a file goes through, in order; FileResult.stages holds seconds for those it ran.
STAGES = ("parse", "enrich", "split", "attributes", "embed", "embed_images", "write")


class FileResult(BaseModel):
    """The outcome for one file; ``error`` says why a failed file was not ingested.

    ``removed``: the file is gone and ``--prune`` took its document out of the index.
    ``warnings``: problems that did not stop the file (e.g. an image that could not be read).
    """

    model_config = ConfigDict(frozen=True)

    path: Path
    source: str
    status: FileStatus
    chunks: int = 0
    pages: int = 0
    images: int = 0
    error: str | None = None
    seconds: float = 0.0
    stages: dict[str, float] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)


class IngestReport(BaseModel):
    """Every file of a run, in the order processed, with totals.

    >>> report = pipeline.run([Path("docs")])  # doctest: +SKIP
    >>> [(r.source, r.error) for r in report.failed]  # doctest: +SKIP
    [('scan.xyz', "unsupported file type '.xyz' (supported: .csv, ...)")]
    """

    files: list[FileResult]
    dry_run: bool = False
    seconds: float = 0.0  # wall time of the whole run
    repaired: list[str] = Field(default_factory=list)  # documents fixed after an interrupted run
    # Documents removed from a damaged index at the start of the run (duplicate rows or chunk
    # ids, chunks without a document row), each with what was wrong; their files are ingested
    # again when they still exist.
    index_repairs: list[str] = Field(default_factory=list)

    def _with(self, status: FileStatus) -> list[FileResult]:
        return [result for result in self.files if result.status == status]

    @property
    def failed(self) -> list[FileResult]:
        return self._with("failed")

    @property
    def added(self) -> list[FileResult]:
        return self._with("added")

    @property
    def updated(self) -> list[FileResult]:
        return self._with("updated")

    @property
    def unchanged(self) -> list[FileResult]:
        return self._with("unchanged")

    @property
    def removed(self) -> list[FileResult]:
        return self._with("removed")

    def _written(self) -> list[FileResult]:
        return [r for r in self.files if r.status in ("added", "updated")]

    @computed_field  # type: ignore[prop-decorator]  # mypy rejects decorated properties
    @property
    def total_chunks(self) -> int:
        """Chunks written (or, in a dry run, that would be written) by this run."""
        return sum(r.chunks for r in self._written())

    @computed_field  # type: ignore[prop-decorator]  # mypy rejects decorated properties
    @property
    def total_pages(self) -> int:
        return sum(r.pages for r in self._written())

    @computed_field  # type: ignore[prop-decorator]  # mypy rejects decorated properties
    @property
    def total_images(self) -> int:
        return sum(r.images for r in self._written())

    @computed_field  # type: ignore[prop-decorator]  # mypy rejects decorated properties
    @property
    def counts(self) -> dict[str, int]:
        return {status: len(self._with(status)) for status in STATUSES}

    @computed_field  # type: ignore[prop-decorator]  # mypy rejects decorated properties
    @property
    def stage_seconds(self) -> dict[str, float]:
        """Seconds spent in each stage, summed over the files."""
        return {stage: sum(r.stages.get(stage, 0.0) for r in self.files) for stage in STAGES}

    def to_json(self) -> str:
        """The report as JSON: totals, one entry per file, and failures with their reasons."""
        body = self.model_dump(mode="json")
        body["failures"] = [{"path": str(r.path), "reason": r.error} for r in self.failed]
        return json.dumps(body, indent=2, ensure_ascii=False)


class IngestProgress(Protocol):
    """Told about a run as it goes (the CLI draws a progress bar from it)."""

    def on_start(self, total: int) -> None:
        """Called once, with the number of files about to be processed."""

    def on_file(self, result: FileResult) -> None:
        """Called after each file, whatever its outcome."""
