"""RIDGELINE_DEVICE: auto falls back to the CPU, cuda without a GPU is a clear error.

These run on CI's CPU-only machine; the GPU side is measured by ``bench/gpu_embedder.py``.
"""

from __future__ import annotations

import pytest
import torch

from ridgeline.errors import ConfigError
from ridgeline.providers.device import resolve_device
from ridgeline.providers.embedder import SentenceTransformerEmbedder
from ridgeline.providers.embedder_registry import build_text_embedder
from ridgeline.settings import Settings

needs_no_gpu = pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")


def test_cpu_is_cpu():
    assert resolve_device("cpu") == "cpu"


@needs_no_gpu
def test_auto_takes_the_cpu_when_torch_sees_no_gpu():
    assert resolve_device("auto") == "cpu"


@needs_no_gpu
def test_cuda_without_a_gpu_says_so():
    with pytest.raises(ConfigError, match="RIDGELINE_DEVICE=cuda but torch sees no CUDA GPU"):
        resolve_device("cuda")


def test_an_unknown_device_lists_the_choices():
    with pytest.raises(ConfigError, match="auto, cpu, cuda"):
        resolve_device("tpu")


def test_batch_size_follows_the_device_unless_set():
    assert SentenceTransformerEmbedder(device="cpu").batch_size == 32
    assert SentenceTransformerEmbedder(device="cpu", batch_size=8).batch_size == 8


def test_onnx_embedders_refuse_an_explicit_gpu():
    with pytest.raises(ConfigError, match="runs on the CPU only"):
        build_text_embedder(Settings(text_embedder="minilm-onnx-int8", device="cuda"))


def test_the_setting_reaches_the_embedder(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RIDGELINE_DEVICE", "auto")
    embedder = build_text_embedder(Settings())
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.device == ("cuda" if torch.cuda.is_available() else "cpu")
