"""Name -> text embedder factory, so settings, the CLI and tests pick embedders the same way.

Usage::

    registry = default_embedder_registry(onnx_cache_dir=None)
    embedder = registry.create("minilm-onnx-int8")      # nothing loads until first use
    registry.register("mine", lambda: MyEmbedder())     # a plugin or a test adds its own
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ridgeline.errors import ConfigError
from ridgeline.protocols import TextEmbedder

if TYPE_CHECKING:
    from ridgeline.providers.onnx_embedder import Precision

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


def default_embedder_registry(
    *, onnx_cache_dir: Path | None = None, device: str = "cpu"
) -> EmbedderRegistry:
    """The built-in embedders; all are the packaged all-MiniLM-L6-v2 (384-d, 256 word pieces).

    - ``minilm``: sentence-transformers on PyTorch, fp32 (the reference), on ``device``.
    - ``minilm-onnx``: ONNX Runtime, fused graph, fp32 (same vectors).
    - ``minilm-onnx-int8``: ONNX Runtime, fused graph, int8 weights (fastest, close vectors).
    """
    from ridgeline.providers.embedder import SentenceTransformerEmbedder

    registry = EmbedderRegistry()
    registry.register("minilm", lambda: SentenceTransformerEmbedder(device=device))
    onnx: tuple[tuple[str, Precision], ...] = (
        ("minilm-onnx", "fp32"),
        ("minilm-onnx-int8", "int8"),
    )
    for name, precision in onnx:
        registry.register(name, _cpu_only(name, device, precision, onnx_cache_dir))
    return registry


def _cpu_only(
    name: str, device: str, precision: Precision, cache_dir: Path | None
) -> EmbedderFactory:
    from ridgeline.providers.onnx_embedder import OnnxEmbedder

    def create() -> TextEmbedder:
        # The ONNX Runtime we install is its CPU build: a GPU asked for explicitly is an error.
        if device == "cuda":
            raise ConfigError(
                f"text_embedder {name!r} runs on the CPU only; use text_embedder='minilm' "
                "with RIDGELINE_DEVICE=cuda, or RIDGELINE_DEVICE=auto/cpu"
            )
        return OnnxEmbedder(precision=precision, cache_dir=cache_dir)

    return create
