"""Plain text files: the whole file is one page without a page number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ingestion.parsers.text_files import read_text_file
from ridgeline.types import Page


class TextParser:
    """Parses ``.txt`` files; the citation is the bare file name.

    >>> next(TextParser().parse(Path("notes.txt"), source="notes.txt")).text  # doctest: +SKIP
    'Bring a headlamp.'
    """

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        yield Page(source=source, text=read_text_file(path).strip())
