"""Page layout from pdfplumber: text lines outside tables, and the tables themselves.

Used by the PDF parser for pages that hold tables or figures, where reading order matters: the
page is rebuilt from items sorted by their distance from the top of the page, lines of text
joined as they are, and each table or figure as its own block with blank lines around it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError

from ingestion.parsers.tables import markdown_table
from ridgeline.errors import CorruptFileError


@dataclass(frozen=True)
class PageItem:
    """One line of text (``block=False``) or one table/figure (``block=True``) and its top."""

    top: float
    text: str
    block: bool = False


def compose(items: Sequence[PageItem]) -> str:
    """Items in reading order; consecutive lines stay together, blocks get blank lines around."""
    parts: list[str] = []
    lines: list[str] = []
    for item in sorted(items, key=lambda it: it.top):
        if item.block:
            if lines:
                parts.append("\n".join(lines))
                lines = []
            parts.append(item.text)
        else:
            lines.append(item.text)
    if lines:
        parts.append("\n".join(lines))
    return "\n\n".join(part.strip() for part in parts if part.strip())


Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points from the page's top


def _inside(obj: dict[str, Any], boxes: Sequence[Box]) -> bool:
    mid_x = (obj["x0"] + obj["x1"]) / 2
    mid_y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= mid_x <= x1 and top <= mid_y <= bottom for x0, top, x1, bottom in boxes)


def looks_like_table(rows: Sequence[Sequence[str | None]]) -> bool:
    """At least 2x2 and mostly filled: chart gridlines also form "tables", of empty cells."""
    cells = [cell for row in rows for cell in row]
    if len(rows) < 2 or max((len(row) for row in rows), default=0) < 2:
        return False
    filled = sum(1 for cell in cells if cell and cell.strip())
    return filled >= len(cells) / 2


class PlumberLayout:
    """pdfplumber opened once per document; ``items(index)`` lays out one page.

    >>> with PlumberLayout(Path("a.pdf")) as layout:  # doctest: +SKIP
    ...     tables, items = layout.items(0)
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._pdf: Any = None
        self._tables: dict[int, list[tuple[Any, list[list[str | None]]]]] = {}

    def __enter__(self) -> PlumberLayout:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._pdf is not None:
            self._pdf.close()

    def _document(self) -> Any:
        if self._pdf is None:
            try:
                self._pdf = pdfplumber.open(self._path)
            except (PDFSyntaxError, ValueError) as exc:
                raise CorruptFileError(self._path, f"not a readable PDF ({exc})") from exc
        return self._pdf

    def _found(self, index: int) -> list[tuple[Any, list[list[str | None]]]]:
        """The page's tables with their rows, found once per page (the slow part)."""
        if index not in self._tables:
            page = self._document().pages[index]
            found = [(table, table.extract()) for table in page.find_tables()]
            self._tables[index] = [(table, rows) for table, rows in found if looks_like_table(rows)]
        return self._tables[index]

    def table_boxes(self, index: int) -> list[Box]:
        """Where the page's tables are: ``(x0, top, x1, bottom)`` from the top of the page."""
        return [table.bbox for table, _ in self._found(index)]

    def items(self, index: int, *, drawn: Sequence[Box] = ()) -> tuple[int, list[PageItem]]:
        """(number of tables, text lines outside tables + one block per table) for a page.

        Characters inside ``drawn`` boxes (drawn figures, placed by the caller) are left out.
        """
        page = self._document().pages[index]
        found = self._found(index)
        boxes = [table.bbox for table, _ in found]
        items = [PageItem(table.bbox[1], markdown_table(rows), block=True) for table, rows in found]
        hidden = [*boxes, *drawn]
        outside = page.filter(
            lambda obj: obj.get("object_type") != "char" or not _inside(obj, hidden)
        )
        items.extend(PageItem(line["top"], line["text"]) for line in outside.extract_text_lines())
        return len(found), [item for item in items if item.text.strip()]
