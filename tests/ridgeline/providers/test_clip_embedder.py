"""A tiny random CLIP, built and saved by the test: the real loading and forward code runs."""

import json
import math
from pathlib import Path

import pytest
from PIL import Image

from ridgeline.errors import ConfigError, CorruptFileError
from ridgeline.protocols import ImageEmbedder
from ridgeline.providers.clip_embedder import ClipImageEmbedder


@pytest.fixture(scope="module")
def tiny_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from transformers import (
        CLIPConfig,
        CLIPImageProcessor,
        CLIPModel,
        CLIPProcessor,
        CLIPTokenizerFast,
    )

    folder = tmp_path_factory.mktemp("tiny-clip")
    chars = [chr(code) for code in range(33, 127)]
    vocab = {token: i for i, token in enumerate([*chars, *(c + "</w>" for c in chars)])}
    vocab |= {"<|startoftext|>": len(vocab), "<|endoftext|>": len(vocab) + 1}
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = CLIPTokenizerFast(vocab=vocab, merges=[])
    text = {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1,
            "num_attention_heads": 2, "max_position_embeddings": 24, "vocab_size": len(vocab),
            "bos_token_id": vocab["<|startoftext|>"], "eos_token_id": vocab["<|endoftext|>"],
            "pad_token_id": vocab["<|endoftext|>"]}  # fmt: skip
    vision = {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1,
              "num_attention_heads": 2, "image_size": 32, "patch_size": 8}  # fmt: skip
    config = CLIPConfig(text_config=text, vision_config=vision, projection_dim=8)
    CLIPModel(config).save_pretrained(folder)
    image_processor = CLIPImageProcessor(
        size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}
    )
    CLIPProcessor(image_processor=image_processor, tokenizer=tokenizer).save_pretrained(folder)
    return folder


def photo(tmp_path: Path, name: str, colour: str) -> Path:
    path = tmp_path / name
    Image.new("RGB", (48, 40), colour).save(path)
    return path


@pytest.mark.models
def test_images_and_text_embed_into_one_normalised_space(tiny_clip: Path, tmp_path: Path) -> None:
    clip = ClipImageEmbedder(tiny_clip, batch_size=2)
    paths = [photo(tmp_path, f"{c}.png", c) for c in ("red", "green", "blue")]

    vectors = clip.embed_images(paths)
    text_vector = clip.embed_text("a red tent " * 20)  # longer than the model's 24 positions

    assert isinstance(clip, ImageEmbedder) and clip.text_aligned
    assert clip.dimension == 8 and [len(v) for v in vectors] == [8, 8, 8] and len(text_vector) == 8
    assert all(math.isclose(math.fsum(x * x for x in v), 1.0) for v in [*vectors, text_vector])
    assert vectors[0] != vectors[1]
    assert clip.embed_images(paths[:1]) == [pytest.approx(vectors[0], abs=1e-5)]


@pytest.mark.models
def test_an_unreadable_image_is_named(tiny_clip: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"no jpeg here")

    with pytest.raises(CorruptFileError, match=r"broken\.jpg"):
        ClipImageEmbedder(tiny_clip).embed_images([broken])


def test_a_missing_model_directory_is_refused_without_touching_a_hub(tmp_path: Path) -> None:
    clip = ClipImageEmbedder(tmp_path / "no-such-model")

    with pytest.raises(ConfigError, match="RIDGELINE_CLIP_ALLOW_DOWNLOAD"):
        clip.embed_text("tent")
