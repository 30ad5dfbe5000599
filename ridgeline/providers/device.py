"""Which torch device a local model runs on: ``RIDGELINE_DEVICE=auto|cpu|cuda``.

``auto`` picks CUDA when torch sees a GPU and the CPU otherwise; asking for ``cuda`` on a
machine without one is a configuration error, not a silent fall back to the CPU.
"""

from __future__ import annotations

from typing import Literal

from ridgeline.errors import ConfigError

DeviceName = Literal["auto", "cpu", "cuda"]

# Texts per forward pass. On the CPU a larger batch only pads more; a GPU needs large batches
# to be busy (docs/benchmarks.md, "Text embedder on a GPU").
BATCH_SIZES = {"cpu": 32, "cuda": 512}


def resolve_device(requested: str) -> str:
    """``cpu`` or ``cuda`` for a requested device name.

    >>> resolve_device("cpu")
    'cpu'
    """
    if requested == "cpu":
        return "cpu"
    if requested not in ("auto", "cuda"):
        raise ConfigError(f"unknown device {requested!r}; choose one of: auto, cpu, cuda")
    import torch  # only when a GPU may be wanted: torch is heavy to import

    if torch.cuda.is_available():
        return "cuda"
    if requested == "cuda":
        raise ConfigError(
            "RIDGELINE_DEVICE=cuda but torch sees no CUDA GPU here "
            f"(torch {torch.__version__}); use auto or cpu"
        )
    return "cpu"
