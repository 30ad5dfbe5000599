"""Build the complete Cairn & Crest demo corpus into a folder.

Layout of the output folder::

    catalog/products.csv        the product catalog (cited as products.csv#id=N)
    catalog/images/pNN.png      one generated picture per product
    manuals/*.md                product manuals and the shop policies
    handbook.pdf                the staff handbook, with tables and a bar chart

Rebuilding is idempotent: every file comes out byte-identical, and files whose bytes did not
change are not rewritten.

Usage: ``python -m examples.build_demo --out DIR``
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from examples.scripts.catalog import read_catalog
from examples.scripts.files import write_if_changed
from examples.scripts.make_handbook import handbook_pdf_bytes
from examples.scripts.make_images import write_product_images

EXAMPLES_DIR = Path(__file__).resolve().parent
CATALOG_CSV = EXAMPLES_DIR / "catalog" / "products.csv"
MANUALS_DIR = EXAMPLES_DIR / "manuals"


@dataclass(frozen=True)
class BuiltFile:
    """One file of the demo corpus and whether this build (re)wrote it."""

    path: Path
    changed: bool


def build_demo(out_dir: Path) -> list[BuiltFile]:
    """Write the demo corpus into ``out_dir`` and list every file it consists of.

    Example:
        >>> files = build_demo(Path("/tmp/demo"))  # doctest: +SKIP
        >>> sum(f.changed for f in files)  # doctest: +SKIP
    """
    catalog_dir = out_dir / "catalog"
    built = [_copy(CATALOG_CSV, catalog_dir / CATALOG_CSV.name)]
    images = write_product_images(read_catalog(CATALOG_CSV), catalog_dir)
    built += [BuiltFile(path, changed) for path, changed in images.items()]
    built += [_copy(manual, out_dir / "manuals" / manual.name) for manual in _manuals()]
    handbook = out_dir / "handbook.pdf"
    built.append(BuiltFile(handbook, write_if_changed(handbook, handbook_pdf_bytes())))
    return built


def _manuals() -> list[Path]:
    return sorted(MANUALS_DIR.glob("*.md"))


def _copy(source: Path, target: Path) -> BuiltFile:
    return BuiltFile(target, write_if_changed(target, source.read_bytes()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the Cairn & Crest demo corpus.")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the corpus into")
    out_dir = parser.parse_args(argv).out
    built = build_demo(out_dir)
    for item in built:
        print(f"{'wrote    ' if item.changed else 'unchanged'} {item.path}")
    print(f"{len(built)} files in {out_dir} ({sum(f.changed for f in built)} written)")


if __name__ == "__main__":
    main()
