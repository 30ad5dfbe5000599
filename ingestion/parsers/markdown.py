"""Markdown files: one page per section, titled by the headings above it.

A section's title is its heading path (``"Manual > Warranty"``), so every chunk cut from it keeps
that context. Markdown has no pages: ``page_number`` stays ``None`` and the citation is the bare
file name. Only ATX headings (``# Title``) start sections; ``#`` lines inside fenced code blocks do
not. Images (``![alt](photos/tent.jpg)``) in the file's folder or inline become figures of their
section (see :mod:`ingestion.parsers.linked_images`), with their alt text and line as context;
an inline image's base64 bytes are taken out of the text (only its alt text stays).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.parsers.anchors import figure_marker
from ingestion.parsers.assets import FigureOptions
from ingestion.parsers.linked_images import LinkedImages
from ingestion.parsers.text_files import read_text_file
from ridgeline.types import ImageAsset, Page

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_IMAGE = re.compile(r'!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')
# An inline picture's bytes (``data:image/png;base64,iVBOR...``): never words worth indexing.
_DATA_URI = re.compile(r"data:[\w.+-]+/[\w.+-]+;base64,[A-Za-z0-9+/=%]*", re.IGNORECASE)


@dataclass
class _Section:
    headings: list[str]
    lines: list[tuple[str, bool]] = field(default_factory=list)  # (line, inside a code fence)

    def page(self, source: str, images: LinkedImages) -> Page | None:
        lines, assets = _with_figures(self.lines, images)
        text = "\n".join(lines).strip()
        if not text:
            return None  # a heading directly followed by a sub-heading has no body of its own
        title = " > ".join(self.headings) or None
        return Page(source=source, text=text, title=title, images=tuple(assets))


def _with_figures(
    lines: list[tuple[str, bool]], images: LinkedImages
) -> tuple[list[str], list[ImageAsset]]:
    """The lines with a figure line after each line whose images were stored, and the images."""
    kept: list[str] = []
    assets: list[ImageAsset] = []
    for line, in_fence in lines:
        matches = [] if in_fence else list(_IMAGE.finditer(line))
        kept.append(line if in_fence else _without_inline_bytes(line))
        words = _IMAGE.sub(" ", line).strip() if matches else ""
        for match in matches:
            context = ". ".join(p for p in (match.group("alt").strip(), words) if p)
            asset = images.load(match.group("src"), context=context)
            if asset is not None:
                assets.append(asset)
                kept.append(figure_marker(str(asset.figure_name)))
    return kept, assets


def _without_inline_bytes(line: str) -> str:
    """The line with inline pictures' base64 bytes taken out (the picture itself becomes a
    figure): ``![Tent](data:image/png;base64,...)`` keeps its alt text, a bare or HTML
    ``data:`` URI is dropped. Kilobytes of base64 would otherwise be indexed as words."""
    if "data:" not in line.lower():
        return line

    def alt_only(match: re.Match[str]) -> str:
        return match.group("alt") if match.group("src").lower().startswith("data:") else match[0]

    return _DATA_URI.sub("", _IMAGE.sub(alt_only, line))


def _sections(text: str) -> Iterator[_Section]:
    headings: list[str] = []
    section = _Section(headings=[])
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match is None:
            section.lines.append((line, in_fence))
            continue
        yield section
        level = len(match.group(1))
        headings = [*headings[: level - 1], match.group(2).strip()]
        section = _Section(headings=headings)
    yield section


@dataclass(kw_only=True)
class MarkdownParser(FigureOptions):
    """Parses ``.md`` / ``.markdown`` files into titled sections.

    >>> pages = MarkdownParser().parse(Path("guide.md"), source="guide.md")  # doctest: +SKIP
    >>> [page.title for page in pages]  # doctest: +SKIP
    ['Guide', 'Guide > Setup', 'Guide > Care']
    """

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        images = LinkedImages(path, self.assets_dir, max_pixels=self.max_image_pixels)
        for section in _sections(read_text_file(path)):
            page = section.page(source, images)
            if page is not None:
                yield page
