"""Expand the files and folders a user names into the files to ingest.

Folders are walked recursively in sorted order, skipping hidden files and folders. Files of
unsupported types are kept on purpose: the pipeline reports them as failures rather than dropping
them silently. Only operating-system litter (``Thumbs.db``, editor backups) is left out. An entry
that cannot be resolved (a symlink loop) is kept too, so that it alone fails with its reason.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

_JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini"})


def is_junk(path: Path) -> bool:
    """True for files no one means to ingest: OS metadata and editor backup files."""
    name = path.name.lower()
    return name in _JUNK_NAMES or name.startswith("._") or name.endswith("~")


def resolved(path: Path) -> Path:
    """``path`` resolved, or made absolute when it cannot be (a symlink loop), so that one bad
    entry is reported by the pipeline instead of ``RuntimeError: Symlink loop`` ending the run."""
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return path.expanduser().absolute()


def missing_reason(path: Path) -> str:
    """Why ``path`` is not a readable regular file, in words for the ingest report."""
    if path.is_symlink():
        try:
            path.resolve(strict=True)
        except RuntimeError:  # Python before 3.13 reports a loop this way
            return "a symlink loop (the link points back to itself); nothing was read"
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "a symlink loop (the link points back to itself); nothing was read"
            return "a broken symlink (its target does not exist)"
    return "no such file" if not path.exists() else "not a regular file"


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _is_hidden(d))  # prunes the walk in place
        for name in sorted(files):
            path = Path(root) / name
            if not _is_hidden(name) and not is_junk(path):
                yield path


def _named_file(path: Path) -> list[Path]:
    return [] if is_junk(path) else [path]


def discover_files(paths: Sequence[Path]) -> list[Path]:
    """Files under ``paths``, in the order given, each folder expanded and sorted.

    A path named explicitly is kept even if it is hidden or does not exist (the pipeline then
    reports it), unless it is OS litter. A file reached twice is listed once.

    >>> discover_files([Path("docs"), Path("extra/notes.txt")])  # doctest: +SKIP
    [PosixPath('docs/a.pdf'), PosixPath('docs/sub/b.md'), PosixPath('extra/notes.txt')]
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        candidates: Iterable[Path] = _walk(path) if path.is_dir() else _named_file(path)
        for candidate in candidates:
            key = resolved(candidate)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found
