"""Office files are zip archives: refuse zip bombs before a library unpacks them.

A zip bomb is a small file whose members expand to gigabytes. The check reads only the zip's
central directory (the declared sizes), so it costs nothing even for a bomb; the libraries that
open the file afterwards would otherwise inflate everything in memory.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from ridgeline.errors import CorruptFileError, IngestionError


@dataclass(frozen=True)
class ArchiveLimits:
    """Limits for a zip-based file: total uncompressed bytes, ratio, and number of members."""

    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_ratio: float = 100.0
    max_members: int = 10_000
    # Below this size a high ratio is harmless (a tiny sheet of repeated cells compresses 200:1).
    ratio_floor_bytes: int = 16 * 1024 * 1024


def check_office_archive(path: Path, limits: ArchiveLimits) -> None:
    """Raises ``IngestionError`` if ``path`` is a zip bomb, ``CorruptFileError`` if not a zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptFileError(
            path, f"not a readable Office file (bad zip archive: {exc})"
        ) from exc
    if len(members) > limits.max_members:
        raise IngestionError(
            path, f"archive has {len(members):,} members, above the limit of {limits.max_members:,}"
        )
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if total > limits.max_uncompressed_bytes:
        raise IngestionError(
            path,
            f"refused as a possible zip bomb: it would expand to {total:,} bytes, above the "
            f"limit of {limits.max_uncompressed_bytes:,}",
        )
    ratio = total / max(packed, 1)
    if total > limits.ratio_floor_bytes and ratio > limits.max_ratio:
        raise IngestionError(
            path,
            f"refused as a possible zip bomb: compression ratio {ratio:,.0f}:1 is above the "
            f"limit of {limits.max_ratio:,.0f}:1",
        )
