"""ONNX Runtime embedder: same vectors as sentence-transformers, int8 close, cache reused.

The export (a few seconds, more on a busy machine) happens once per session in a temporary
cache folder shared by these tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ridgeline.protocols import TextEmbedder
from ridgeline.providers.onnx_embedder import OnnxEmbedder, mean_pool_normalize

SENTENCES = [
    "A man is eating a piece of bread.",
    "The four-person tent has two doors and a porch.",
    "Quarterly revenue grew by 12 percent in the northern region.",
    "word " * 400,  # longer than the model's 256 word pieces: truncated the same way
]
PARAPHRASES = [
    ("How do I reset my password?", "What are the steps to change a forgotten password?"),
    ("The cat sleeps on the sofa.", "A kitten is napping on the couch."),
    ("Interest rates rose sharply this year.", "Borrowing costs climbed steeply in 2024."),
]


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("onnx-cache")
    OnnxEmbedder(precision="int8", cache_dir=cache).model_file()  # builds fp32, then int8
    return cache


def _cosines(left: list[list[float]], right: list[list[float]]) -> np.ndarray:
    return np.sum(np.asarray(left) * np.asarray(right), axis=1)


def test_mean_pool_ignores_padding_and_normalises():
    hidden = np.array([[[1.0, 0.0], [3.0, 4.0], [100.0, 100.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]])
    pooled = mean_pool_normalize(hidden, mask)
    np.testing.assert_allclose(pooled, [[2.0 / np.sqrt(8.0), 2.0 / np.sqrt(8.0)]], rtol=1e-6)


def test_shape_is_known_without_loading(tmp_path: Path):
    embedder = OnnxEmbedder(cache_dir=tmp_path)
    assert isinstance(embedder, TextEmbedder)
    assert (embedder.dimension, embedder.max_input_tokens) == (384, 256)
    assert list(tmp_path.iterdir()) == []  # nothing exported yet


@pytest.mark.models
def test_fp32_matches_sentence_transformers(onnx_cache: Path, real_embedder: TextEmbedder):
    onnx = OnnxEmbedder(precision="fp32", cache_dir=onnx_cache)
    cosines = _cosines(onnx.embed_documents(SENTENCES), real_embedder.embed_documents(SENTENCES))
    assert cosines.min() > 0.999


@pytest.mark.models
def test_int8_is_close_to_sentence_transformers(onnx_cache: Path, real_embedder: TextEmbedder):
    onnx = OnnxEmbedder(precision="int8", cache_dir=onnx_cache)
    vectors = onnx.embed_documents(SENTENCES)
    assert _cosines(vectors, real_embedder.embed_documents(SENTENCES)).min() > 0.98
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.models
def test_int8_vector_does_not_depend_on_the_batch(onnx_cache: Path):
    onnx = OnnxEmbedder(precision="int8", cache_dir=onnx_cache)
    together = onnx.embed_documents(SENTENCES)
    alone = [onnx.embed_query(text) for text in SENTENCES]
    np.testing.assert_allclose(together, alone, atol=1e-6)


@pytest.mark.models
def test_int8_ranks_paraphrases_first(onnx_cache: Path):
    onnx = OnnxEmbedder(precision="int8", cache_dir=onnx_cache)
    queries = onnx.embed_documents([q for q, _ in PARAPHRASES])
    answers = onnx.embed_documents([a for _, a in PARAPHRASES])
    similarity = np.asarray(queries) @ np.asarray(answers).T
    assert list(similarity.argmax(axis=1)) == [0, 1, 2]


@pytest.mark.models
def test_batching_by_length_keeps_input_order(onnx_cache: Path):
    onnx = OnnxEmbedder(precision="fp32", cache_dir=onnx_cache, batch_size=2)
    together = onnx.embed_documents(SENTENCES)
    alone = [onnx.embed_query(text) for text in SENTENCES]
    assert _cosines(together, alone).min() > 0.999


@pytest.mark.models
def test_second_instance_reuses_cached_files(onnx_cache: Path):
    files = sorted(onnx_cache.rglob("model-*.onnx"))
    assert [f.name for f in files] == ["model-fp32.onnx", "model-int8.onnx"]
    before = [f.stat().st_mtime_ns for f in files]
    OnnxEmbedder(precision="int8", cache_dir=onnx_cache).embed_query("hello")
    OnnxEmbedder(precision="fp32", cache_dir=onnx_cache).embed_query("hello")
    assert [f.stat().st_mtime_ns for f in files] == before
    assert not list(onnx_cache.rglob(".export-*"))  # no leftover work folders


def test_embed_documents_of_nothing_loads_nothing(tmp_path: Path):
    assert OnnxEmbedder(cache_dir=tmp_path).embed_documents([]) == []
    assert list(tmp_path.iterdir()) == []
