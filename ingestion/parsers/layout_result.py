"""Maps an Azure AI Document Intelligence ``AnalyzeResult`` (prebuilt-layout) to pages.

One page per document page. Paragraphs keep their reading order; page headers, footers and page
numbers are dropped; paragraphs that are table cells are left out because the table itself is
rendered once, as a Markdown block at its place. The first ``title`` paragraph titles every page.
Figures (extracted separately) are placed by their distance from the top of the page; the
paragraphs inside a drawn figure's area (its tick labels and legend) are left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from ingestion.parsers.anchors import figure_marker
from ingestion.parsers.pdf_layout import PageItem, compose
from ingestion.parsers.tables import markdown_table
from ridgeline.types import ImageAsset, Page

_SKIPPED_ROLES = frozenset({"pageHeader", "pageFooter", "pageNumber"})
_POINTS_PER_UNIT = {"inch": 72.0, "pixel": 1.0}

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points from the page's top


class PlacedFigure(NamedTuple):
    """A figure of a page, its top in points, and for a drawn figure its area (whose
    paragraphs are the figure's own words)."""

    asset: ImageAsset
    top: float
    area: Box | None = None


Figures = Mapping[int, Sequence[PlacedFigure | tuple[ImageAsset, float]]]


def _spans(element: Any) -> list[tuple[int, int]]:
    return [(span.offset, span.offset + span.length) for span in element.spans or []]


def _inside(element: Any, areas: Sequence[tuple[int, int]]) -> bool:
    return any(start <= offset < end for offset, _ in _spans(element) for start, end in areas)


def _region(element: Any) -> tuple[int, float]:
    """(page number, top of the element in the page's unit) of its first bounding region."""
    region = element.bounding_regions[0]
    top = min((point.y for point in region.polygon or []), default=0.0)
    return region.page_number, top


def _centre(element: Any, scale: float) -> tuple[float, float]:
    polygon = element.bounding_regions[0].polygon or []
    if not polygon:
        return (-1.0, -1.0)
    xs, ys = [point.x for point in polygon], [point.y for point in polygon]
    return (min(xs) + max(xs)) / 2 * scale, (min(ys) + max(ys)) / 2 * scale


def _in_figure(element: Any, scale: float, areas: Sequence[Box]) -> bool:
    x, y = _centre(element, scale)
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in areas)


def _table_text(table: Any) -> str:
    grid = [[""] * table.column_count for _ in range(table.row_count)]
    for cell in table.cells:
        grid[cell.row_index][cell.column_index] = cell.content
    return markdown_table(grid)


def _title(result: Any) -> str | None:
    for paragraph in result.paragraphs or []:
        if paragraph.role == "title":
            return str(paragraph.content).strip() or None
    return None


def _items(result: Any, drawn: Mapping[int, Sequence[Box]]) -> dict[int, list[PageItem]]:
    """Paragraphs and tables per page number, positioned in points from the page top; the
    paragraphs inside ``drawn`` figure areas are left out."""
    scale = {page.page_number: _POINTS_PER_UNIT.get(page.unit, 1.0) for page in result.pages}
    items: dict[int, list[PageItem]] = {page.page_number: [] for page in result.pages}
    tables = result.tables or []
    table_areas = [area for table in tables for area in _spans(table)]
    for table in tables:
        if table.bounding_regions:
            # A table that runs over two pages is kept whole on its first page.
            number, top = _region(table)
            items[number].append(PageItem(top * scale[number], _table_text(table), block=True))
    for paragraph in result.paragraphs or []:
        if paragraph.role in _SKIPPED_ROLES or not paragraph.bounding_regions:
            continue
        if _inside(paragraph, table_areas):
            continue
        number, top = _region(paragraph)
        if _in_figure(paragraph, scale[number], drawn.get(number, ())):
            continue
        items[number].append(PageItem(top * scale[number], paragraph.content, block=True))
    return items


def pages_from_layout(
    result: Any, *, source: str, figures: Figures | None = None
) -> Iterator[Page]:
    """The pages of ``result`` (an ``azure.ai.formrecognizer.AnalyzeResult``)."""
    title = _title(result)
    placed = {n: [PlacedFigure(*f) for f in found] for n, found in (figures or {}).items()}
    drawn = {n: [f.area for f in found if f.area] for n, found in placed.items()}
    for number, items in sorted(_items(result, drawn).items()):
        page_figures = placed.get(number, [])
        items.extend(
            PageItem(top, figure_marker(str(asset.figure_name)), block=True)
            for asset, top, _ in page_figures
        )
        yield Page(
            source=source,
            page_number=number,
            text=compose(items),
            title=title,
            images=tuple(figure.asset for figure in page_figures),
        )
