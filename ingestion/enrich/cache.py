"""A small SQLite file that remembers OCR text and captions by image content hash.

Re-ingesting a changed document usually re-reads the same images (a catalog gets a new row, a
manual a new page); OCR costs seconds per image and a vision-model caption costs money, so both
are looked up by the SHA-256 of the image's bytes before any engine is asked. Captions are also
keyed by the captioner's name and a hash of the context they were given, because the offline
captioner writes the context into the caption.

    >>> cache = EnrichmentCache(Path(".ridgeline/index/enrichment-cache.sqlite"))
    >>> cache.put_ocr("ab12...", "Summit Lantern")
    >>> cache.get_ocr("ab12...")
    'Summit Lantern'
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

from ingestion.hashing import content_hash
from ridgeline.protocols import OcrEngine

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS ocr (image_hash TEXT PRIMARY KEY, text TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS captions (image_hash TEXT NOT NULL, captioner TEXT NOT NULL, "
    "context_hash TEXT NOT NULL, caption TEXT NOT NULL, "
    "PRIMARY KEY (image_hash, captioner, context_hash))",
)


def _context_key(context: str, ocr_text: str) -> str:
    return hashlib.sha256(f"{context}\x00{ocr_text}".encode()).hexdigest()[:32]


class EnrichmentCache:
    """OCR text and captions of images, by content hash; the file is created on first use."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            connection.execute("PRAGMA journal_mode=WAL")  # a crash never leaves a torn file
            connection.execute("PRAGMA synchronous=NORMAL")  # a lost entry is only re-read
            for statement in _SCHEMA:
                connection.execute(statement)
            connection.commit()
            self._connection = connection
        return self._connection

    def get_ocr(self, image_hash: str) -> str | None:
        with self._lock:
            row = (
                self._db()
                .execute("SELECT text FROM ocr WHERE image_hash = ?", (image_hash,))
                .fetchone()
            )
        return None if row is None else str(row[0])

    def put_ocr(self, image_hash: str, text: str) -> None:
        with self._lock:
            db = self._db()
            db.execute("INSERT OR REPLACE INTO ocr VALUES (?, ?)", (image_hash, text))
            db.commit()

    def get_caption(
        self, image_hash: str, *, captioner: str, context: str, ocr_text: str
    ) -> str | None:
        key = (image_hash, captioner, _context_key(context, ocr_text))
        with self._lock:
            row = (
                self._db()
                .execute(
                    "SELECT caption FROM captions WHERE image_hash = ? AND captioner = ? "
                    "AND context_hash = ?",
                    key,
                )
                .fetchone()
            )
        return None if row is None else str(row[0])

    def put_caption(
        self, image_hash: str, caption: str, *, captioner: str, context: str, ocr_text: str
    ) -> None:
        key = (image_hash, captioner, _context_key(context, ocr_text))
        with self._lock:
            db = self._db()
            db.execute("INSERT OR REPLACE INTO captions VALUES (?, ?, ?, ?)", (*key, caption))
            db.commit()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


class CachingOcrEngine:
    """An OcrEngine that looks the image's content hash up in the cache before reading it.

    Parsers and the enricher share it, so an image met twice (a product photo that is both a
    file in the folder and a catalog row's photo) is read once, and never again on later runs.
    """

    def __init__(self, engine: OcrEngine, cache: EnrichmentCache) -> None:
        self._engine = engine
        self._cache = cache

    def read_text(self, image_path: Path) -> str:
        image_hash = content_hash(image_path)
        cached = self._cache.get_ocr(image_hash)
        if cached is not None:
            return cached
        text = self._engine.read_text(image_path).strip()
        self._cache.put_ocr(image_hash, text)
        return text
