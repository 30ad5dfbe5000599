"""``parameters.json``: what a run was (dataset, target, overrides, models, versions, time)."""

from __future__ import annotations

import platform
from datetime import UTC, datetime
from importlib import metadata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eval.runner import RunOptions
    from eval.scoring import Scorer
    from eval.targets import Target

PARAMETERS_FILE = "parameters.json"
_PACKAGES = ("ridgeline", "lancedb", "sentence-transformers", "openai", "httpx")


def versions() -> dict[str, str | None]:
    """Python's and the main packages' versions (``None`` for a package not installed)."""
    found: dict[str, str | None] = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def run_parameters(
    *, target: Target, scorer: Scorer, options: RunOptions, extra: dict[str, Any] | None
) -> dict[str, Any]:
    """The parameters of a run, ``extra`` (dataset paths, settings) merged in last."""
    return {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "target": target.describe(),
        "overrides": options.request_overrides(),
        "concurrency": options.concurrency,
        "retries": options.retries,
        "seed": options.seed,
        "scoring": scorer.describe(),
        "versions": versions(),
        **(extra or {}),
    }
