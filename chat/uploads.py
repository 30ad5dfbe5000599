"""Per-user document uploads: checked, stored under the user's own folder, and ingested
incrementally into the shared index with the user as the only reader.

Usage::

    uploads = UserUploads(root=Path(".ridgeline/uploads"), ingestor=ingestor,
                          suffixes=(".pdf", ".txt"))
    uploads.add("alice", "notes.txt", b"Our tent is green.")   # -> chunks indexed
    uploads.list("alice")                                     # ["notes.txt"]
    uploads.delete("alice", "notes.txt")
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from ingestion.index_lock import IndexLock
from ridgeline.errors import FeatureNotAvailableError, IngestionError, RidgelineError
from ridgeline.protocols import BulkLoadingIndex, SearchIndex
from ridgeline.ranking import RankedChunk, RankingQuery
from ridgeline.types import Chunk, NewDocument, SourceDocument

# Letters and digits of any script stay (so "résumé" and "resume" are two files); anything else
# becomes "_" and the name then gets a digest of the original, so that "a?b" and "a*b" do not
# overwrite each other either.
_UNSAFE_CHARS = re.compile(r"[^\w. -]+")
# Stored names stay well under the 255 bytes most file systems allow.
_MAX_NAME_BYTES = 150
_MAX_SUFFIX_CHARS = 10
# The first bytes a file of each binary type must start with.
_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


class UploadRejectedError(RidgelineError):
    """The uploaded file's name or type is not accepted (answered with HTTP 415)."""


class UploadTooLargeError(RidgelineError):
    """The uploaded file is over the size limit (answered with HTTP 413)."""


class UploadNotFoundError(RidgelineError):
    """The user has no uploaded file of that name (answered with HTTP 404)."""


class UploadIngestor(Protocol):
    """Puts one stored upload into the index, readable only by ``owner``; and takes it out."""

    def ingest(self, path: Path, *, owner: str) -> int:
        """The number of chunks indexed; raises IngestionError when the file cannot be used."""
        ...

    def forget(self, path: Path) -> None: ...


class UserUploads:
    """Each user's uploads live in ``root/<user folder>/`` and only they can list or delete them."""

    def __init__(self, *, root: Path, ingestor: UploadIngestor, suffixes: Sequence[str]) -> None:
        self.root = root
        self._ingestor = ingestor
        self._suffixes = tuple(s.lower() for s in suffixes)

    def add(self, user: str, filename: str, data: bytes) -> int:
        """The number of chunks indexed; an upload of the same name replaces the earlier one."""
        name = self._checked_name(filename)
        _check_content(name, data)
        folder = self.folder_of(user)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(data)
        try:
            return self._ingestor.ingest(path, owner=user)
        except Exception:
            path.unlink(missing_ok=True)  # a file that could not be indexed is not kept
            raise

    def list(self, user: str) -> list[str]:
        folder = self.folder_of(user)
        return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []

    def delete(self, user: str, filename: str) -> None:
        path = self.folder_of(user) / stored_name(filename)
        if not stored_name(filename) or not path.is_file():
            raise UploadNotFoundError(f"{filename!r}: no such uploaded file")
        self._ingestor.forget(path)
        path.unlink()

    def folder_of(self, user: str) -> Path:
        # A digest keeps any user id a safe, fixed-length folder name.
        return self.root / hashlib.sha256(user.encode()).hexdigest()[:24]

    def may_read(self, document: SourceDocument, user: str) -> bool:
        """Uploads are readable by their owner only; other documents by everyone."""
        owner = self.owner_folder(Path(document.path))
        return owner is None or owner == self.folder_of(user)

    def owner_folder(self, path: Path) -> Path | None:
        """The user folder ``path`` lies in, if it is an upload."""
        try:
            relative = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return None
        return self.root / relative.parts[0] if relative.parts else None

    def _checked_name(self, filename: str) -> str:
        name = stored_name(filename)
        if not name or name.startswith("."):
            raise UploadRejectedError(f"{filename!r}: not a usable file name")
        if Path(name).suffix.lower() not in self._suffixes:
            allowed = ", ".join(self._suffixes)
            raise UploadRejectedError(f"{name}: unsupported file type (allowed: {allowed})")
        return name


