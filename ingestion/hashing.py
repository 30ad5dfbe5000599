"""Content hashes and stable document ids.

The content hash decides whether a file changed since it was last ingested; the document id
decides which indexed document a file replaces, so it depends on where the file is, not on what
it holds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_BLOCK_BYTES = 1024 * 1024


def content_hash(path: Path) -> str:
    """SHA-256 of the file's bytes as hex, read in blocks so large files never sit in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK_BYTES):
            digest.update(block)
    return digest.hexdigest()


def document_id_for(path: Path) -> str:
    """A stable id for the file at ``path``: the same file gives the same id from any cwd.

    Hex only, so index backends can put it in filter expressions without quoting worries.

    >>> document_id_for(Path("/data/handbook.pdf")) == document_id_for(Path("/data/./handbook.pdf"))
    True
    """
    resolved = str(path.expanduser().resolve())
    return hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:24]
