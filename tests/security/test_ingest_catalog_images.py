"""Bug 1: an uploaded catalog must not pull images from elsewhere on the server into the index.

A catalog's image column may name ``/srv/secret.png``, ``../secret.png``, ``file:///...`` or a
web address. Only files inside the catalog's own folder are read; the secret picture's words
never reach OCR, the chunks or a search.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.retrieval.searching import search
from tests.security.ingest_fixtures import (
    ReadsWhatItSees,
    drawn_words,
    indexed_text,
    lance_index,
    pipeline,
)


def test_a_catalog_cannot_read_images_outside_its_folder(tmp_path: Path) -> None:
    secret = drawn_words(tmp_path / "server" / "secret.png", "SERVER SECRET 4711")
    catalog_dir = tmp_path / "uploads" / "mallory"
    drawn_words(catalog_dir / "tent.png", "TrailMaster label")
    refs = [
        str(secret),  # absolute path
        "../../server/secret.png",  # climbs out of the folder
        "%2e%2e/%2e%2e/server/secret.png",  # the same, percent-encoded
        f"file://{secret}",
        "http://169.254.169.254/latest/meta-data/secret.png",  # a web address: never fetched
        "tent.png",  # the one image that is the catalog's own
    ]
    catalog = catalog_dir / "products.json"
    catalog.write_text(json.dumps([{"id": 1, "name": "Tent", "images": refs}]), encoding="utf-8")
    ocr = ReadsWhatItSees()
    index_dir = tmp_path / "index"
    ingest = pipeline(index_dir, ocr=ocr)

    report = ingest.run([catalog])

    assert not report.failed
    assert ocr.seen == [(catalog_dir / "tent.png").resolve()]
    index = lance_index(index_dir)
    assert indexed_text(index, "TrailMaster label")  # the catalog's own image was read
    assert indexed_text(index, "SERVER SECRET 4711") == []
    chunk_images = [
        image.path
        for hit in search(index, text="Tent", mode="text", top=5)
        for image in hit.chunk.images
    ]
    assert str(secret.resolve()) not in chunk_images
    assert not any(path.startswith("file:") for path in chunk_images)