def stored_name(filename: str) -> str:
    """The name an upload is stored (and cited) under: its last path part, NFC-normalised,
    safe characters only, at most ``_MAX_NAME_BYTES`` bytes, always with its suffix."""
    base = unicodedata.normalize("NFC", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    cleaned = _UNSAFE_CHARS.sub("_", base).strip()
    if cleaned == base and len(cleaned.encode()) <= _MAX_NAME_BYTES:
        return cleaned
    stem, suffix = _split_suffix(cleaned)
    tag = "-" + hashlib.sha256(base.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    room = _MAX_NAME_BYTES - len(suffix.encode()) - len(tag)
    stem = stem.encode()[:room].decode("utf-8", "ignore").rstrip()
    return f"{stem}{tag}{suffix}" if stem else ""


def _split_suffix(name: str) -> tuple[str, str]:
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix) > _MAX_SUFFIX_CHARS or not suffix.isalnum():
        return name, ""
    return stem, f".{suffix}"


def _check_content(name: str, data: bytes) -> None:
    suffix = Path(name).suffix.lower()
    magic = _MAGIC.get(suffix)
    if magic is not None:
        if not data.startswith(magic):
            raise UploadRejectedError(f"{name}: the content is not a {suffix[1:].upper()} file")
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UploadRejectedError(f"{name}: a {suffix} file must be UTF-8 text") from exc


class OwnedIndex:
    """A SearchIndex view that writes every chunk readable by ``owner`` only.

    The ingestion pipeline writes through it, so uploads get their access list without the
    pipeline knowing about users. Reads are forwarded one by one, never wholesale: a write
    method the view does not define must not reach the wrapped index unstamped.
    """

    def __init__(self, index: SearchIndex, *, owner: str) -> None:
        self._index = index
        self._owner = owner

    def get_document(self, document_id: str) -> SourceDocument | None:
        return self._index.get_document(document_id)

    def list_documents(self) -> list[SourceDocument]:
        return self._index.list_documents()

    def delete_document(self, document_id: str) -> None:
        self._index.delete_document(document_id)

    def count_chunks(self) -> int:
        return self._index.count_chunks()

    def rank(self, queries: Sequence[RankingQuery]) -> list[list[RankedChunk]]:
        return self._index.rank(queries)

    def fetch(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        return self._index.fetch(chunk_ids)

    def replace_document(
        self,
        document: SourceDocument,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        *,
        image_vectors: Sequence[Sequence[float] | None] | None = None,
    ) -> None:
        self._index.replace_document(
            document, self._owned(chunks), vectors, image_vectors=image_vectors
        )

    def bulk_load(
        self, documents: Iterable[NewDocument], *, batch_rows: int = 100_000, fold_in: bool = True
    ) -> int:
        if not isinstance(self._index, BulkLoadingIndex):
            raise FeatureNotAvailableError(f"{type(self._index).__name__} has no bulk_load")
        owned = (replace(item, chunks=self._owned(item.chunks)) for item in documents)
        return self._index.bulk_load(owned, batch_rows=batch_rows, fold_in=fold_in)

    def _owned(self, chunks: Sequence[Chunk]) -> list[Chunk]:
        return [c.model_copy(update={"access_users": (self._owner,)}) for c in chunks]


class IngestResult(Protocol):
    """What the ingestion pipeline reports for one file."""

    status: str
    chunks: int
    error: str | None


class PipelineUploadIngestor:
    """An UploadIngestor over the ingestion pipeline: ``pipeline_for(index)`` makes a pipeline
    writing to ``index`` (here an :class:`OwnedIndex`), whose ``ingest_file`` is used."""

    def __init__(
        self,
        *,
        index: SearchIndex,
        pipeline_for: Callable[[SearchIndex], Any],
        lock: IndexLock | None = None,
    ) -> None:
        self._index = index
        self._pipeline_for = pipeline_for
        self._lock = lock  # the index's writer lock, for deletes (the pipeline locks ingests)

    def ingest(self, path: Path, *, owner: str) -> int:
        pipeline = self._pipeline_for(OwnedIndex(self._index, owner=owner))
        result: IngestResult = pipeline.ingest_file(path)
        if result.status == "failed":
            raise IngestionError(path.name, result.error or "the file could not be ingested")
        return result.chunks

    def forget(self, path: Path) -> None:
        with self._lock.held() if self._lock is not None else nullcontext():
            self._forget(path)

    def _forget(self, path: Path) -> None:
        target = path.resolve()
        for document in self._index.list_documents():
            if Path(document.path).resolve() == target:
                self._index.delete_document(document.document_id)
