"""File names of a run folder and atomic writes (a reader never sees half a file)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

RESULTS_FILE = "eval_results.jsonl"
SUMMARY_FILE = "summary.json"


def write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.writelines(chunks)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o644)  # mkstemp makes it owner-only; results are meant to be shared
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> None:
    write_atomically(path, [json.dumps(data, indent=2, ensure_ascii=False) + "\n"])
