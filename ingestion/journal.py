"""A write-ahead note of the documents being written, so a crash can be repaired on restart.

An index swaps a document's chunks in one commit and records the document row after it, but a
process killed between the two leaves chunks that the document row does not describe (new
chunks under the old content hash, or chunks with no row at all when the file was new). Before
each write the pipeline notes the document here, and clears the note once the index has the
document row; on the next start every note still open names a document that may disagree with
its chunks, and the pipeline repairs it (re-ingests the file, or removes the document when the
file is gone). SQLite commits are atomic and reach the operating system before ``begin``
returns, so the note itself survives a ``kill -9``.

    >>> journal = WriteJournal(index_dir / "ingest-journal.sqlite")
    >>> journal.begin(document)
    >>> index.replace_document(document, chunks, vectors)
    >>> journal.finish(document.document_id)
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ridgeline.types import SourceDocument

JOURNAL_FILE = "ingest-journal.sqlite"  # kept in the index folder
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS pending (document_id TEXT PRIMARY KEY, path TEXT NOT NULL, "
    "content_hash TEXT NOT NULL)"
)


@dataclass(frozen=True)
class PendingWrite:
    """A write that began and was not seen to finish."""

    document_id: str
    path: Path
    content_hash: str


class WriteJournal:
    """Open notes of document writes, in a SQLite file created on first use."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._connection: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            connection.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL hands each commit to the operating system before returning, so
            # the note survives the process being killed (``kill -9``), without an fsync per
            # note; like the index files themselves, it is not guarded against power loss.
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(_SCHEMA)
            connection.commit()
            self._connection = connection
        return self._connection

    def begin(self, *documents: SourceDocument) -> None:
        """Note writes of ``documents`` as open, in one commit."""
        db = self._db()
        db.executemany(
            "INSERT OR REPLACE INTO pending VALUES (?, ?, ?)",
            [(d.document_id, str(d.path), d.content_hash) for d in documents],
        )
        db.commit()

    def finish(self, *document_ids: str) -> None:
        """Settle the notes of ``document_ids``, in one commit."""
        db = self._db()
        db.executemany("DELETE FROM pending WHERE document_id = ?", [(i,) for i in document_ids])
        db.commit()

    def pending(self) -> list[PendingWrite]:
        rows = (
            self._db()
            .execute("SELECT document_id, path, content_hash FROM pending ORDER BY path")
            .fetchall()
        )
        return [PendingWrite(row[0], Path(row[1]), row[2]) for row in rows]

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
