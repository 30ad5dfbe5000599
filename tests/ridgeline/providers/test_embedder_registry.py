"""The built-in text embedders: registered by name, built unloaded, unknown names fail clearly."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ridgeline.cli.wiring import build_embedder
from ridgeline.plugins.registry import PluginRegistry
from ridgeline.protocols import TextEmbedder
from ridgeline.providers.embedder import SentenceTransformerEmbedder, declared_dimension
from ridgeline.providers.onnx_embedder import OnnxEmbedder
from ridgeline.settings import Settings
from tests.fakes import HashingEmbedder


def test_the_built_in_names_are_registered(plugins: PluginRegistry):
    assert plugins.text_embedders.names() == ["minilm", "minilm-onnx", "minilm-onnx-int8"]


def test_built_in_names_build_unloaded_embedders(tmp_path: Path):
    int8 = build_embedder(Settings(text_embedder="minilm-onnx-int8", onnx_cache_dir=tmp_path))
    assert isinstance(int8, OnnxEmbedder) and int8.precision == "int8"
    assert isinstance(int8, TextEmbedder) and int8.dimension == 384
    fp32 = build_embedder(Settings(text_embedder="minilm-onnx", onnx_cache_dir=tmp_path))
    assert fp32.name == "all-MiniLM-L6-v2-onnx-fp32"
    assert isinstance(build_embedder(Settings()), SentenceTransformerEmbedder)
    assert list(tmp_path.iterdir()) == []  # creating exports nothing


def test_the_minilm_dimension_is_read_without_loading_the_model():
    loaded_before = "sentence_transformers" in sys.modules
    assert SentenceTransformerEmbedder().dimension == 384
    assert ("sentence_transformers" in sys.modules) == loaded_before


def test_a_projection_layer_hides_the_width(tmp_path: Path):
    (tmp_path / "modules.json").write_text(
        '[{"type": "sentence_transformers.models.Transformer", "path": ""},'
        ' {"type": "sentence_transformers.models.Pooling", "path": "1_Pooling"},'
        ' {"type": "sentence_transformers.models.Dense", "path": "2_Dense"}]'
    )
    assert declared_dimension(tmp_path) is None  # the model has to be loaded to know


def test_setting_rejects_an_unknown_embedder_and_lists_the_registered_ones():
    with pytest.raises(
        ValueError,
        match=r"RIDGELINE_TEXT_EMBEDDER: unknown text embedder "
        r"'bert-xl'; choose one of: minilm, minilm-onnx, minilm-onnx-int8",
    ):
        Settings(text_embedder="bert-xl")


def test_a_registered_embedder_is_chosen_by_the_setting(plugins: PluginRegistry):
    plugins.text_embedders.register("tiny", lambda settings: HashingEmbedder(dimension=8))
    embedder = build_embedder(Settings(text_embedder="tiny"))
    assert isinstance(embedder, HashingEmbedder) and embedder.dimension == 8
