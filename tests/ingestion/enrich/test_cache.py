from pathlib import Path

from ingestion.enrich.cache import CachingOcrEngine, EnrichmentCache
from tests.ingestion.fakes import FixedOcr


def test_ocr_text_and_captions_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    cache = EnrichmentCache(path)
    cache.put_ocr("abc", "Summit Lantern")
    cache.put_caption("abc", "A lantern.", captioner="offline", context="p. 2", ocr_text="S")
    cache.close()

    reopened = EnrichmentCache(path)

    assert reopened.get_ocr("abc") == "Summit Lantern"
    assert reopened.get_ocr("other") is None
    key = {"captioner": "offline", "context": "p. 2", "ocr_text": "S"}
    assert reopened.get_caption("abc", **key) == "A lantern."


def test_a_caption_is_keyed_by_captioner_and_context(tmp_path: Path) -> None:
    cache = EnrichmentCache(tmp_path / "cache.sqlite")
    cache.put_caption("abc", "A lantern.", captioner="offline", context="p. 2", ocr_text="")

    assert cache.get_caption("abc", captioner="openai:gpt", context="p. 2", ocr_text="") is None
    assert cache.get_caption("abc", captioner="offline", context="p. 3", ocr_text="") is None


def test_the_caching_ocr_reads_an_image_once_whatever_its_name(tmp_path: Path) -> None:
    first, copy = tmp_path / "a.png", tmp_path / "b.png"
    first.write_bytes(b"same bytes")
    copy.write_bytes(b"same bytes")
    engine = FixedOcr(" Summit Lantern ")
    ocr = CachingOcrEngine(engine, EnrichmentCache(tmp_path / "cache.sqlite"))

    texts = [ocr.read_text(first), ocr.read_text(copy)]

    assert texts == ["Summit Lantern", "Summit Lantern"] and engine.seen == [first]
