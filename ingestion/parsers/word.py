"""Word documents (.docx): one page per heading section, tables as Markdown, pictures as figures.

Word files have no fixed pages, so the citation is the bare file name and each section is titled
by its heading path. Pictures are saved as ``figure{n}.png`` in the assets folder, with the
paragraph they sit in (or the one before) as context. The file is checked for zip bombs before
python-docx opens it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingestion.parsers.archive_limits import ArchiveLimits, check_office_archive
from ingestion.parsers.assets import FigureOptions, FigureStore, asset_folder
from ingestion.parsers.sections import SectionCollector
from ingestion.parsers.tables import markdown_table
from ridgeline.errors import CorruptFileError
from ridgeline.types import ImageAsset, Page

_HEADING_STYLE = re.compile(r"^heading (\d)$", re.IGNORECASE)
_BLIP = ".//a:blip/@r:embed"


def _heading_level(paragraph: Paragraph) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name and name.lower() == "title":
        return 0
    match = _HEADING_STYLE.match(name or "")
    return int(match.group(1)) if match else None


def _open(path: Path) -> Any:
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptFileError(path, f"not a readable Word document ({exc})") from exc


@dataclass
class _Reading:
    """The state of one parse: the section being collected and where pictures go."""

    document: Any
    collector: SectionCollector
    figures: FigureStore | None  # None: pictures are not kept

    def picture(self, relation_id: str) -> ImageAsset | None:
        part = self.document.part.related_parts.get(relation_id)
        if self.figures is None or part is None:
            return None
        # None for a format Pillow cannot read (EMF, WMF) or an oversized picture.
        return self.figures.save(part.blob, context=self.collector.recent_text)


@dataclass(kw_only=True)
class DocxParser(FigureOptions):
    """Parses ``.docx`` files into titled sections.

    >>> parser = DocxParser(assets_dir=Path("assets"))  # doctest: +SKIP
    >>> [p.title for p in parser.parse(Path("a.docx"), source="a.docx")]  # doctest: +SKIP
    ['Guide', 'Guide > Setup']
    """

    archive_limits: ArchiveLimits = field(default_factory=ArchiveLimits)

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        check_office_archive(path, self.archive_limits)
        document = _open(path)
        title = (document.core_properties.title or "").strip() or None
        reading = _Reading(
            document=document,
            collector=SectionCollector(source=source, title=title),
            figures=FigureStore(asset_folder(self.assets_dir, path), self.max_image_pixels)
            if self.assets_dir
            else None,
        )
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                rows = [[cell.text for cell in row.cells] for row in block.rows]
                reading.collector.add(markdown_table(rows))
            else:
                _paragraph(block, reading)
        yield from reading.collector.pages()


def _paragraph(paragraph: Paragraph, reading: _Reading) -> None:
    level = _heading_level(paragraph)
    if level is not None and paragraph.text.strip():
        reading.collector.heading(level, paragraph.text)
        return
    reading.collector.add(paragraph.text)
    for relation_id in paragraph._p.xpath(_BLIP):
        asset = reading.picture(relation_id)
        if asset is not None:
            reading.collector.image(asset)
