"""What an ingestion run did, file by file, and the hook a front end uses to show progress."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, computed_field

FileStatus = Literal["added", "updated", "unchanged", "failed"]


class FileResult(BaseModel):
    """The outcome for one file; ``error`` says why a failed file was not ingested."""

    model_config = ConfigDict(frozen=True)

    path: Path
    source: str
    status: FileStatus
    chunks: int = 0
    error: str | None = None
    seconds: float = 0.0


class IngestReport(BaseModel):
    """Every file of a run, in the order processed, with totals.

    >>> report = pipeline.run([Path("docs")])  # doctest: +SKIP
    >>> [(r.source, r.error) for r in report.failed]  # doctest: +SKIP
    [('scan.xyz', "unsupported file type '.xyz' (supported: .csv, ...)")]
    """

    files: list[FileResult]
    dry_run: bool = False

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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_chunks(self) -> int:
        """Chunks written (or, in a dry run, that would be written) by this run."""
        return sum(r.chunks for r in self.files if r.status in ("added", "updated"))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        statuses: tuple[FileStatus, ...] = ("added", "updated", "unchanged", "failed")
        return {status: len(self._with(status)) for status in statuses}


class IngestProgress(Protocol):
    """Told about a run as it goes (the CLI draws a progress bar from it)."""

    def on_start(self, total: int) -> None:
        """Called once, with the number of files about to be processed."""

    def on_file(self, result: FileResult) -> None:
        """Called after each file, whatever its outcome."""
