"""Collects a document without pages (DOCX, HTML) into one page per heading section.

A section's title is its heading path (``"Manual > Warranty"``), like Markdown sections; tables
and figure lines are separate blocks so the splitter can keep them whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingestion.parsers.anchors import figure_marker
from ridgeline.types import ImageAsset, Page


@dataclass
class SectionCollector:
    """Feed headings, text blocks and images in reading order; ``pages()`` gives the sections.

    >>> collector = SectionCollector(source="a.docx")
    >>> collector.heading(1, "Care")
    >>> collector.add("Dry the tent.")
    >>> [(p.title, p.text) for p in collector.pages()]
    [('Care', 'Dry the tent.')]
    """

    source: str
    title: str | None = None  # the document's own title, used before the first heading
    _headings: list[tuple[int, str]] = field(default_factory=list)  # (level, text), outermost first
    _blocks: list[str] = field(default_factory=list)
    _images: list[ImageAsset] = field(default_factory=list)
    _pages: list[Page] = field(default_factory=list)

    def heading(self, level: int, text: str) -> None:
        """A heading of ``level`` (0 for a document title, 1 for the top heading, ...)."""
        self._flush()
        while self._headings and self._headings[-1][0] >= level:
            self._headings.pop()
        self._headings.append((level, text.strip()))

    def add(self, text: str) -> None:
        if text.strip():
            self._blocks.append(text.strip())

    def image(self, asset: ImageAsset) -> None:
        self._images.append(asset)
        self._blocks.append(figure_marker(str(asset.figure_name)))

    @property
    def recent_text(self) -> str:
        """The last text block of the current section (a figure's context), or its title."""
        for block in reversed(self._blocks):
            if not block.startswith("[Figure "):
                return block
        return self._path() or ""

    def pages(self) -> list[Page]:
        self._flush()
        return self._pages

    def _path(self) -> str | None:
        return " > ".join(text for _, text in self._headings) or None

    def _flush(self) -> None:
        text = "\n\n".join(self._blocks)
        if text:
            title = self._path() or self.title
            self._pages.append(
                Page(source=self.source, text=text, title=title, images=tuple(self._images))
            )
        self._blocks, self._images = [], []
