"""Simple, recognisable pictograms for each catalog category, drawn with Pillow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PIL import ImageDraw

Box = tuple[int, int, int, int]
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """The colours of one product picture."""

    background: RGB
    main: RGB
    accent: RGB
    outline: RGB = (35, 35, 35)


def _tent(draw: ImageDraw.ImageDraw, box: Box, p: Palette) -> None:
    x0, y0, x1, y1 = box
    mid = (x0 + x1) // 2
    draw.polygon([(x0, y1), (mid, y0), (x1, y1)], fill=p.main, outline=p.outline, width=4)
    door_w = (x1 - x0) // 6
    draw.polygon(
        [(mid - door_w, y1), (mid, y0 + (y1 - y0) // 3), (mid + door_w, y1)], fill=p.accent
    )
    draw.line([(x0 - 10, y1), (x1 + 10, y1)], fill=p.outline, width=4)


def _backpack(draw: ImageDraw.ImageDraw, box: Box, p: Palette) -> None:
    x0, y0, x1, y1 = box
    w = x1 - x0
    draw.rounded_rectangle(box, radius=w // 6, fill=p.main, outline=p.outline, width=4)
    draw.arc(
        (x0 + w // 4, y0 - w // 5, x1 - w // 4, y0 + w // 5), 180, 360, fill=p.outline, width=6
    )
    for sx in (x0 + w // 4, x1 - w // 4):
        draw.line([(sx, y0 + 10), (sx, y1 - 10)], fill=p.accent, width=10)
    pocket = (x0 + w // 5, y1 - (y1 - y0) // 3, x1 - w // 5, y1 - 12)
    draw.rounded_rectangle(pocket, radius=12, fill=p.accent, outline=p.outline, width=3)


def _sleeping_bag(draw: ImageDraw.ImageDraw, box: Box, p: Palette) -> None:
    x0, y0, x1, y1 = box
    h = y1 - y0
    draw.rounded_rectangle(
        (x0, y0 + h // 4, x1, y1 - h // 4), radius=h // 4, fill=p.main, outline=p.outline, width=4
    )
    hood = (x0 + 8, y0 + h // 4 + 8, x0 + h // 2, y1 - h // 4 - 8)
    draw.ellipse(hood, fill=p.accent, outline=p.outline, width=3)
    for i in range(1, 5):
        bx = x0 + h // 2 + i * (x1 - x0 - h // 2) // 5
        draw.line([(bx, y0 + h // 4 + 6), (bx, y1 - h // 4 - 6)], fill=p.outline, width=2)


def _stove(draw: ImageDraw.ImageDraw, box: Box, p: Palette) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    draw.rectangle(
        (x0 + w // 4, y0 + h // 2, x1 - w // 4, y1), fill=p.main, outline=p.outline, width=4
    )
    draw.rectangle((x0 + w // 8, y0 + h // 2 - 14, x1 - w // 8, y0 + h // 2), fill=p.outline)
    for fx in (x0 + w // 3, x0 + w // 2, x1 - w // 3):
        draw.polygon(
            [(fx - 18, y0 + h // 2 - 16), (fx, y0 + 6), (fx + 18, y0 + h // 2 - 16)],
            fill=p.accent,
            outline=p.outline,
        )


def _lantern(draw: ImageDraw.ImageDraw, box: Box, p: Palette) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    draw.arc((x0 + w // 3, y0, x1 - w // 3, y0 + h // 4), 180, 360, fill=p.outline, width=6)
    draw.rectangle(
        (x0 + w // 4, y0 + h // 8, x1 - w // 4, y0 + h // 4),
        fill=p.main,
        outline=p.outline,
        width=3,
    )
    draw.rounded_rectangle(
        (x0 + w // 4 + 10, y0 + h // 4, x1 - w // 4 - 10, y1 - h // 6),
        radius=20,
        fill=p.accent,
        outline=p.outline,
        width=4,
    )
    draw.ellipse(
        (x0 + w // 2 - 22, y0 + h // 2 - 22, x0 + w // 2 + 22, y0 + h // 2 + 22),
        fill=(255, 236, 140),
    )
    draw.rectangle(
        (x0 + w // 4, y1 - h // 6, x1 - w // 4, y1), fill=p.main, outline=p.outline, width=3
    )


def _boot(draw: ImageDraw.ImageDraw, box: Box, p: Palette) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    shaft = [
        (x0 + w // 6, y0),
        (x0 + w // 2, y0),
        (x0 + w // 2, y0 + h // 2),
        (x1, y0 + 2 * h // 3),
        (x1, y1 - h // 8),
        (x0 + w // 6, y1 - h // 8),
    ]
    draw.polygon(shaft, fill=p.main, outline=p.outline, width=4)
    draw.rectangle((x0 + w // 6 - 6, y1 - h // 8, x1 + 6, y1), fill=p.outline)
    for i in range(4):
        ly = y0 + h // 8 + i * h // 9
        draw.line([(x0 + w // 3, ly), (x0 + w // 2 - 8, ly + 10)], fill=p.accent, width=6)


def _jacket(draw: ImageDraw.ImageDraw, box: Box, p: Palette) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    body = [
        (x0 + w // 4, y0 + h // 8),
        (x0 + 3 * w // 8, y0),
        (x1 - 3 * w // 8, y0),
        (x1 - w // 4, y0 + h // 8),
        (x1, y0 + h // 2),
        (x1 - w // 8, y0 + h // 2 + 20),
        (x1 - w // 4, y0 + h // 3),
        (x1 - w // 4, y1),
        (x0 + w // 4, y1),
        (x0 + w // 4, y0 + h // 3),
        (x0 + w // 8, y0 + h // 2 + 20),
        (x0, y0 + h // 2),
    ]
    draw.polygon(body, fill=p.main, outline=p.outline, width=4)
    draw.line([(x0 + w // 2, y0 + 4), (x0 + w // 2, y1)], fill=p.accent, width=8)


def _compass(draw: ImageDraw.ImageDraw, box: Box, p: Palette) -> None:
    x0, y0, x1, y1 = box
    cx, cy, r = (x0 + x1) // 2, (y0 + y1) // 2, min(x1 - x0, y1 - y0) // 2
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=p.main, outline=p.outline, width=6)
    draw.ellipse((cx - r + 18, cy - r + 18, cx + r - 18, cy + r - 18), fill=(250, 250, 245))
    draw.polygon([(cx, cy - r + 26), (cx - 22, cy), (cx + 22, cy)], fill=(200, 30, 30))
    draw.polygon([(cx, cy + r - 26), (cx - 22, cy), (cx + 22, cy)], fill=p.accent)


def _generic(draw: ImageDraw.ImageDraw, box: Box, p: Palette) -> None:
    draw.rounded_rectangle(box, radius=24, fill=p.main, outline=p.outline, width=4)


SHAPES: dict[str, Callable[[ImageDraw.ImageDraw, Box, Palette], None]] = {
    "Tents": _tent,
    "Backpacks": _backpack,
    "Sleeping Bags": _sleeping_bag,
    "Stoves": _stove,
    "Lighting": _lantern,
    "Footwear": _boot,
    "Jackets": _jacket,
    "Navigation": _compass,
}


def draw_shape(draw: ImageDraw.ImageDraw, category: str, box: Box, palette: Palette) -> None:
    """Draw the pictogram of ``category`` inside ``box``; unknown categories get a plain block."""
    SHAPES.get(category, _generic)(draw, box, palette)
