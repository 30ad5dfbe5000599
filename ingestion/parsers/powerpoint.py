"""PowerPoint decks (.pptx): one page per slide, cited ``deck.pptx#page=N`` (N = slide number).

A slide's text is its title, its text boxes and tables (as Markdown) in shape order, then its
speaker notes. Pictures are saved as ``figure{slide}_{n}.png`` with the slide's text as context.
The file is checked for zip bombs before python-pptx opens it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.exc import PackageNotFoundError

from ingestion.parsers.anchors import figure_marker
from ingestion.parsers.archive_limits import ArchiveLimits, check_office_archive
from ingestion.parsers.assets import (
    FigureOptions,
    asset_folder,
    open_embedded_image,
    save_png,
)
from ingestion.parsers.tables import markdown_table
from ridgeline.errors import CorruptFileError
from ridgeline.types import ImageAsset, Page

_CONTEXT_CHARS = 400


@dataclass
class _Slide:
    blocks: list[str] = field(default_factory=list)
    pictures: list[bytes] = field(default_factory=list)


def _walk(shapes: Iterable[Any], slide: _Slide) -> None:
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            _walk(shape.shapes, slide)
        elif getattr(shape, "has_table", False) and shape.has_table:
            rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
            slide.blocks.append(markdown_table(rows))
        elif getattr(shape, "has_text_frame", False) and shape.text_frame.text.strip():
            slide.blocks.append(shape.text_frame.text.strip())
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE or hasattr(shape, "image"):
            try:
                slide.pictures.append(shape.image.blob)
            except (AttributeError, ValueError, KeyError):
                continue  # a picture placeholder without a picture, or a linked image


def _notes(slide: Any) -> str:
    if not slide.has_notes_slide:
        return ""
    text = (
        slide.notes_slide.notes_text_frame.text.strip()
        if slide.notes_slide.notes_text_frame
        else ""
    )
    return f"Notes: {text}" if text else ""


@dataclass(kw_only=True)
class PptxParser(FigureOptions):
    """Parses ``.pptx`` files slide by slide.

    >>> parser = PptxParser(assets_dir=Path("assets"))  # doctest: +SKIP
    >>> [p.page_number for p in parser.parse(Path("d.pptx"), source="d.pptx")]  # doctest: +SKIP
    [1, 2, 3]
    """

    archive_limits: ArchiveLimits = field(default_factory=ArchiveLimits)

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        check_office_archive(path, self.archive_limits)
        try:
            deck = Presentation(str(path))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise CorruptFileError(path, f"not a readable PowerPoint deck ({exc})") from exc
        for number, slide in enumerate(deck.slides, start=1):
            content = _Slide()
            _walk(slide.shapes, content)
            notes = _notes(slide)
            title_shape = slide.shapes.title
            title = title_shape.text_frame.text.strip() if title_shape is not None else ""
            text = "\n\n".join([*content.blocks, notes]).strip()
            images = self._pictures(content.pictures, number, path, context=text)
            text = "\n\n".join(
                [text, *(figure_marker(str(image.figure_name)) for image in images)]
            ).strip()
            yield Page(
                source=source, page_number=number, text=text, title=title or None, images=images
            )

    def _pictures(
        self, pictures: list[bytes], number: int, path: Path, *, context: str
    ) -> tuple[ImageAsset, ...]:
        if self.assets_dir is None:
            return ()
        assets: list[ImageAsset] = []
        for blob in pictures:
            image = open_embedded_image(blob, max_pixels=self.max_image_pixels)
            if image is None:
                continue
            name = f"figure{number}_{len(assets) + 1}.png"
            stored = save_png(image, asset_folder(self.assets_dir, path), name)
            assets.append(
                ImageAsset(
                    path=str(stored),
                    figure_name=name,
                    context=" ".join(context.split())[:_CONTEXT_CHARS],
                )
            )
        return tuple(assets)
