from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from retrieval.lancedb import LanceDbIndex
from ridgeline.errors import FeatureNotAvailableError, ModelError
from ridgeline.protocols import ImageEmbedder
from ridgeline.providers.visual_embedder import VERSION, VisualSimilarityEmbedder
from ridgeline.types import Chunk, ChunkKind, ImageAsset, SourceDocument, citation_for
from tests.retrieval.searching import search


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


def _stripes(path: Path, *, vertical: bool, colour: str) -> Path:
    image = Image.new("RGB", (128, 128), "white")
    draw = ImageDraw.Draw(image)
    for offset in range(0, 128, 16):
        box = [offset, 0, offset + 7, 127] if vertical else [0, offset, 127, offset + 7]
        draw.rectangle(box, fill=colour)
    image.save(path)
    return path


def test_the_gist_block_sees_orientation_whatever_the_colour(tmp_path: Path) -> None:
    gist = VisualSimilarityEmbedder(descriptors=["gist"])
    red_up = _stripes(tmp_path / "1.png", vertical=True, colour="red")
    blue_up = _stripes(tmp_path / "2.png", vertical=True, colour="blue")
    red_across = _stripes(tmp_path / "3.png", vertical=False, colour="red")
    a, b, c = gist.embed_images([red_up, blue_up, red_across])
    assert _cos(a, b) > 0.9
    assert _cos(a, b) > _cos(a, c) + 0.5


def test_a_flat_image_still_gets_a_finite_unit_vector(
    tmp_path: Path, embedder: VisualSimilarityEmbedder
) -> None:
    # No edges and no oriented energy: those blocks are zero, the colour blocks carry the vector.
    path = tmp_path / "flat.png"
    Image.new("RGB", (64, 64), "teal").save(path)
    (vector,) = embedder.embed_images([path])
    assert np.all(np.isfinite(vector))
    assert np.linalg.norm(vector) == pytest.approx(1.0)


def test_centred_blocks_are_correlations_not_cosines_of_positive_histograms(
    tmp_path: Path,
) -> None:
    # Two unrelated pictures: the plain cosine of square-rooted histograms is high just because
    # every entry is positive; centred, the blocks only agree where the pictures do.
    tent = _photo(tmp_path / "1.png", background="white", shape="tent", colour="green")
    stripes = _stripes(tmp_path / "2.png", vertical=False, colour="navy")
    for name in ("edges", "gist"):
        centred = VisualSimilarityEmbedder(descriptors=[name])
        plain = VisualSimilarityEmbedder(descriptors=[name], centred=False)
        assert _cos(*centred.embed_images([tent, stripes])) < _cos(
            *plain.embed_images([tent, stripes])
        )


def test_the_name_changes_with_the_version_and_the_options() -> None:
    names = {
        VisualSimilarityEmbedder().name,
        VisualSimilarityEmbedder(centred=False).name,
        VisualSimilarityEmbedder(foreground=False).name,
        VisualSimilarityEmbedder(descriptors=["colour", "layout", "edges"]).name,
        VisualSimilarityEmbedder(weights={"gist": 2.0}).name,
    }
    assert len(names) == 5
    assert VisualSimilarityEmbedder().name.startswith(f"visual{VERSION}-")
    assert VisualSimilarityEmbedder().dimension == 192 + 160 + 324 + 512


@pytest.mark.integration
def test_an_index_of_version_1_vectors_refuses_a_version_2_query(tmp_path: Path) -> None:
    # Version 1 vectors are 676 values wide, version 2's 1188: an index built before the change
    # fails loudly, naming both widths, instead of comparing vectors of two different designs.
    version1 = VisualSimilarityEmbedder(
        descriptors=["colour", "layout", "edges"],
        weights={"colour": 0.7, "layout": 1.0, "edges": 1.3},
        centred=False,
    )
    photo = _photo(tmp_path / "tent.png", background="white", shape="tent", colour="green")
    index = LanceDbIndex(tmp_path / "index", dimension=1)
    chunk = Chunk(
        chunk_id="tent-1",
        document_id="tent",
        source="products.csv",
        citation=citation_for("products.csv", record_id="tent"),
        content="a photo of the tent",
        kind=ChunkKind.IMAGE,
        images=(ImageAsset(path=str(photo)),),
    )
    document = SourceDocument(
        document_id="tent", path=photo, source="products.csv", content_hash="x", size_bytes=1
    )
    index.replace_document(document, [chunk], [[1.0]], image_vectors=version1.embed_images([photo]))
    (query,) = VisualSimilarityEmbedder().embed_images([photo])
    with pytest.raises(ValueError, match=r"1188\b.*\b676"):
        search(index, text="", vector=None, mode="vectors", top=1, image_vector=query)
