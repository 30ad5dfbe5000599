"""Figures drawn as vectors: charts and diagrams found from a PDF page's drawing operations.

A chart exported from an office suite is not an image but a few dozen path objects (bars,
lines, slices, gridlines) with text objects around them (title, tick labels, legend). This
module finds such regions with pdfium alone:

1. the page's visible path objects are collected, leaving out page-wide ones (backgrounds,
   borders, full-width rules, header and footer bars);
2. paths that touch or nearly touch are grouped; a group big enough in both directions is a
   candidate, and smaller groups (legend swatches) and short text objects (labels, title,
   legend) near it are absorbed into it, a few rounds so a two-line title follows;
3. a candidate is dropped when it is a single shape (a box around text), a panel of prose, a
   ruled grid of thin lines (a table, read by ``pdf_layout``), or, when every shape is
   rectilinear, when the table detector says it is a table; a "Figure N" line just below or
   above becomes its caption.

``render_region`` draws any rectangle of a page as a picture within a pixel budget; the local
PDF parser and the Document Intelligence parser both crop their drawn figures with it.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

Bounds = tuple[float, float, float, float]  # left, bottom, right, top in PDF points
TableCheck = Callable[[Bounds], bool]

_PAGE_WIDE = 0.9  # a path spanning this share of the page's width or height is decoration
_JOIN = 6.0  # points: paths closer than this belong to one drawing
_CELL = 48.0  # points: the grid that finds nearby paths without comparing every pair
_ATTACH = 28.0  # points: labels and swatches this close to a drawing belong to it
_ALIGNED_ATTACH = 2.5 * _ATTACH  # ... and drawings lined up with it a little farther away
_MIN_SIDE = 40.0  # points: a figure is at least this tall and wide
_THIN = 2.5  # points: a path this thin is a rule (a table or separator line), not a mark
_LABEL_CHARS = 60  # a text object longer than this is prose, not a label
_SENTENCE_WORDS = 4  # ... and so is one of this many words or more ending like a sentence
_CAPTION_GAP = 48.0  # points between a figure and its "Figure N" line
_CAPTION = re.compile(r"^\s*(fig(ure)?\.?|chart|graph|diagram|exhibit)\s*\d+", re.IGNORECASE)
_PAD = 4.0  # points of margin around a rendered region
RENDER_SCALE = 3.0  # 216 dpi: 7 pt tick labels come out about 20 px tall, legible for OCR


@dataclass(frozen=True)
class _Shape:
    bounds: Bounds
    rectilinear: bool  # only horizontal and vertical straight segments
    thin: bool  # a rule: straight, at most _THIN wide and much longer than wide


@dataclass(frozen=True)
class _Text:
    bounds: Bounds
    text: str


@dataclass(frozen=True)
class DrawnFigure:
    """A figure region found on a page: where it is, the words inside it, its caption line."""

    bounds: Bounds
    text: str
    caption: str = ""


def _union(boxes: Iterable[Bounds]) -> Bounds:
    lefts, bottoms, rights, tops = zip(*boxes, strict=True)
    return min(lefts), min(bottoms), max(rights), max(tops)


def _gap(a: Bounds, b: Bounds) -> float:
    """The distance between two boxes (0 when they overlap)."""
    dx = max(b[0] - a[2], a[0] - b[2], 0.0)
    dy = max(b[1] - a[3], a[1] - b[3], 0.0)
    return max(dx, dy)


def _near(part: Bounds, box: Bounds) -> bool:
    """Whether a small drawing belongs to a figure: close to it, or a little farther when it
    lines up with it (an axis line under a plot area, a legend row beside it)."""
    gap = _gap(part, box)
    if gap <= _ATTACH:
        return True
    across = part[0] >= box[0] - _ATTACH and part[2] <= box[2] + _ATTACH
    along = part[1] >= box[1] - _ATTACH and part[3] <= box[3] + _ATTACH
    return gap <= _ALIGNED_ATTACH and (across or along)


def _area(box: Bounds) -> float:
    return max(box[2] - box[0], 0.0) * max(box[3] - box[1], 0.0)


def overlap_share(box: Bounds, other: Bounds) -> float:
    """The share of ``box``'s area that ``other`` covers."""
    inter = (max(box[0], other[0]), max(box[1], other[1]), min(box[2], other[2]))
    inter_box = (*inter, min(box[3], other[3]))
    return _area(inter_box) / _area(box) if _area(box) else 0.0


