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


@pytest.mark.parametrize(
    ("name", "save_as"),
    [
        ("tag.png", "PNG"),
        ("tag.jpg", "JPEG"),
        ("tag.bmp", "BMP"),
        ("tag.tiff", "TIFF"),
        ("tag.webp", "WEBP"),
        ("tag.gif", "GIF"),
    ],
)
def test_every_supported_format_opens_and_reaches_ocr(
    tmp_path: Path, name: str, save_as: str
) -> None:
    path = tmp_path / name
    Image.new("RGB", (40, 30), "orange").save(path, format=save_as)
    shown: list[tuple[str | None, tuple[int, int]]] = []

    class FormatOcr:
        def read_text(self, image_path: Path) -> str:
            with Image.open(image_path) as image:
                shown.append((image.format, image.size))
            return "SALE"

    (page,) = ImageParser(ocr=FormatOcr(), max_image_pixels=10**6).parse(path, source=name)

    assert page.images[0].ocr_text == "SALE"
    assert page.images[0].path == str(path.resolve())  # the original file is the asset
    ((shown_format, shown_size),) = shown  # what OCR got is a format every engine reads
    assert shown_format in {"PNG", "JPEG", "BMP"} and shown_size == (40, 30)


def test_a_gif_is_read_from_its_first_frame(tmp_path: Path) -> None:
    path = tmp_path / "anim.gif"
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    seen_colours: list[tuple[int, ...]] = []

    class ColourOcr:
        def read_text(self, image_path: Path) -> str:
            with Image.open(image_path) as image:
                seen_colours.append(image.convert("RGB").getpixel((5, 5)))
            return ""

    list(ImageParser(ocr=ColourOcr(), max_image_pixels=10**6).parse(path, source="anim.gif"))

    assert seen_colours == [(255, 0, 0)]
