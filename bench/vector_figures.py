"""What figures drawn as vectors cost at ingestion, per page: detection, rendering, OCR.

Usage: python -m bench.vector_figures [PDF ...] [--repeat N]   (from the repository root)

Default PDFs: the multimodal sample (``Financial Market Analysis Report 2023.pdf``, six charts
drawn as vectors) and the Northwind handbooks (text, no charts: what detection costs a page that
has none). For each PDF it prints pages, drawn figures found, and the median over ``--repeat``
runs of: parsing without figures (no assets folder), parsing with figures (embedded images,
drawn-figure detection, rendering at 3x and PNG writing), detection alone, rendering alone; then
the OCR time of each figure found (RapidOCR, what enrichment adds; once, not repeated).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

from ingestion.parsers.pdf import PdfParser
from ingestion.parsers.vector_figures import find_drawn_figures, render_region

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEFAULT_PDFS = (
    DATA / "multimodal" / "Financial Market Analysis Report 2023.pdf",
    DATA / "northwind" / "employee_handbook.pdf",
    DATA / "northwind" / "Northwind_Standard_Benefits_Details.pdf",
)
MAX_PIXELS = 50_000_000


def _median_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _detect_all(path: Path) -> int:
    document = pdfium.PdfDocument(path)
    try:
        return sum(len(find_drawn_figures(document[i])) for i in range(len(document)))
    finally:
        document.close()


def _render_all(path: Path) -> None:
    document = pdfium.PdfDocument(path)
    try:
        for index in range(len(document)):
            page = document[index]
            for figure in find_drawn_figures(page):
                render_region(page, figure.bounds, max_pixels=MAX_PIXELS)
    finally:
        document.close()


def _ocr_seconds(figures: list[Path]) -> list[float]:
    from ridgeline.providers.ocr import RapidOcrEngine

    engine = RapidOcrEngine()
    if figures:
        engine.read_text(figures[0])  # loads the models outside the clock
    seconds = []
    for figure in figures:
        started = time.perf_counter()
        engine.read_text(figure)
        seconds.append(time.perf_counter() - started)
    return seconds


def bench(path: Path, repeat: int) -> None:
    document = pdfium.PdfDocument(path)
    pages = len(document)
    document.close()
    with tempfile.TemporaryDirectory(prefix="ridgeline-bench-") as folder:
        assets = Path(folder)
        plain = _median_seconds(lambda: list(PdfParser().parse(path, source=path.name)), repeat)
        parser = PdfParser(assets_dir=assets, max_image_pixels=MAX_PIXELS)
        full = _median_seconds(lambda: list(parser.parse(path, source=path.name)), repeat)
        detect = _median_seconds(lambda: _detect_all(path), repeat)
        render = _median_seconds(lambda: _render_all(path) if detect else None, repeat) - detect
        found = _detect_all(path)
        ocr = _ocr_seconds(sorted(assets.rglob("figure*.png")))
    print(f"{path.name}: {pages} pages, {found} drawn figures")
    print(f"  parse without figures  {1000 * plain / pages:7.1f} ms/page")
    print(f"  parse with figures     {1000 * full / pages:7.1f} ms/page")
    print(f"  detection alone        {1000 * detect / pages:7.1f} ms/page")
    if found:
        print(f"  rendering at 3x        {1000 * max(render, 0.0) / found:7.1f} ms/figure")
    if ocr:
        print(
            f"  OCR (enrichment)       {statistics.median(ocr):7.2f} s/figure median, "
            f"{sum(ocr) / pages:.2f} s/page"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=list(DEFAULT_PDFS))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for path in args.pdfs:
        bench(path, args.repeat)


if __name__ == "__main__":
    main()
