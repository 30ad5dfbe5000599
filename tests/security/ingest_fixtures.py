"""Helpers for the ingestion security stories: a real LanceDB index, a small pipeline, and
pictures with words drawn on them (what OCR would read)."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ingestion.enrich import ImageEnricher
from ingestion.index_lock import IndexLock
from ingestion.journal import JOURNAL_FILE, WriteJournal
from ingestion.pipeline import IngestionPipeline
from ingestion.registry import default_parser_registry
from ingestion.splitter import TokenSplitter
from retrieval.index_repair import LanceIndexDoctor
from retrieval.lancedb import LanceDbIndex
from ridgeline.errors import IndexBusyError
from ridgeline.providers.tokenizer import TiktokenTokenizer
from tests.fakes import HashingEmbedder
from tests.ingestion.fakes import CountingCaptioner
from tests.retrieval.searching import search

MAX_PIXELS = 4_000_000


class ReadsWhatItSees:
    """An OcrEngine that 'reads' each image's file name and records every image shown to it, so
    a test can tell which files reached OCR (and so the index)."""

    def __init__(self) -> None:
        self.seen: list[Path] = []
        self.sizes: list[tuple[int, int]] = []  # (width, height) of each image shown

    def read_text(self, image_path: Path) -> str:
        self.seen.append(Path(image_path).resolve())
        with Image.open(image_path) as image:
            self.sizes.append(image.size)
            return str(image.info.get("words", ""))


def drawn_words(path: Path, words: str) -> Path:
    """A PNG with ``words`` drawn in large print (also stored in its text chunk for the OCR
    stand-in above)."""
    from PIL.PngImagePlugin import PngInfo

    image = Image.new("RGB", (640, 120), "white")
    ImageDraw.Draw(image).text((16, 30), words, fill="black", font=ImageFont.load_default(size=40))
    info = PngInfo()
    info.add_text("words", words)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, pnginfo=info)
    return path


def tiny_pdf(path: Path, *, width_pt: int, height_pt: int) -> Path:
    """A PDF of one empty page of the given size, written by hand (a few hundred bytes)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>" % (width_pt, height_pt),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def lance_index(index_dir: Path) -> LanceDbIndex:
    return LanceDbIndex(index_dir, dimension=HashingEmbedder().dimension)


def pipeline(
    index_dir: Path,
    *,
    ocr: ReadsWhatItSees | None = None,
    max_pixels: int = MAX_PIXELS,
    index: object | None = None,
    lock: IndexLock | None = None,
) -> IngestionPipeline:
    """The real pipeline (parsers, enricher, journal, LanceDB) with a hashing embedder."""
    reader = ocr or ReadsWhatItSees()
    return IngestionPipeline(
        registry=default_parser_registry(
            ocr=reader, max_image_pixels=max_pixels, assets_dir=index_dir / "assets"
        ),
        splitter=TokenSplitter(tokenizer=TiktokenTokenizer(), chunk_tokens=80, overlap_tokens=8),
        embedder=HashingEmbedder(),
        index=index or lance_index(index_dir),  # type: ignore[arg-type]
        max_file_bytes=10**7,
        enricher=ImageEnricher(
            ocr=reader, captioner=CountingCaptioner(), cache=None, max_image_pixels=max_pixels
        ),
        journal=WriteJournal(index_dir / JOURNAL_FILE),
        lock=lock,
        doctor=LanceIndexDoctor(index_dir),
    )


def indexed_text(index: LanceDbIndex, words: str) -> list[str]:
    """The contents of chunks a BM25 search for ``words`` finds."""
    hits = search(index, text=words, mode="text", top=20)
    return [hit.chunk.content for hit in hits]


class _HoldsAtStart:
    """An IngestProgress that, once the run holds the index lock, says so by creating
    ``started`` and then waits until ``go`` exists: a second process can then try its luck."""

    def __init__(self, started: Path, go: Path) -> None:
        self._started = started
        self._go = go

    def on_start(self, total: int) -> None:
        self._started.touch()
        deadline = time.monotonic() + 60
        while not self._go.exists() and time.monotonic() < deadline:
            time.sleep(0.02)

    def on_file(self, result: object) -> None:
        pass


def _killed_before_document_rows() -> None:
    """From now on this process dies (``kill -9``) the moment it writes document rows: after
    the chunks commit and before the rows commit, the window a crash can hit."""
    from lancedb.table import LanceTable

    add = LanceTable.add

    def add_or_die(self: LanceTable, *args: object, **kwargs: object) -> object:
        if self.name == "documents":
            os.kill(os.getpid(), signal.SIGKILL)
        return add(self, *args, **kwargs)  # type: ignore[arg-type]

    LanceTable.add = add_or_die  # type: ignore[method-assign]


def _worker(argv: list[str]) -> int:
    """``python -m tests.security.ingest_fixtures [--killed-before-document-rows] INDEX_DIR DOCS
    [STARTED GO]``: one ingest run in its own process, with the index lock as ``ridgeline
    ingest`` takes it. Prints the error and exits 3 when another writer holds the lock.
    ``--hold INDEX_DIR STARTED GO`` only holds the lock."""
    if argv[0] == "--hold":  # only hold the lock, as a run does, until GO exists
        progress = _HoldsAtStart(Path(argv[2]), Path(argv[3]))
        with IndexLock(Path(argv[1])).held(wait_s=0):
            progress.on_start(0)
        return 0
    if argv[0] == "--killed-before-document-rows":
        _killed_before_document_rows()
        argv = argv[1:]
    index_dir, docs = Path(argv[0]), Path(argv[1])
    progress = _HoldsAtStart(Path(argv[2]), Path(argv[3])) if len(argv) > 3 else None
    ingest = pipeline(index_dir, lock=IndexLock(index_dir))
    try:
        report = ingest.run([docs], progress=progress)
    except IndexBusyError as exc:
        print(exc, flush=True)
        return 3
    print(json.dumps(report.counts), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_worker(sys.argv[1:]))
