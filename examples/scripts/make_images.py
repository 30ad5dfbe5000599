"""Draw one PNG picture per catalog product: a category pictogram, the name and a short label.

The text is printed large and dark on a white band so that OCR can read it back. Output is
deterministic: the colours come from a hash of the product name, and no font file is needed.

Usage: ``python -m examples.scripts.make_images --catalog products.csv --out catalog_dir``
"""

from __future__ import annotations

import argparse
import colorsys
import hashlib
import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from examples.scripts.catalog import Product, read_catalog
from examples.scripts.files import write_if_changed
from examples.scripts.product_shapes import RGB, Palette, draw_shape

IMAGE_SIZE = 512
BAND_TOP = 352
NAME_FONT_SIZE = 30
LABEL_FONT_SIZE = 24


def palette_for(product: Product) -> Palette:
    """A per-product colour scheme, stable across runs and machines (unlike ``hash()``)."""
    digest = hashlib.sha256(product.name.encode("utf-8")).digest()
    hue = digest[0] / 255

    def colour(h: float, s: float, v: float) -> RGB:
        r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
        return (round(r * 255), round(g * 255), round(b * 255))

    return Palette(
        background=colour(hue, 0.12, 0.97),
        main=colour(hue, 0.65, 0.72),
        accent=colour(hue + 0.45, 0.55, 0.85),
    )


def product_label(product: Product) -> str:
    """The short line under the name, e.g. ``TENTS  $389.00``."""
    return f"{product.category.upper()}  ${product.price:.2f}"


def render_product_image(product: Product) -> Image.Image:
    """The picture of ``product`` as an RGB image."""
    palette = palette_for(product)
    image = Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), palette.background)
    draw = ImageDraw.Draw(image)
    draw_shape(draw, product.category, (136, 60, 376, 320), palette)
    draw.rectangle((0, BAND_TOP, IMAGE_SIZE, IMAGE_SIZE), fill=(255, 255, 255))
    name_font = ImageFont.load_default(size=NAME_FONT_SIZE)
    label_font = ImageFont.load_default(size=LABEL_FONT_SIZE)
    y = BAND_TOP + 14
    for line in textwrap.wrap(product.name, width=26)[:3]:
        draw.text((IMAGE_SIZE // 2, y), line, font=name_font, fill=(20, 20, 20), anchor="ma")
        y += NAME_FONT_SIZE + 8
    label_y = IMAGE_SIZE - LABEL_FONT_SIZE - 16
    draw.text(
        (IMAGE_SIZE // 2, label_y),
        product_label(product),
        font=label_font,
        fill=palette.outline,
        anchor="ma",
    )
    return image


def product_image_png(product: Product) -> bytes:
    """The picture of ``product`` encoded as PNG bytes."""
    buffer = io.BytesIO()
    render_product_image(product).save(buffer, format="PNG")
    return buffer.getvalue()


def write_product_images(products: list[Product], catalog_dir: Path) -> dict[Path, bool]:
    """Save each picture at ``catalog_dir / product.image``; map each path to whether it changed."""
    return {
        catalog_dir / product.image: write_if_changed(
            catalog_dir / product.image, product_image_png(product)
        )
        for product in products
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, required=True, help="products.csv to read")
    parser.add_argument("--out", type=Path, required=True, help="folder the image paths start at")
    args = parser.parse_args(argv)
    for path, changed in write_product_images(read_catalog(args.catalog), args.out).items():
        print(f"{'wrote' if changed else 'unchanged'} {path}")


if __name__ == "__main__":
    main()
