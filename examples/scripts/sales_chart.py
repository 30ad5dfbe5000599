"""Draw the handbook's bar chart (units sold per category) as a PNG-ready Pillow image.

The figures exist only as pixels in this picture: the handbook's text layer never repeats them, so
a question about them can only be answered by reading the chart (OCR or a vision model).
"""

from __future__ import annotations

from collections.abc import Mapping

from PIL import Image, ImageDraw, ImageFont

CHART_TITLE = "Units sold per category, third quarter"

UNITS_SOLD: dict[str, int] = {
    "Tents": 1372,
    "Backpacks": 1859,
    "Sleep": 947,
    "Stoves": 1214,
    "Lighting": 2386,
    "Footwear": 1673,
    "Jackets": 1528,
    "Navigation": 611,
}

WIDTH, HEIGHT = 1000, 620
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 90, 980, 90, 540
AXIS_STEP = 500
BAR_COLOUR = (46, 110, 142)
INK = (25, 25, 25)


def render_sales_chart(
    figures: Mapping[str, int] = UNITS_SOLD, *, title: str = CHART_TITLE
) -> Image.Image:
    """A vertical bar chart of ``figures`` with each value printed above its bar."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((WIDTH // 2, 24), title, font=ImageFont.load_default(size=30), fill=INK, anchor="ma")
    top_value = (max(figures.values()) // AXIS_STEP + 1) * AXIS_STEP
    _draw_axis(draw, top_value)
    _draw_bars(draw, figures, top_value)
    return image


def _y_of(value: float, top_value: int) -> int:
    return round(PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value / top_value)


def _draw_axis(draw: ImageDraw.ImageDraw, top_value: int) -> None:
    font = ImageFont.load_default(size=18)
    for tick in range(0, top_value + 1, AXIS_STEP):
        y = _y_of(tick, top_value)
        draw.line([(PLOT_LEFT, y), (PLOT_RIGHT, y)], fill=(220, 220, 220), width=1)
        draw.text((PLOT_LEFT - 10, y), str(tick), font=font, fill=INK, anchor="rm")
    draw.line([(PLOT_LEFT, PLOT_TOP), (PLOT_LEFT, PLOT_BOTTOM)], fill=INK, width=2)
    draw.line([(PLOT_LEFT, PLOT_BOTTOM), (PLOT_RIGHT, PLOT_BOTTOM)], fill=INK, width=2)


def _draw_bars(draw: ImageDraw.ImageDraw, figures: Mapping[str, int], top_value: int) -> None:
    value_font = ImageFont.load_default(size=22)
    label_font = ImageFont.load_default(size=19)
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(figures)
    for index, (label, value) in enumerate(figures.items()):
        centre = round(PLOT_LEFT + slot * (index + 0.5))
        half = round(slot * 0.3)
        top = _y_of(value, top_value)
        draw.rectangle((centre - half, top, centre + half, PLOT_BOTTOM - 1), fill=BAR_COLOUR)
        draw.text((centre, top - 6), str(value), font=value_font, fill=INK, anchor="md")
        draw.text((centre, PLOT_BOTTOM + 12), label, font=label_font, fill=INK, anchor="ma")
