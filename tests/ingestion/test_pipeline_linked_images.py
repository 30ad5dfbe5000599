"""A web page's photo goes through the whole pipeline: stored, read, captioned, searchable."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from ingestion.enrich import EnrichmentCache, ImageEnricher
from ingestion.pipeline import IngestionPipeline
from ingestion.registry import default_parser_registry
from ingestion.splitter import TokenSplitter
from ridgeline.providers.tokenizer import TiktokenTokenizer
from tests.fakes import HashingEmbedder
from tests.ingestion.fakes import CountingCaptioner, FixedOcr, InMemoryIndex
from tests.retrieval.searching import search


def test_an_html_photo_is_enriched_and_cited_with_its_section(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "img").mkdir(parents=True)
    Image.new("RGB", (60, 40), (30, 90, 200)).save(site / "img" / "lantern.png")
    (site / "lantern.html").write_text(
        "<title>Lantern</title><p>Our brightest camp light.</p>"
        '<img src="img/lantern.png" alt="Summit lantern on a table">',
        encoding="utf-8",
    )
    ocr = FixedOcr("Summit Lantern 400 lumens")
    index = InMemoryIndex()
    pipeline = IngestionPipeline(
        registry=default_parser_registry(
            ocr=ocr, max_image_pixels=10**6, assets_dir=tmp_path / "assets"
        ),
        splitter=TokenSplitter(tokenizer=TiktokenTokenizer(), chunk_tokens=60, overlap_tokens=6),
        embedder=HashingEmbedder(),
        index=index,
        max_file_bytes=10**6,
        enricher=ImageEnricher(
            ocr=ocr,
            captioner=CountingCaptioner(),
            cache=EnrichmentCache(tmp_path / "cache.sqlite"),
            max_image_pixels=10**6,
        ),
    )

    report = pipeline.run([site / "lantern.html"])

    assert report.total_images == 1 and not report.failed
    (chunk,) = index.all_chunks()
    (image,) = chunk.images
    assert image.ocr_text == "Summit Lantern 400 lumens"
    assert "Summit lantern on a table" in image.context
    assert chunk.citation == "lantern.html"
    hits = search(index, text="lumens", vector=None, mode="text", top=1)
    assert hits and hits[0].chunk == chunk
