"""The built-in text embedders, registered in the plugin registry's ``text_embedders`` role.

All are the packaged all-MiniLM-L6-v2 (384-d, 256 word pieces):

- ``minilm``: sentence-transformers on PyTorch, fp32 (the reference), on ``RIDGELINE_DEVICE``.
- ``minilm-onnx``: ONNX Runtime, fused graph, fp32 (same vectors).
- ``minilm-onnx-int8``: ONNX Runtime, fused graph, int8 weights (fastest, close vectors).

Usage::

    embedder = build_text_embedder(Settings(text_embedder="minilm-onnx-int8"))  # not loaded yet
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ridgeline.errors import ConfigError
from ridgeline.plugins.registry import NamedRole, TextEmbedderFactory, plugin_registry
from ridgeline.protocols import TextEmbedder

if TYPE_CHECKING:
    from ridgeline.providers.onnx_embedder import Precision
    from ridgeline.settings import Settings


def build_text_embedder(settings: Settings) -> TextEmbedder:
    """The embedder ``settings.text_embedder`` names, from the plugin registry."""
    return plugin_registry().text_embedders.factory(settings.text_embedder)(settings)


def register_text_embedders(role: NamedRole[TextEmbedderFactory]) -> None:
    role.register("minilm", _sentence_transformer)
    role.register("minilm-onnx", _onnx_fp32)
    role.register("minilm-onnx-int8", _onnx_int8)


def _sentence_transformer(settings: Settings) -> TextEmbedder:
    from ridgeline.providers.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(device=settings.device)


def _onnx_fp32(settings: Settings) -> TextEmbedder:
    return _onnx("fp32", settings)


def _onnx_int8(settings: Settings) -> TextEmbedder:
    return _onnx("int8", settings)


def _onnx(precision: Precision, settings: Settings) -> TextEmbedder:
    from ridgeline.providers.onnx_embedder import OnnxEmbedder

    # The ONNX Runtime we install is its CPU build: a GPU asked for explicitly is an error.
    if settings.device == "cuda":
        raise ConfigError(
            f"text_embedder {settings.text_embedder!r} runs on the CPU only; use "
            "text_embedder='minilm' with RIDGELINE_DEVICE=cuda, or RIDGELINE_DEVICE=auto/cpu"
        )
    return OnnxEmbedder(precision=precision, cache_dir=settings.onnx_cache_dir)
