"""Write generated files only when their bytes change, so rebuilds leave unchanged files alone."""

from __future__ import annotations

from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` (parents created) unless it already holds exactly those bytes.

    Returns True when the file was written. Untouched files keep their modification time, which
    lets an incremental ingestion skip them cheaply.
    """
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True
