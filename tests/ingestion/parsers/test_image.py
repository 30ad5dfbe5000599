from pathlib import Path

import pytest
from PIL import Image

from ingestion.parsers.image import ImageParser
from ridgeline.errors import CorruptFileError, IngestionError
from ridgeline.types import ChunkKind, ImageAsset
from tests.ingestion.fakes import FixedOcr


def test_ocr_text_becomes_the_page_text_and_the_image_travels_with_it(text_png: Path) -> None:
    parser = ImageParser(ocr=FixedOcr("Summit Lantern\n300 lumens"), max_image_pixels=10**6)

    (page,) = parser.parse(text_png, source="lantern_label.png")

    assert page.kind is ChunkKind.IMAGE
    assert page.text == "Image: lantern label\nText in the image:\nSummit Lantern\n300 lumens"
    assert page.images == (
        ImageAsset(path=str(text_png.resolve()), ocr_text="Summit Lantern\n300 lumens"),
    )


def test_an_image_without_text_is_still_named_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "blue-tent_front.jpg"
    Image.new("RGB", (32, 32), "blue").save(path)

    (page,) = ImageParser(ocr=FixedOcr(""), max_image_pixels=10**6).parse(path, source=path.name)

    assert page.text == "Image: blue tent front\n(OCR found no text in this image.)"
    assert page.title == "blue tent front"


def test_an_image_above_the_pixel_limit_is_refused_before_ocr(text_png: Path) -> None:
    ocr = FixedOcr("never read")
    parser = ImageParser(ocr=ocr, max_image_pixels=1000)

    with pytest.raises(IngestionError, match=r"640x160 = 102,400 pixels.*limit of 1,000"):
        list(parser.parse(text_png, source=text_png.name))
    assert ocr.seen == []


def test_a_corrupt_image_is_reported_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 20)

    with pytest.raises(CorruptFileError, match=r"photo\.png: not a readable image"):
        list(ImageParser(ocr=FixedOcr(""), max_image_pixels=10**6).parse(path, source="p.png"))


@pytest.mark.models
def test_real_ocr_reads_the_printed_words(text_png: Path) -> None:
    from ridgeline.providers.ocr import RapidOcrEngine

    parser = ImageParser(ocr=RapidOcrEngine(), max_image_pixels=10**6)

    (page,) = parser.parse(text_png, source=text_png.name)

    assert "SUMMIT" in page.images[0].ocr_text.upper()
    assert "LANTERN" in page.text.upper().split("TEXT IN THE IMAGE:")[1]
