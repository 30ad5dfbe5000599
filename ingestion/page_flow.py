"""Runs of PDF pages whose text reads on across page breaks, for the splitter.

A PDF page break is layout, not structure: a section that starts near the bottom of page 7
continues on page 8. Chunks of such a run may cross the break, and each cites the page where
it starts, where a reader following the citation begins reading. Slides, sheets, sections,
catalog records and audio segments are structural units and are never joined. A page that names
a figure starts a run of its own: a figure is cited with its chunk's page
(``file.pdf#page=5(figure5_1.png)``), so its chunk must start on the figure's page.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from ingestion.parsers.anchors import figure_marker, page_marker
from ridgeline.types import ChunkKind, ImageAsset, Page

FLOWING_SUFFIXES = (".pdf",)
PAGE_BREAK = "\n\n"  # a paragraph break, so a cut there is as good as at a sentence end


def flows_on(page: Page) -> bool:
    """Whether ``page`` may share chunks with the numbered pages beside it."""
    return (
        page.kind is ChunkKind.TEXT
        and page.page_number is not None
        and page.record_id is None
        and page.source.lower().endswith(FLOWING_SUFFIXES)
    )


def _names_figures(page: Page) -> bool:
    return any(
        image.figure_name and figure_marker(image.figure_name) in page.text for image in page.images
    )


def page_runs(pages: Sequence[Page]) -> list[list[Page]]:
    """``pages`` in order, grouped into runs of consecutive flowing pages of one source.

    Every other page is a run of its own, as is a flowing page whose neighbour is not the next
    page number (a gap means something between them was not text), and a page that names a
    figure.
    """
    runs: list[list[Page]] = []
    for page in pages:
        previous = runs[-1][-1] if runs else None
        if (
            previous is not None
            and flows_on(page)
            and flows_on(previous)
            and page.source == previous.source
            and page.page_number == (previous.page_number or 0) + 1
            and not _names_figures(page)
        ):
            runs[-1].append(page)
        else:
            runs.append([page])
    return runs


@dataclass(frozen=True)
class PageFlow:
    """The text of a run of pages joined at their breaks, and where each page starts in it."""

    pages: tuple[Page, ...]
    text: str
    starts: tuple[int, ...]

    @classmethod
    def join(cls, pages: Sequence[Page]) -> PageFlow:
        kept = [page for page in pages if page.text.strip()]
        parts: list[str] = []
        starts: list[int] = []
        position = 0
        for page in kept:
            starts.append(position)
            part = page.text.strip()
            parts.append(part)
            position += len(part) + len(PAGE_BREAK)
        return cls(pages=tuple(kept), text=PAGE_BREAK.join(parts), starts=tuple(starts))

    def page_at(self, offset: int) -> Page:
        """The page that holds character ``offset`` of the joined text."""
        return self.pages[max(bisect.bisect_right(self.starts, offset) - 1, 0)]

    def pages_within(self, start: int, end: int) -> list[Page]:
        """The pages whose text the span ``start:end`` of the joined text covers."""
        first = max(bisect.bisect_right(self.starts, start) - 1, 0)
        last = max(bisect.bisect_left(self.starts, end) - 1, first)
        return list(self.pages[first : last + 1])

    def marked(self, start: int, end: int, content: str) -> str:
        """``content`` (the span ``start:end``) with a ``[Page N]`` line where each later page
        begins; a table part rebuilt with its header (not a plain span) is left as it is."""
        if content != self.text[start:end]:
            return content
        cuts = [
            (offset - start, page.page_number)
            for offset, page in zip(self.starts, self.pages, strict=True)
            if start < offset < end and page.page_number is not None
        ]
        for cut, number in reversed(cuts):
            content = f"{content[:cut].rstrip()}\n{page_marker(number)}\n{content[cut:]}"
        return content

    def images_for(self, start: int, end: int, content: str) -> tuple[ImageAsset, ...]:
        """What :func:`page_images` keeps on each page the span ``start:end`` covers."""
        return tuple(
            image for page in self.pages_within(start, end) for image in page_images(page, content)
        )


def page_images(page: Page, content: str) -> tuple[ImageAsset, ...]:
    """The figures of ``page`` that ``content`` names, and the page's images no line names
    (page renders, a standalone image, catalog photos)."""
    kept = []
    for image in page.images:
        marker = figure_marker(image.figure_name) if image.figure_name else None
        if marker is None or marker not in page.text or marker in content:
            kept.append(image)
    return tuple(kept)
