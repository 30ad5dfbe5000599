"""The tables among the sources, as rows and columns the table composer can look cells up in.

Two shapes of table reach the answerer. Every parser renders a table (PDF, Word, PowerPoint,
spreadsheet sheets, Document Intelligence) as a Markdown block, whole or cut between rows with
the header repeated; and CSV or catalog-sheet rows arrive one record per source, as
``key: value`` lines, so the rows of one file are gathered back into one table with a citation
per row.

Usage::

    for table in tables_in(hits):
        table.header   # ("Region", "Manager", "Headcount")
        table.rows[0]  # Row(cells=("North", "Alice Moreau", "42"), citation="regions.xlsx#page=1")
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from chat.citations import on_page
from ingestion.parsers.anchors import PAGE_LINE
from ridgeline.types import ChunkKind, SearchHit

# A Markdown table: a header line, a |---| separator line, then rows, each starting with a pipe.
_TABLE = re.compile(
    r"^[ \t]*\|.*\|[ \t]*\n[ \t]*\|[ \t:|-]*-[ \t:|-]*\|[ \t]*(?:\n[ \t]*\|.*\|[ \t]*)*", re.M
)
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_FIELD = re.compile(r"^\s*([A-Za-z][\w ()/%.-]{0,40}?):\s*(.*)$")
# The columns a catalog record's unlabelled lines stand for (catalog_record renders the name
# first, on its own, and the description as a line of prose).
_NAME, _DESCRIPTION = "name", "description"


@dataclass(frozen=True)
class Row:
    """One row's cells, in header order, and the citation that shows it."""

    cells: tuple[str, ...]
    citation: str


@dataclass(frozen=True)
class Table:
    """A table found in the sources; ``rank`` is the rank of the first source holding it, and
    ``products`` says its rows are priced catalog products (the product composers rank those)."""

    header: tuple[str, ...]
    rows: tuple[Row, ...]
    rank: int
    source: str
    products: bool = False

    def column(self, index: int) -> list[str]:
        return [row.cells[index] for row in self.rows]


def tables_in(sources: Sequence[SearchHit]) -> list[Table]:
    """The Markdown tables of text sources and the CSV/catalog rows gathered by file, in the
    rank order of the source that holds them."""
    tables = [t for rank, hit in enumerate(sources) for t in _markdown_tables(hit, rank)]
    tables += _record_tables(sources)
    return sorted(tables, key=lambda t: t.rank)


def _markdown_tables(hit: SearchHit, rank: int) -> Iterator[Table]:
    chunk = hit.chunk
    if chunk.kind == ChunkKind.CATALOG:
        return
    for match in _TABLE.finditer(chunk.content):
        lines = match.group(0).strip().split("\n")
        header = _cells(lines[0])
        rows = [_cells(line) for line in lines[2:]]
        rows = [row for row in rows if any(row)]
        if not rows or not any(header):
            continue
        citation = _page_citation(chunk.citation, chunk.content, match.start())
        width = len(header)
        shaped = tuple(Row(_fit(row, width), citation) for row in rows)
        yield Table(header=header, rows=shaped, rank=rank, source=chunk.source)


def _cells(line: str) -> tuple[str, ...]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return tuple(cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(inner))


def _fit(cells: tuple[str, ...], width: int) -> tuple[str, ...]:
    return (cells + ("",) * width)[:width]


def _page_citation(citation: str, content: str, position: int) -> str:
    """The citation of the page the table starts on: a chunk across a page break carries
    ``[Page N]`` lines, and a table after one is on page N."""
    pages = [m for m in PAGE_LINE.finditer(content) if m.start() < position]
    return on_page(citation, int(pages[-1].group(1))) if pages else citation


def _record_tables(sources: Sequence[SearchHit]) -> list[Table]:
    """CSV and catalog-sheet records gathered by file into one table each, a row per record."""
    by_source: dict[str, list[tuple[int, SearchHit]]] = {}
    for rank, hit in enumerate(sources):
        if hit.chunk.kind == ChunkKind.CATALOG and "#id=" in hit.chunk.citation:
            by_source.setdefault(hit.chunk.source, []).append((rank, hit))
    return [_record_table(source, hits) for source, hits in by_source.items()]


def _record_table(source: str, hits: list[tuple[int, SearchHit]]) -> Table:
    # A long record is cut into several chunks with the same citation: its fields are merged.
    records: dict[str, dict[str, str]] = {}
    for _, hit in hits:
        fields = records.setdefault(hit.chunk.citation, {})
        for key, value in _record_fields(hit).items():
            fields.setdefault(key, value)
    header: list[str] = []
    for fields in records.values():
        header += [key for key in fields if key not in header]
    rows = tuple(
        Row(tuple(fields.get(key, "") for key in header), citation)
        for citation, fields in records.items()
    )
    # A catalog of products has prices (the spreadsheet parser's rule: a name and a price).
    priced = any(h.chunk.price is not None for _, h in hits) or "price" in map(str.lower, header)
    return Table(tuple(header), rows, rank=hits[0][0], source=source, products=priced)


def _record_fields(hit: SearchHit) -> dict[str, str]:
    """``key: value`` lines as fields; the record's name line and prose lines as ``name`` and
    ``description``."""
    fields: dict[str, str] = {}
    title = (hit.chunk.title or "").strip()
    for line in (ln.strip() for ln in hit.chunk.content.splitlines()):
        if not line or line.startswith("["):
            continue  # figure and page lines are not fields
        if title and line == title:
            fields.setdefault(_NAME, line)
            continue
        field = _FIELD.match(line)
        if field and field.group(2).strip():
            fields.setdefault(field.group(1).strip(), field.group(2).strip())
        elif not field:
            fields.setdefault(_DESCRIPTION, line)
    return fields
