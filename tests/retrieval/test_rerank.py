from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.rerank import CrossEncoderReranker, Reranker
from ridgeline.errors import FeatureNotAvailableError, ModelError
from ridgeline.types import Chunk, SearchHit

WORDS = ["tent", "boots", "waterproof", "light", "stove", "gas", "the", "is", "a"]


def _hits(*contents: str) -> list[SearchHit]:
    return [
        SearchHit(
            chunk=Chunk(chunk_id=f"c{n}", document_id="d", source="d", citation="d", content=text),
            score=1.0 / (n + 1),
            text_rank=n + 1,
        )
        for n, text in enumerate(contents)
    ]


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-layer BERT cross-encoder with random weights, written by the test itself."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    directory = tmp_path_factory.mktemp("tiny-cross-encoder")
    vocab = directory / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n")
    BertTokenizer(str(vocab)).save_pretrained(directory)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=5 + len(WORDS),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        num_labels=1,
    )
    BertForSequenceClassification(config).save_pretrained(directory)
    return directory


def test_missing_weights_mean_the_feature_is_not_available(tmp_path: Path) -> None:
    reranker = CrossEncoderReranker(tmp_path / "no-such-model")
    assert isinstance(reranker, Reranker)
    with pytest.raises(FeatureNotAvailableError, match="no-such-model"):
        reranker.rerank("tent", _hits("a tent"))


def test_a_directory_without_a_model_is_a_model_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="empty"):
        CrossEncoderReranker(tmp_path / "empty").rerank("tent", _hits("a tent"))


def test_no_hits_need_no_model(tmp_path: Path) -> None:
    assert CrossEncoderReranker(tmp_path / "absent").rerank("tent", []) == []


@pytest.mark.models
def test_a_local_cross_encoder_rescored_and_sorted_the_hits(tiny_cross_encoder: Path) -> None:
    reranker = CrossEncoderReranker(tiny_cross_encoder)
    hits = _hits("the tent is light", "waterproof boots", "a gas stove", "the stove")
    reranked = reranker.rerank("light tent", hits)
    assert sorted(h.chunk.chunk_id for h in reranked) == ["c0", "c1", "c2", "c3"]
    scores = [h.score for h in reranked]
    assert scores == sorted(scores, reverse=True)
    assert scores != [h.score for h in hits]  # the fusion scores were replaced
    assert reranker.rerank("light tent", hits) == reranked  # deterministic
    assert reranked[0].text_rank is not None  # the first stage's ranks are kept
