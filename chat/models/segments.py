"""A chunk's text cut where it names a figure or crosses onto another page, each piece cited.

A figure line's words (``[Figure figure4_1.png] ...``) cite the figure, as
``doc.pdf#page=4(figure4_1.png)``; text after a ``[Page N]`` line (a chunk across a page break)
cites page N. The extractive answerer quotes from these pieces and the chart composer reads the
figure lines among them.

    >>> [(s.text, s.citation) for s in cited_segments(chunk.content, chunk.citation)]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from chat.citations import on_page
from ingestion.parsers.anchors import FIGURE_LINE, PAGE_LINE


@dataclass(frozen=True)
class Segment:
    text: str
    page: str  # the citation of the page the text is on
    figure: str | None = None  # the figure's file name, for a figure line's words

    @property
    def citation(self) -> str:
        return f"{self.page}({self.figure})" if self.figure else self.page


def cited_segments(content: str, citation: str) -> Iterator[Segment]:
    """The pieces of ``content`` in order: prose between anchor lines, and figure lines."""
    cursor = 0
    page_citation = citation
    for line in sorted(_anchor_lines(content), key=lambda m: m.start()):
        yield Segment(content[cursor : line.start()], page_citation)
        cursor = line.end()
        page = PAGE_LINE.fullmatch(line.group(0))
        if page is not None:
            page_citation = on_page(citation, int(page.group(1)))
            continue
        name = line.group(0)[len("[Figure ") :].split("]", 1)[0]
        yield Segment(line.group(0)[len(f"[Figure {name}]") :], page_citation, name)
    yield Segment(content[cursor:], page_citation)


def _anchor_lines(content: str) -> list[re.Match[str]]:
    return [*FIGURE_LINE.finditer(content), *PAGE_LINE.finditer(content)]
