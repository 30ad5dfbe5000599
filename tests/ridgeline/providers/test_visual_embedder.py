from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ridgeline.errors import FeatureNotAvailableError, ModelError
from ridgeline.protocols import ImageEmbedder
from ridgeline.providers.visual_embedder import VisualSimilarityEmbedder


def _photo(path: Path, *, background: str, shape: str, colour: str) -> Path:
    """A 'product' (a shape) in the middle of a background with some texture of its own."""
    image = Image.new("RGB", (160, 160), background)
    draw = ImageDraw.Draw(image)
    for x in range(0, 160, 20):  # background clutter: thin diagonal lines
        draw.line([(x, 0), (x + 40, 160)], fill="grey", width=1)
    if shape == "tent":
        draw.polygon([(35, 120), (80, 40), (125, 120)], fill=colour)
    else:
        draw.rectangle([50, 40, 110, 125], fill=colour)
        draw.line([(50, 60), (110, 60)], fill="black", width=3)
    image.save(path)
    return path


def _cos(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b))


@pytest.fixture
def embedder() -> VisualSimilarityEmbedder:
    return VisualSimilarityEmbedder()


def test_is_an_image_embedder_that_is_not_text_aligned(embedder: VisualSimilarityEmbedder) -> None:
    assert isinstance(embedder, ImageEmbedder)
    assert embedder.text_aligned is False


def test_text_cannot_be_embedded(embedder: VisualSimilarityEmbedder) -> None:
    with pytest.raises(FeatureNotAvailableError, match="cannot embed text"):
        embedder.embed_text("a green tent")


def test_vectors_are_unit_length_of_the_declared_dimension(
    tmp_path: Path, embedder: VisualSimilarityEmbedder
) -> None:
    path = _photo(tmp_path / "a.png", background="white", shape="tent", colour="green")
    (vector,) = embedder.embed_images([path])
    assert len(vector) == embedder.dimension
    assert np.linalg.norm(vector) == pytest.approx(1.0)
    assert embedder.embed_images([path]) == [vector]  # deterministic


def test_the_same_product_on_another_background_is_closer_than_another_product(
    tmp_path: Path, embedder: VisualSimilarityEmbedder
) -> None:
    tent_forest = _photo(
        tmp_path / "1.png", background="darkolivegreen", shape="tent", colour="orange"
    )
    tent_sky = _photo(tmp_path / "2.png", background="lightblue", shape="tent", colour="orange")
    pack_sky = _photo(tmp_path / "3.png", background="lightblue", shape="pack", colour="navy")
    a, b, c = embedder.embed_images([tent_forest, tent_sky, pack_sky])
    assert _cos(a, b) > _cos(b, c)


def test_shape_alone_separates_images_of_one_colour(tmp_path: Path) -> None:
    edges = VisualSimilarityEmbedder(descriptors=["edges"])
    tent = _photo(tmp_path / "1.png", background="white", shape="tent", colour="red")
    tent2 = _photo(tmp_path / "2.png", background="ivory", shape="tent", colour="red")
    pack = _photo(tmp_path / "3.png", background="white", shape="pack", colour="red")
    a, b, c = edges.embed_images([tent, tent2, pack])
    assert _cos(a, b) > _cos(a, c)
    assert edges.dimension < VisualSimilarityEmbedder().dimension


def test_a_file_that_is_not_an_image_is_named_in_the_error(
    tmp_path: Path, embedder: VisualSimilarityEmbedder
) -> None:
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a picture")
    with pytest.raises(ModelError, match=r"notes\.jpg"):
        embedder.embed_images([bad])
    with pytest.raises(ModelError, match=r"missing\.jpg"):
        embedder.embed_images([tmp_path / "missing.jpg"])


def test_unknown_descriptors_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown descriptors"):
        VisualSimilarityEmbedder(descriptors=["sift"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="at least one"):
        VisualSimilarityEmbedder(descriptors=[])
