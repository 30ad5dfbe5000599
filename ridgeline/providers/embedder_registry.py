"""Name -> text embedder factory, so settings, the CLI and tests pick embedders the same way.

Usage::

    registry = default_embedder_registry(onnx_cache_dir=None)
    embedder = registry.create("minilm-onnx-int8")      # nothing loads until first use
    registry.register("mine", lambda: MyEmbedder())     # a plugin or a test adds its own
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ridgeline.errors import ConfigError
from ridgeline.protocols import TextEmbedder

EmbedderFactory = Callable[[], TextEmbedder]


class EmbedderRegistry:
    """Holds one factory per embedder name; ``create`` builds a fresh, not yet loaded embedder."""

    def __init__(self) -> None:
        self._factories: dict[str, EmbedderFactory] = {}

    def register(self, name: str, factory: EmbedderFactory) -> None:
        if name in self._factories:
            raise ConfigError(f"text embedder {name!r} is already registered")
        self._factories[name] = factory

    def names(self) -> list[str]:
        return sorted(self._factories)

    def create(self, name: str) -> TextEmbedder:
        factory = self._factories.get(name)
        if factory is None:
            known = ", ".join(self.names())
            raise ConfigError(f"unknown text_embedder {name!r}; choose one of: {known}")
        return factory()


def default_embedder_registry(*, onnx_cache_dir: Path | None = None) -> EmbedderRegistry:
    """The built-in embedders; all are the packaged all-MiniLM-L6-v2 (384-d, 256 word pieces).

    - ``minilm``: sentence-transformers on PyTorch, fp32 (the reference).
    - ``minilm-onnx``: ONNX Runtime, fused graph, fp32 (same vectors).
    - ``minilm-onnx-int8``: ONNX Runtime, fused graph, int8 weights (fastest, close vectors).
    """
    from ridgeline.providers.embedder import SentenceTransformerEmbedder
    from ridgeline.providers.onnx_embedder import OnnxEmbedder

    registry = EmbedderRegistry()
    registry.register("minilm", SentenceTransformerEmbedder)
    registry.register(
        "minilm-onnx", lambda: OnnxEmbedder(precision="fp32", cache_dir=onnx_cache_dir)
    )
    registry.register(
        "minilm-onnx-int8", lambda: OnnxEmbedder(precision="int8", cache_dir=onnx_cache_dir)
    )
    return registry
