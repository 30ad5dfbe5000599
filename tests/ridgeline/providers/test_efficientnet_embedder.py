"""The packaged EfficientNet-Lite0 image embedder and its fusion with the descriptors, on images
drawn with Pillow (the real weights: about a second for the module)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ingestion.enrich.factory import build_image_embedder
from ridgeline.errors import FeatureNotAvailableError, ModelError
from ridgeline.protocols import ImageEmbedder
from ridgeline.providers.efficientnet_embedder import EfficientNetLiteEmbedder, preprocess
from ridgeline.providers.fused_image_embedder import FusedImageEmbedder
from ridgeline.providers.visual_embedder import VisualSimilarityEmbedder
from ridgeline.settings import Settings

pytestmark = pytest.mark.models


def _photo(path: Path, *, background: str, shape: str, colour: str, shift: int = 0) -> Path:
    """A 'product' (a shape) near the middle of a background with some clutter of its own."""
    image = Image.new("RGB", (200, 160), background)
    draw = ImageDraw.Draw(image)
    for x in range(0, 200, 20):
        draw.line([(x, 0), (x + 40, 160)], fill="grey", width=1)
    if shape == "tent":
        draw.polygon([(45 + shift, 125), (100 + shift, 35), (155 + shift, 125)], fill=colour)
        draw.line([(100 + shift, 35), (100 + shift, 125)], fill="black", width=3)
    else:
        draw.rectangle([70 + shift, 35, 130 + shift, 130], fill=colour)
        draw.ellipse([85 + shift, 50, 115 + shift, 80], fill="black")
    image.save(path)
    return path


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("photos")
    return {
        "tent": _photo(folder / "tent.png", background="white", shape="tent", colour="orange"),
        "tent moved": _photo(
            folder / "tent2.jpg", background="white", shape="tent", colour="orange", shift=12
        ),
        "pack": _photo(folder / "pack.png", background="white", shape="pack", colour="navy"),
    }


@pytest.fixture(scope="module")
def lite0() -> EfficientNetLiteEmbedder:
    return EfficientNetLiteEmbedder()


def test_is_an_image_embedder_that_is_not_text_aligned(lite0: EfficientNetLiteEmbedder) -> None:
    assert isinstance(lite0, ImageEmbedder)
    assert lite0.text_aligned is False and lite0.dimension == 1280
    assert lite0.name == "efficientnet-lite0-v1"
    with pytest.raises(FeatureNotAvailableError, match="cannot embed text"):
        lite0.embed_text("an orange tent")


def test_nothing_loads_until_the_first_image(tmp_path: Path, photos: dict[str, Path]) -> None:
    missing = tmp_path / "no-weights.pth"
    embedder = EfficientNetLiteEmbedder(weights_path=missing)  # constructing reads nothing
    assert embedder.dimension == 1280
    with pytest.raises(ModelError, match=r"no-weights\.pth"):
        embedder.embed_images([photos["tent"]])


def test_vectors_are_unit_length_deterministic_and_independent_of_the_batch(
    lite0: EfficientNetLiteEmbedder, photos: dict[str, Path]
) -> None:
    paths = list(photos.values())
    vectors = lite0.embed_images(paths)
    assert [len(v) for v in vectors] == [1280] * 3
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0] * 3)
    assert lite0.embed_images(paths) == vectors
    one_by_one = EfficientNetLiteEmbedder(batch_size=1).embed_images(paths)
    assert np.allclose(one_by_one, vectors, atol=1e-5)


def test_the_same_product_moved_is_closer_than_another_product(
    lite0: EfficientNetLiteEmbedder, photos: dict[str, Path]
) -> None:
    tent, moved, pack = np.array(lite0.embed_images(list(photos.values())))
    assert tent @ moved > tent @ pack + 0.05
    assert tent @ moved > moved @ pack + 0.05


def test_preprocessing_crops_the_centre_square_and_scales_to_minus_one_one(tmp_path: Path) -> None:
    image = Image.new("RGB", (320, 256), "black")
    ImageDraw.Draw(image).rectangle([0, 0, 40, 255], fill="white")  # outside the centre crop
    image.save(tmp_path / "wide.png")
    pixels = preprocess(tmp_path / "wide.png")
    assert pixels.shape == (3, 224, 224) and pixels.dtype == np.float32
    assert pixels.max() == pytest.approx(-127 / 128)  # only black is left: (0 - 127) / 128


def test_an_unreadable_image_is_an_error_naming_the_file(
    tmp_path: Path, lite0: EfficientNetLiteEmbedder
) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a jpeg")
    with pytest.raises(ModelError, match=r"broken\.jpg: not a readable image"):
        lite0.embed_images([broken])


def test_fusion_gives_each_part_an_equal_share_of_the_cosine(
    lite0: EfficientNetLiteEmbedder, photos: dict[str, Path]
) -> None:
    visual = VisualSimilarityEmbedder()
    fused = FusedImageEmbedder([lite0, visual])
    paths = [photos["tent"], photos["pack"]]
    (a, b) = np.array(fused.embed_images(paths))
    (la, lb), (va, vb) = np.array(lite0.embed_images(paths)), np.array(visual.embed_images(paths))
    assert len(a) == fused.dimension == 1280 + visual.dimension
    assert np.linalg.norm(a) == pytest.approx(1.0)
    assert a @ b == pytest.approx((la @ lb + va @ vb) / 2)
    assert fused.name == f"{lite0.name}+{visual.name}"
    assert FusedImageEmbedder([lite0, visual], weights=[2, 1]).name.endswith("-weighted")


def test_fusion_refuses_a_weight_per_part_mismatch(lite0: EfficientNetLiteEmbedder) -> None:
    with pytest.raises(ValueError, match="one positive weight per part"):
        FusedImageEmbedder([lite0, VisualSimilarityEmbedder()], weights=[1.0])
    with pytest.raises(ValueError, match="at least two parts"):
        FusedImageEmbedder([lite0])


def test_the_default_image_embedder_is_the_fused_one() -> None:
    default = build_image_embedder(Settings())
    assert isinstance(default, FusedImageEmbedder)
    assert default.name.startswith("efficientnet-lite0-v1+visual2-")
    alone = build_image_embedder(Settings(image_embedder="efficientnet"))
    assert isinstance(alone, EfficientNetLiteEmbedder)
    descriptors = build_image_embedder(Settings(image_embedder="visual"))
    assert isinstance(descriptors, VisualSimilarityEmbedder)
