"""Errors shared by every Ridgeline subsystem.

Each error carries enough context (a file name, a field) to be shown to a user as is.
"""

from __future__ import annotations

from pathlib import Path


class RidgelineError(Exception):
    """Base class of every error Ridgeline raises on purpose."""


class ConfigError(RidgelineError):
    """A setting is missing or inconsistent (e.g. an OpenAI model selected without an endpoint)."""


class FeatureNotAvailableError(RidgelineError):
    """A feature that exists in the design but is not built or not installed here."""


class IngestionError(RidgelineError):
    """A single file could not be ingested; the run goes on with the other files."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedFileError(IngestionError):
    """No parser is registered for this file type."""


class CorruptFileError(IngestionError):
    """The file claims a type but its content cannot be read as that type."""


class ModelError(RidgelineError):
    """A model (local or remote) failed to produce an output."""


class IndexBusyError(RidgelineError):
    """Another process is writing to the index (``ridgeline ingest`` or an upload); one writer
    at a time keeps the index free of duplicate documents and chunks (answered with HTTP 503)."""

    def __init__(self, directory: Path | str, pid: int | None) -> None:
        self.directory = Path(directory)
        self.pid = pid
        holder = f"pid {pid}" if pid is not None else "pid unknown"
        super().__init__(
            f"another ingest is running on {self.directory} ({holder}); "
            "wait for it to finish and try again"
        )
