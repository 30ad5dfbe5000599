"""A PDF page's text with its figures' lines where the figures are (``figure_text``).

The text is read character by character from pdfium's text layer, so a character can be
assigned to a figure by where it is: the tick labels, legend and values inside a drawn figure
leave the prose (its figure carries them), and the figure's ``[Figure ...]`` line takes their
place. A figure with no text of its own (an embedded image) gets its line before the first
character below its top edge.
"""

from __future__ import annotations

from collections.abc import Sequence

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingestion.parsers.vector_figures import Bounds

_NOWHERE: Bounds = (0.0, 0.0, -1.0, -1.0)  # a region that holds no character


def _holder(char: str, box: Bounds, regions: Sequence[Bounds]) -> int | None:
    """The region whose area holds the centre of a character (spaces belong to none)."""
    if char.isspace():
        return None
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return next((k for k, r in enumerate(regions) if r[0] <= x <= r[2] and r[1] <= y <= r[3]), None)


def _anchors(
    holders: Sequence[int | None], boxes: Sequence[Bounds], regions: Sequence[Bounds]
) -> dict[int, list[int]]:
    """Before which character each region's line goes: where its own text began, or else
    before the first character below the region's top edge (the end when there is none)."""
    anchors: dict[int, list[int]] = {}
    for k, region in enumerate(regions):
        where = next((i for i, h in enumerate(holders) if h == k), None)
        if where is None:
            where = next(
                (i for i, box in enumerate(boxes) if holders[i] is None and box[3] < region[3]),
                len(holders),
            )
        anchors.setdefault(where, []).append(k)
    return anchors


def text_around(page: pdfium.PdfPage, figures: Sequence[tuple[str, Bounds, bool]]) -> str:
    """The page's text with each figure's line where the figure is, ``(line, bounds, owns)``
    per figure. The characters inside a figure that ``owns`` its text (a drawing: its tick
    labels, legend, values on bars) are replaced by its line; text over an embedded image
    stays (a slide's background picture must not swallow the slide).

    Lines left empty disappear; each figure line stands alone between blank lines.
    """
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        units = [pdfium_c.FPDFText_GetUnicode(textpage.raw, i) for i in range(count)]
        boxes = [textpage.get_charbox(i) for i in range(count)]
    finally:
        textpage.close()
    # UTF-16 code units, so characters outside the BMP come as surrogate pairs.
    chars = [chr(unit) if unit else " " for unit in units]
    owned = [bounds if owns else _NOWHERE for _, bounds, owns in figures]
    holders = [_holder(char, box, owned) for char, box in zip(chars, boxes, strict=True)]
    anchors = _anchors(holders, boxes, [bounds for _, bounds, _ in figures])
    parts: list[str] = []
    for index in range(count + 1):
        parts.extend(f"\n\x00{figures[k][0]}\n" for k in anchors.get(index, []))
        if index < count and holders[index] is None:
            parts.append(chars[index])
    joined = "".join(parts).encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    lines = [line.rstrip() for line in joined.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _with_blank_lines([line for line in lines if line.strip()])


def _with_blank_lines(lines: Sequence[str]) -> str:
    """Lines joined; a figure line (marked by a leading NUL) gets a blank line either side."""
    out: list[str] = []
    for line in lines:
        figure = line.startswith("\x00")
        if (figure or (out and out[-1].startswith("\x00"))) and out:
            out.append("")
        out.append(line)
    return "\n".join(line.removeprefix("\x00") for line in out)
