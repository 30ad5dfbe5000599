"""Markdown files: one page per section, titled by the headings above it.

A section's title is its heading path (``"Manual > Warranty"``), so every chunk cut from it keeps
that context. Markdown has no pages: ``page_number`` stays ``None`` and the citation is the bare
file name. Only ATX headings (``# Title``) start sections; ``#`` lines inside fenced code blocks do
not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.parsers.text_files import read_text_file
from ridgeline.types import Page

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass
class _Section:
    headings: list[str]
    lines: list[str] = field(default_factory=list)

    def page(self, source: str) -> Page | None:
        text = "\n".join(self.lines).strip()
        if not text:
            return None  # a heading directly followed by a sub-heading has no body of its own
        title = " > ".join(self.headings) or None
        return Page(source=source, text=text, title=title)


def _sections(text: str) -> Iterator[_Section]:
    headings: list[str] = []
    section = _Section(headings=[])
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match is None:
            section.lines.append(line)
            continue
        yield section
        level = len(match.group(1))
        headings = [*headings[: level - 1], match.group(2).strip()]
        section = _Section(headings=headings)
    yield section


class MarkdownParser:
    """Parses ``.md`` / ``.markdown`` files into titled sections.

    >>> pages = MarkdownParser().parse(Path("guide.md"), source="guide.md")  # doctest: +SKIP
    >>> [page.title for page in pages]  # doctest: +SKIP
    ['Guide', 'Guide > Setup', 'Guide > Care']
    """

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        for section in _sections(read_text_file(path)):
            page = section.page(source)
            if page is not None:
                yield page