def _visible(obj: pdfium.PdfObject) -> bool:
    """Whether a path paints anything: charts carry invisible frames around their areas."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill_mode, stroke):
        return False
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    painted = False
    if fill_mode.value:
        pdfium_c.FPDFPageObj_GetFillColor(obj.raw, red, green, blue, alpha)
        painted = alpha.value > 0
    if stroke.value and not painted:
        pdfium_c.FPDFPageObj_GetStrokeColor(obj.raw, red, green, blue, alpha)
        painted = alpha.value > 0
    return painted


def _is_rectilinear(obj: pdfium.PdfObject) -> bool:
    x, y = ctypes.c_float(), ctypes.c_float()
    previous: tuple[float, float] | None = None
    for index in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            return False
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (x.value, y.value)
        if (
            kind == pdfium_c.FPDF_SEGMENT_LINETO
            and previous is not None
            and min(abs(point[0] - previous[0]), abs(point[1] - previous[1])) > 0.5
        ):
            return False  # a diagonal: a line series, an arrow
        previous = point
    return True


def _shapes(page: pdfium.PdfPage) -> list[_Shape]:
    """The page's visible drawings, less page-wide decoration. Form XObjects count as one
    opaque shape each (their inner objects are placed in the form's own space)."""
    width, height = page.get_size()
    shapes = []
    kinds = [pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM]
    for obj in page.get_objects(filter=kinds, max_depth=0):
        box = obj.get_bounds()
        if box[2] - box[0] >= _PAGE_WIDE * width or box[3] - box[1] >= _PAGE_WIDE * height:
            continue
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            shapes.append(_Shape(box, rectilinear=False, thin=False))
        elif _visible(obj):
            straight = _is_rectilinear(obj)
            short, long = sorted((box[2] - box[0], box[3] - box[1]))
            thin = straight and short <= _THIN and long >= 4 * short  # a line, not a dot
            shapes.append(_Shape(box, rectilinear=straight, thin=thin))
    return shapes


def _object_text(obj: pdfium.PdfObject, textpage: pdfium.PdfTextPage) -> str:
    # The raw call reads the same on every pypdfium2 version the project allows.
    size = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFTextObj_GetText(
        obj.raw, textpage.raw, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size
    )
    return buffer.raw[: size - 2].decode("utf-16-le", errors="ignore")


def _texts(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> list[_Text]:
    found = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=0):
        words = " ".join(_object_text(obj, textpage).split())
        if words:
            found.append(_Text(obj.get_bounds(), words))
    return found


def _cells(box: Bounds) -> Iterable[tuple[int, int]]:
    """The grid cells a box (grown by half the joining distance) lies in."""
    half = _JOIN / 2
    left, bottom = int((box[0] - half) // _CELL), int((box[1] - half) // _CELL)
    right, top = int((box[2] + half) // _CELL), int((box[3] + half) // _CELL)
    return ((x, y) for x in range(left, right + 1) for y in range(bottom, top + 1))


def _groups(shapes: Sequence[_Shape]) -> list[list[_Shape]]:
    """Shapes joined when they nearly touch: union-find over the pairs that share a grid cell,
    so a page of thousands of paths (a map, text drawn as outlines) is not compared pairwise."""
    parent = list(range(len(shapes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    grid: dict[tuple[int, int], list[int]] = {}
    for i, shape in enumerate(shapes):
        for cell in _cells(shape.bounds):
            for j in grid.setdefault(cell, []):
                if root(i) != root(j) and _gap(shape.bounds, shapes[j].bounds) <= _JOIN:
                    parent[root(j)] = root(i)
            grid[cell].append(i)
    groups: dict[int, list[_Shape]] = {}
    for i, shape in enumerate(shapes):
        groups.setdefault(root(i), []).append(shape)
    return list(groups.values())


def _big(box: Bounds) -> bool:
    return box[2] - box[0] >= _MIN_SIDE and box[3] - box[1] >= _MIN_SIDE


@dataclass
class _Candidate:
    shapes: list[_Shape]
    labels: list[_Text]

    @property
    def bounds(self) -> Bounds:
        return _union([s.bounds for s in self.shapes] + [t.bounds for t in self.labels])


def _is_label(text: _Text) -> bool:
    """Short, not a caption, and not a sentence (the first line of the paragraph under a chart
    is as short as a title, but it ends like a sentence)."""
    words = text.text.split()
    sentence = len(words) >= _SENTENCE_WORDS and text.text.endswith((".", "!", "?"))
    return len(text.text) <= _LABEL_CHARS and not sentence and not _CAPTION.match(text.text)


def _labels(text: _Text, box: Bounds) -> bool:
    """Whether a text object is a label of the figure in ``box``: short, close, and not
    stretching the figure far (a line of the paragraph beside a chart would)."""
    if not _is_label(text) or _gap(text.bounds, box) > _ATTACH:
        return False
    width, height = box[2] - box[0], box[3] - box[1]
    wider = max(box[0] - text.bounds[0], text.bounds[2] - box[2])
    taller = max(box[1] - text.bounds[1], text.bounds[3] - box[3])
    return wider <= max(2 * _ATTACH, width / 4) and taller <= max(2 * _ATTACH, height / 4)


def _grow(candidate: _Candidate, small: list[list[_Shape]], texts: list[_Text]) -> None:
    """Absorbs the swatches and labels near the candidate, a few rounds (two-line titles)."""
    for _ in range(4):
        box = candidate.bounds
        near = [_near(_union(s.bounds for s in g), box) for g in small]
        words = [_labels(t, box) for t in texts]
        if not any(near) and not any(words):
            return
        candidate.shapes.extend(s for g, n in zip(small, near, strict=True) if n for s in g)
        candidate.labels.extend(t for t, w in zip(texts, words, strict=True) if w)
        small[:] = [g for g, n in zip(small, near, strict=True) if not n]
        texts[:] = [t for t, w in zip(texts, words, strict=True) if not w]


def _merge(candidates: list[_Candidate]) -> list[_Candidate]:
    """Candidates whose regions overlap are one figure (a chart and its legend box)."""
    merged: list[_Candidate] = []
    for candidate in sorted(candidates, key=lambda c: -_area(c.bounds)):
        host = next((m for m in merged if _gap(m.bounds, candidate.bounds) <= 0), None)
        if host is None:
            merged.append(candidate)
        else:
            host.shapes.extend(candidate.shapes)
            host.labels.extend(candidate.labels)
    return merged


def _is_figure(candidate: _Candidate, texts: Sequence[_Text], is_table: TableCheck | None) -> bool:
    shapes = candidate.shapes
    distinct = {tuple(round(v) for v in s.bounds) for s in shapes}
    if len(distinct) < 2:
        return False  # one box (drawn as a fill and a stroke at most): a frame, a callout
    if all(s.thin for s in shapes):
        return False  # only rules: a ruled table or separators
    box = candidate.bounds
    prose = [t for t in texts if not _is_label(t) and overlap_share(t.bounds, box) > 0.5]
    if len(prose) >= 2:
        return False  # a panel of running text with a border or a shade
    if all(s.rectilinear for s in shapes) and is_table is not None:
        return not is_table(box)  # boxes and rules only: a bar chart or a shaded table
    return True


def _rows(labels: Sequence[_Text]) -> list[list[_Text]]:
    """Labels grouped into lines: a label joins the line its vertical middle falls in."""
    rows: list[list[_Text]] = []
    for label in sorted(labels, key=lambda t: -t.bounds[3]):
        middle = (label.bounds[1] + label.bounds[3]) / 2
        row = next((r for r in rows if r[0].bounds[1] <= middle <= r[0].bounds[3]), None)
        if row is None:
            rows.append([label])
        else:
            row.append(label)
    return rows


def _reading(labels: Sequence[_Text]) -> str:
    """The labels line by line, top to bottom (the title first, as a reader meets them);
    pieces of one word split across text objects are joined again ("an" + "d Wheat")."""
    lines = []
    for row in _rows(labels):
        words = ""
        previous: _Text | None = None
        for label in sorted(row, key=lambda t: t.bounds[0]):
            touching = (
                previous is not None
                and label.bounds[0] - previous.bounds[2]
                < max(label.bounds[3] - label.bounds[1], previous.bounds[3] - previous.bounds[1])
                / 5
            )
            words += label.text if not words or touching else f" {label.text}"
            previous = label
        lines.append(words)
    return " ".join(lines)


def _caption(box: Bounds, texts: Sequence[_Text]) -> str:
    """The "Figure N ..." line just below the figure, or else just above it."""
    below = [t for t in texts if 0 <= box[1] - t.bounds[3] <= _CAPTION_GAP]
    above = [t for t in texts if 0 <= t.bounds[1] - box[3] <= _CAPTION_GAP]
    for group in (below, above):
        for text in sorted(group, key=lambda t: _gap(t.bounds, box)):
            overlaps = min(text.bounds[2], box[2]) > max(text.bounds[0], box[0])
            if overlaps and _CAPTION.match(text.text):
                return text.text
    return ""


def find_drawn_figures(
    page: pdfium.PdfPage,
    *,
    is_table: TableCheck | None = None,
    avoid: Sequence[Bounds] = (),
) -> list[DrawnFigure]:
    """The figures drawn as vectors on ``page``, top to bottom.

    ``is_table(bounds)`` settles regions made only of boxes and rules (a bar chart or a shaded
    table); without it they count as figures. Regions mostly covered by a box in ``avoid``
    (embedded images already kept as figures) are left out.
    """
    shapes = _shapes(page)
    if not shapes:
        return []
    textpage = page.get_textpage()
    try:
        texts = _texts(page, textpage)
        all_texts = list(texts)
        groups = _groups(shapes)
        small = [g for g in groups if not _big(_union(s.bounds for s in g))]
        candidates = [_Candidate(g, []) for g in groups if _big(_union(s.bounds for s in g))]
        for candidate in sorted(candidates, key=lambda c: -_area(c.bounds)):
            _grow(candidate, small, texts)
        found = []
        for candidate in _merge(candidates):
            box = candidate.bounds
            if not _is_figure(candidate, all_texts, is_table):
                continue
            if any(overlap_share(box, other) > 0.5 for other in avoid):
                continue
            found.append(DrawnFigure(box, _reading(candidate.labels), _caption(box, all_texts)))
        return sorted(found, key=lambda f: (-f.bounds[3], f.bounds[0]))
    finally:
        textpage.close()


def render_region(page: pdfium.PdfPage, bounds: Bounds, *, max_pixels: int) -> Image.Image:
    """The page area ``bounds`` (PDF points) as a picture, at ``RENDER_SCALE`` or less so that
    it stays within ``max_pixels``."""
    width, height = page.get_size()
    left, bottom = max(bounds[0] - _PAD, 0.0), max(bounds[1] - _PAD, 0.0)
    right, top = min(bounds[2] + _PAD, width), min(bounds[3] + _PAD, height)
    area = max(right - left, 1.0) * max(top - bottom, 1.0)
    scale = min(RENDER_SCALE, math.sqrt(max_pixels / area))
    crop = (left, bottom, width - right, height - top)
    return page.render(scale=scale, crop=crop).to_pil()
