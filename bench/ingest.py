"""Ingestion speed: the shared corpora from scratch, seconds per stage, and pipeline overhead.

Usage: python -m bench.ingest [FOLDER ...] [--keep INDEX_DIR]   (from the repository root)

Builds the same pipeline as ``ridgeline ingest`` (``ridgeline.open(...).ingest``) on a fresh
temporary index, ingests ``../shared/data/northwind`` and ``../shared/data/contoso-outdoor`` (or
the given folders), and prints files, pages, chunks, images, seconds per stage and chunks/s. The
stage times come from the pipeline's own report. Two wrappers only observe: one around the OCR
engine (OCR runs inside parsing for images and scans, and inside enrichment for figures and
catalog photos) and one around the text embedder, which records the texts it is sent. After the
run the same texts are embedded again in one call: that raw forward time is the floor, and

    overhead = (wall time - OCR time - raw embedder time) / raw embedder time

is what the pipeline adds around the embedder, OCR excluded. The embedder is loaded (and warmed
up) before the clock starts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import ridgeline
from ingestion.report import IngestReport
from ridgeline.plugins import plugin_registry
from ridgeline.protocols import OcrEngine, TextEmbedder
from ridgeline.providers.embedder_registry import build_text_embedder
from ridgeline.settings import Settings

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CORPORA = (DATA / "northwind", DATA / "contoso-outdoor")


class TimedOcr:
    """Wraps the real OCR engine and adds up the seconds it takes."""

    def __init__(self, engine: OcrEngine) -> None:
        self._engine = engine
        self.seconds = 0.0
        self.images = 0

    def read_text(self, image_path: Path) -> str:
        started = time.perf_counter()
        try:
            return self._engine.read_text(image_path)
        finally:
            self.seconds += time.perf_counter() - started
            self.images += 1


class RecordingEmbedder:
    """Delegates to the real text embedder and keeps every batch of texts it was sent."""

    def __init__(self, embedder: TextEmbedder) -> None:
        self._embedder = embedder
        self.name = embedder.name
        self.batches: list[list[str]] = []

    @property
    def dimension(self) -> int:
        return self._embedder.dimension

    @property
    def max_input_tokens(self) -> int:
        return self._embedder.max_input_tokens

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.batches.append(list(texts))
        return self._embedder.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._embedder.embed_query(text)


def _raw_embed_seconds(embedder: TextEmbedder, batches: list[list[str]]) -> float:
    """The same batches as the pipeline sent (one per file), straight to the model."""
    started = time.perf_counter()
    for batch in batches:
        embedder.embed_documents(batch)
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=list(CORPORA))
    parser.add_argument("--keep", type=Path, help="Index folder to keep (default: temporary).")
    args = parser.parse_args(argv)
    missing = [str(f) for f in args.folders if not f.is_dir()]
    if missing:
        print(f"error: corpus folder not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ridgeline-bench-") as scratch:
        index_dir = args.keep or Path(scratch) / "index"
        return _run(args.folders, index_dir)


def _run(folders: list[Path], index_dir: Path) -> int:
    settings = Settings(index_dir=index_dir)
    real = build_text_embedder(settings)
    real.embed_documents(["warm up the model before the clock starts"])
    registry = plugin_registry()
    engine = registry.ocr_engines.factory(settings.ocr_engine)(settings)
    recorder, ocr = RecordingEmbedder(real), TimedOcr(engine)
    # Observe, do not change, what `ridgeline ingest` builds: the configured embedder and OCR
    # engine, wrapped, are registered as plugins and chosen by name; the rest is the library's.
    with registry.scoped():
        registry.text_embedders.register("bench-recorder", lambda _settings: recorder)
        registry.ocr_engines.register("bench-timed", lambda _settings: ocr)
        observed = Settings(
            index_dir=index_dir, text_embedder="bench-recorder", ocr_engine="bench-timed"
        )
        report = ridgeline.open(settings=observed).ingest(folders)
    raw = _raw_embed_seconds(real, recorder.batches)
    _print(report, ocr, raw, folders, recorder)
    return 0


def _print(
    report: IngestReport,
    ocr: TimedOcr,
    raw: float,
    folders: list[Path],
    recorder: RecordingEmbedder,
) -> None:
    texts = sum(len(batch) for batch in recorder.batches)
    print(f"corpora: {', '.join(str(f) for f in folders)}")
    print(f"files: {len(report.files)}  counts: {report.counts}")
    print(
        f"pages: {report.total_pages}  chunks: {report.total_chunks}  images: {report.total_images}"
    )
    print(f"OCR: {ocr.images} images, {ocr.seconds:.1f} s")
    print(
        "seconds per stage: " + ", ".join(f"{k} {v:.1f}" for k, v in report.stage_seconds.items())
    )
    print(f"wall: {report.seconds:.1f} s  chunks/s: {report.total_chunks / report.seconds:.2f}")
    without_ocr = report.seconds - ocr.seconds
    print(
        f"wall without OCR: {without_ocr:.1f} s  chunks/s: {report.total_chunks / without_ocr:.2f}"
    )
    print(
        f"raw embedder forward over the same {texts} texts: {raw:.1f} s ({texts / raw:.2f} texts/s)"
    )
    print(f"pipeline overhead over the embedder, OCR excluded: {(without_ocr - raw) / raw:.1%}")
    for failure in report.failed:
        print(f"failed: {failure.path}: {failure.error}")


if __name__ == "__main__":
    raise SystemExit(main())
