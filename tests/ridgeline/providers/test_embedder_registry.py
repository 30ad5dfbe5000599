"""The embedder registry: settings names map to embedders, unknown names fail clearly."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from ridgeline.cli.wiring import build_embedder
from ridgeline.errors import ConfigError
from ridgeline.protocols import TextEmbedder
from ridgeline.providers.embedder import SentenceTransformerEmbedder
from ridgeline.providers.embedder_registry import EmbedderRegistry, default_embedder_registry
from ridgeline.providers.onnx_embedder import OnnxEmbedder
from ridgeline.settings import Settings, TextEmbedderName
from tests.fakes import HashingEmbedder


def test_every_setting_value_has_an_embedder():
    assert default_embedder_registry().names() == sorted(typing.get_args(TextEmbedderName))


def test_built_in_names_build_unloaded_embedders(tmp_path: Path):
    registry = default_embedder_registry(onnx_cache_dir=tmp_path)
    assert isinstance(registry.create("minilm"), SentenceTransformerEmbedder)
    int8 = registry.create("minilm-onnx-int8")
    assert isinstance(int8, OnnxEmbedder) and int8.precision == "int8"
    assert isinstance(int8, TextEmbedder) and int8.dimension == 384
    assert registry.create("minilm-onnx").name == "all-MiniLM-L6-v2-onnx-fp32"
    assert list(tmp_path.iterdir()) == []  # creating exports nothing


def test_unknown_name_lists_the_choices():
    with pytest.raises(ConfigError, match=r"unknown text_embedder 'bert-xl'.*minilm-onnx-int8"):
        default_embedder_registry().create("bert-xl")


def test_a_name_registers_once():
    registry = EmbedderRegistry()
    registry.register("fake", HashingEmbedder)
    assert isinstance(registry.create("fake"), HashingEmbedder)
    with pytest.raises(ConfigError, match="already registered"):
        registry.register("fake", HashingEmbedder)


def test_wiring_follows_the_setting(tmp_path: Path):
    settings = Settings(text_embedder="minilm-onnx-int8", onnx_cache_dir=tmp_path)
    embedder = build_embedder(settings)
    assert isinstance(embedder, OnnxEmbedder) and embedder.precision == "int8"
    assert isinstance(build_embedder(Settings()), SentenceTransformerEmbedder)


def test_setting_rejects_an_unknown_embedder():
    with pytest.raises(ValueError, match="text_embedder"):
        Settings(text_embedder="bert-xl")  # type: ignore[arg-type]
