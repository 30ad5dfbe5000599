"""HTML pages: one page per heading section; scripts, styles and navigation are dropped.

Headings (``h1``-``h6``) start sections titled by their heading path, like Markdown; the
``<title>`` names the text before the first heading. Tables become Markdown blocks. Block
elements end lines, inline elements do not, so ``<p>Hello <b>world</b></p>`` stays one line.
``<img>`` elements whose source is in the page's folder or inline become figures of their
section (see :mod:`ingestion.parsers.linked_images`), with their ``alt`` text and paragraph as
context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from ingestion.parsers.assets import FigureOptions
from ingestion.parsers.linked_images import LinkedImages
from ingestion.parsers.sections import SectionCollector
from ingestion.parsers.tables import markdown_table
from ingestion.parsers.text_files import read_text_file
from ridgeline.types import Page

_DROPPED = ("script", "style", "noscript", "template", "nav", "svg", "iframe", "form", "button")
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "aside",
        "header",
        "footer",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "pre",
        "blockquote",
        "figure",
        "figcaption",
        "address",
        "hr",
        "br",
        "tr",
    ]
)
_SPACES = re.compile(r"[ \t\r\f\v]+")


def _inline_text(tag: Tag) -> str:
    return _SPACES.sub(" ", tag.get_text(" ")).strip()


def _table(tag: Tag) -> str:
    rows = [
        [_inline_text(cell) for cell in row.find_all(["th", "td"])] for row in tag.find_all("tr")
    ]
    return markdown_table(rows)


class _Walker:
    """Walks the body in document order, feeding a SectionCollector."""

    def __init__(self, collector: SectionCollector, images: LinkedImages) -> None:
        self._collector = collector
        self._images = images
        self._line: list[str] = []

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                self._line.append(str(child))
            elif isinstance(child, Tag):
                self._element(child)

    def _element(self, tag: Tag) -> None:
        if tag.name in _HEADINGS:
            self.end_line()
            self._collector.heading(_HEADINGS[tag.name], _inline_text(tag))
        elif tag.name == "table":
            self.end_line()
            self._collector.add(_table(tag))
        elif tag.name == "img":
            self._image(tag)
        elif tag.name in _BLOCKS:
            self.end_line()
            self.walk(tag)
            self.end_line()
        else:
            self.walk(tag)

    def _image(self, tag: Tag) -> None:
        source = tag.get("src")
        if not isinstance(source, str) or not source.strip():
            return
        self.end_line()
        alt = str(tag.get("alt") or "").strip()
        context = ". ".join(part for part in (alt, self._collector.recent_text) if part)
        asset = self._images.load(source, context=context)
        if asset is not None:
            self._collector.image(asset)

    def end_line(self) -> None:
        line = _SPACES.sub(" ", "".join(self._line)).strip()
        self._line = []
        self._collector.add(line)


@dataclass(kw_only=True)
class HtmlParser(FigureOptions):
    """Parses ``.html`` / ``.htm`` files into titled sections.

    >>> pages = HtmlParser().parse(Path("faq.html"), source="faq.html")  # doctest: +SKIP
    >>> [p.title for p in pages]  # doctest: +SKIP
    ['FAQ', 'FAQ > Returns']
    """

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        soup = BeautifulSoup(read_text_file(path), "lxml")
        for tag in soup.find_all(_DROPPED):
            tag.decompose()
        for tag in soup.find_all(role="navigation"):
            tag.decompose()
        title = soup.title.get_text().strip() if soup.title else ""
        collector = SectionCollector(source=source, title=title or None)
        images = LinkedImages(path, self.assets_dir, max_pixels=self.max_image_pixels)
        walker = _Walker(collector, images)
        walker.walk(soup.body or soup)
        walker.end_line()
        yield from collector.pages()
