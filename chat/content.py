"""Which files ``GET /content/<name>`` may serve: the ingested documents (by the name their
citations use), the files under the index's assets folder (extracted figures, page images), and
the images beside a document (a catalog's photos, ``<source>/<path in the catalog's folder>``).

Nothing else is reachable: names are never joined to a folder without checking that the
resolved path (symlinks followed) stays inside it. An asset is served only when it belongs to
a document the caller may read: its folder is the one the ingestion parsers name after that
document (``<stem>-<hash>``); a folder no listed document owns is not served at all. An image
beside a document is served to those who may read that document and the image file itself
(an upload's photo is its owner's, whichever document's folder it lies in).

Responses name images by :meth:`ContentStore.image_url` (``/content/...``), never by where
the server keeps them.

Usage::

    store = ContentStore(documents=index.list_documents, assets_dir=index_dir / "assets")
    store.resolve("handbook.pdf#page=3")          # Path("/docs/handbook.pdf")
    store.resolve("manual-1a2b/figure1_1.png")     # Path(".../assets/manual-1a2b/figure1_1.png")
    store.resolve("../../etc/passwd")             # None
    store.image_url("/srv/shop/images/1/1.jpg", "products.csv")
    # "/content/products.csv/images/1/1.jpg" (the catalog is /srv/shop/products.csv)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ingestion.parsers.assets import asset_folder
from ridgeline.types import SourceDocument

# "#page=3" and a figure suffix "(figure1_1.png)" name a place in a file, not another file.
_ANCHOR = re.compile(r"#.*$")
CONTENT_PREFIX = "/content/"
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}
DocumentLister = Callable[[], Sequence[SourceDocument]]
# May this user read this document? (uploads are private to their owner)
ReadPermission = Callable[[SourceDocument, str], bool]


def _everyone(_: SourceDocument, __: str) -> bool:
    return True


class ContentStore:
    """Resolves content names to files, refusing anything outside the allowed roots."""

    def __init__(
        self,
        *,
        documents: DocumentLister,
        assets_dir: Path | None = None,
        may_read: ReadPermission = _everyone,
    ) -> None:
        self._documents = documents
        self._assets_dir = assets_dir
        self._may_read = may_read

    def resolve(self, name: str, *, user: str = "") -> Path | None:
        """The file ``name`` refers to, or None when it is unknown or not allowed."""
        name = _ANCHOR.sub("", name).strip()
        if not _is_plain_relative(name):
            return None
        try:
            document = self._document_named(name, user)
            if document is not None:
                return document
            return self._asset_named(name, user) or self._image_beside_named(name, user)
        except OSError:  # e.g. a name longer than the file system allows: no such file
            return None

    def image_url(self, stored_path: str, source: str) -> str | None:
        """The URL (``/content/...``) of a stored image of document ``source``; None when this
        store cannot serve it (then a response leaves it out rather than leak its path)."""
        try:
            name = self._asset_name(Path(stored_path)) or self._beside_name(
                Path(stored_path), source
            )
        except OSError:
            return None
        return None if name is None else CONTENT_PREFIX + quote(name)

    def _asset_name(self, stored: Path) -> str | None:
        if self._assets_dir is None:
            return None
        root = self._assets_dir.resolve()
        path = stored.resolve()
        return path.relative_to(root).as_posix() if path.is_relative_to(root) else None

    def _beside_name(self, stored: Path, source: str) -> str | None:
        """``<source>/<path relative to the document's folder>`` for an image beside it."""
        if stored.suffix.lower() not in _IMAGE_SUFFIXES or not _is_plain_relative(source):
            return None
        document = next((d for d in self._documents() if d.source == source), None)
        if document is None:
            return None
        path = stored.resolve()
        if path == Path(document.path).resolve():  # an image file ingested as a document
            return source
        folder = Path(document.path).parent.resolve()
        if not path.is_relative_to(folder):
            return None
        return f"{source}/{path.relative_to(folder).as_posix()}"

    def _document_named(self, name: str, user: str) -> Path | None:
        for document in self._documents():
            if document.source == name and self._may_read(document, user):
                path = Path(document.path)
                return path if path.is_file() else None
        return None

    def _asset_named(self, name: str, user: str) -> Path | None:
        if self._assets_dir is None:
            return None
        root = self._assets_dir.resolve()
        candidate = (root / name).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        folder = candidate.relative_to(root).parts[0]
        if not self._may_read_folder(folder, user):
            return None
        return candidate

    def _image_beside_named(self, name: str, user: str) -> Path | None:
        for document in self._documents():
            prefix = document.source + "/"
            if name.startswith(prefix) and (found := self._beside(document, name, user)):
                return found
        return None

    def _beside(self, document: SourceDocument, name: str, user: str) -> Path | None:
        folder = Path(document.path).parent.resolve()
        candidate = (folder / name[len(document.source) + 1 :]).resolve()
        if candidate.suffix.lower() not in _IMAGE_SUFFIXES or not candidate.is_relative_to(folder):
            return None
        if not candidate.is_file() or not self._may_read(document, user):
            return None
        # The file's own place counts too: a photo in someone's uploads stays theirs.
        as_file = document.model_copy(update={"path": candidate})
        return candidate if self._may_read(as_file, user) else None

    def _may_read_folder(self, folder: str, user: str) -> bool:
        """Whether ``user`` may read a document whose assets live in ``folder``."""
        assert self._assets_dir is not None
        return any(
            _folder_name(self._assets_dir, Path(document.path)) == folder
            and self._may_read(document, user)
            for document in self._documents()
        )


@lru_cache(maxsize=65536)
def _folder_name(assets_dir: Path, document_path: Path) -> str:
    # Hashing a resolved path per document and request adds up on big indexes.
    return asset_folder(assets_dir, document_path).name


def _is_plain_relative(name: str) -> bool:
    """A relative name without "..", backslashes, NUL or a drive: nothing that can climb out."""
    if not name or "\\" in name or "\x00" in name or ":" in name:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts
