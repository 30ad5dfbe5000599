from pathlib import Path

import pytest
from PIL import Image

from ingestion.enrich import EnrichmentCache, ImageEnricher
from ridgeline.types import ChunkKind, ImageAsset, Page
from tests.ingestion.fakes import CountingCaptioner, FixedOcr


def make_enricher(
    tmp_path: Path, ocr: FixedOcr, captioner: CountingCaptioner, *, max_pixels: int = 10**6
) -> ImageEnricher:
    cache = EnrichmentCache(tmp_path / "cache.sqlite")
    return ImageEnricher(ocr=ocr, captioner=captioner, cache=cache, max_image_pixels=max_pixels)


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "tent_photo.png"
    Image.new("RGB", (40, 30), (30, 120, 40)).save(path)
    return path


def figure_page(photo: Path, *, context: str = "") -> Page:
    asset = ImageAsset(path=str(photo), context=context, figure_name="figure1_1.png")
    return Page(source="manual.pdf", page_number=1, text="Pitch the tent.", images=(asset,))


def test_an_image_gets_ocr_text_a_caption_and_its_context(tmp_path: Path, photo: Path) -> None:
    page = figure_page(photo, context="Figure 1: the tent pitched")
    enricher = make_enricher(tmp_path, FixedOcr("4P DOME"), CountingCaptioner())

    result = enricher.enrich([page])

    (asset,) = result.pages[0].images
    assert asset.ocr_text == "4P DOME"
    assert asset.context == "Figure 1: the tent pitched"
    assert asset.caption == "A picture of tent_photo (Figure 1: the tent pitched; text: 4P DOME)"
    assert result.images == 1 and result.usable_images == {str(photo)}


def test_the_page_text_gains_the_caption_so_text_queries_find_the_image(
    tmp_path: Path, photo: Path
) -> None:
    enricher = make_enricher(tmp_path, FixedOcr("4P DOME"), CountingCaptioner())

    (page,) = enricher.enrich([figure_page(photo)]).pages

    assert page.text.startswith("Pitch the tent.\n\n[Image figure1_1.png] A picture of tent_photo")


def test_ocr_text_missing_from_page_and_caption_is_added_once(tmp_path: Path, photo: Path) -> None:
    class PlainCaptioner(CountingCaptioner):
        def caption(self, image_path: Path, *, context: str = "", ocr_text: str = "") -> str:
            return "A green tent."

    enricher = make_enricher(tmp_path, FixedOcr("4P DOME"), PlainCaptioner())

    (page,) = enricher.enrich([figure_page(photo)]).pages

    assert page.text.endswith("A green tent.\nText in the image: 4P DOME")


def test_a_rerun_reads_ocr_and_captions_from_the_cache(tmp_path: Path, photo: Path) -> None:
    ocr, captioner = FixedOcr("4P DOME"), CountingCaptioner()
    make_enricher(tmp_path, ocr, captioner).enrich([figure_page(photo)])

    again = make_enricher(tmp_path, ocr, captioner).enrich([figure_page(photo)])

    assert len(ocr.seen) == 1 and len(captioner.calls) == 1
    assert again.pages[0].images[0].ocr_text == "4P DOME"


def test_ocr_text_a_parser_already_found_is_kept(tmp_path: Path, photo: Path) -> None:
    asset = ImageAsset(path=str(photo), ocr_text="Read by the parser")
    page = Page(source="tent.png", text="Image: tent", kind=ChunkKind.IMAGE, images=(asset,))
    ocr = FixedOcr("should not be used")

    result = make_enricher(tmp_path, ocr, CountingCaptioner()).enrich([page])

    assert result.pages[0].images[0].ocr_text == "Read by the parser" and ocr.seen == []


def test_an_image_without_context_takes_its_pages_title_and_text(
    tmp_path: Path, photo: Path
) -> None:
    asset = ImageAsset(path=str(photo))
    page = Page(source="p.csv", record_id="7", title="TrailMaster Tent", text="Sleeps four.",
                kind=ChunkKind.CATALOG, images=(asset,))  # fmt: skip

    result = make_enricher(tmp_path, FixedOcr(""), CountingCaptioner()).enrich([page])

    assert result.pages[0].images[0].context == "TrailMaster Tent. Sleeps four."


def test_unreadable_oversized_and_missing_images_are_kept_with_a_warning(
    tmp_path: Path, photo: Path
) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    big = tmp_path / "big.png"
    Image.new("RGB", (200, 200)).save(big)
    paths = [broken, big, tmp_path / "gone.png"]
    assets = tuple(ImageAsset(path=str(p)) for p in paths)
    remote = ImageAsset(path="https://example.com/tent.jpg")
    page = Page(source="p.csv", text="Tent.", images=(*assets, remote))
    captioner = CountingCaptioner()

    result = make_enricher(tmp_path, FixedOcr("x"), captioner, max_pixels=100 * 100).enrich([page])

    assert result.pages[0].images == (*assets, remote) and result.pages[0].text == "Tent."
    assert result.usable_images == set() and captioner.calls == []
    assert [w.split(":")[1].strip().split(" ")[0] for w in result.warnings] == [
        "not",
        "200x200",
        "no",
    ]
    assert all(w.startswith(f"image {p}:") for w, p in zip(result.warnings, paths, strict=True))


def test_a_figures_caption_goes_on_its_own_figure_line(tmp_path: Path, photo: Path) -> None:
    asset = ImageAsset(path=str(photo), figure_name="figure1_1.png")
    text = "Pitch the tent.\n[Figure figure1_1.png]\nStake the corners."
    page = Page(source="manual.pdf", page_number=1, text=text, images=(asset,))
    enricher = make_enricher(tmp_path, FixedOcr("4P DOME"), CountingCaptioner())

    (enriched,) = enricher.enrich([page]).pages

    assert enriched.text == (
        "Pitch the tent.\n[Figure figure1_1.png] A picture of tent_photo (Pitch the tent. "
        "[Figure figure1_1.png] Stake the corners.; text: 4P DOME)\nStake the corners."
    )
