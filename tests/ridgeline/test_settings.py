from __future__ import annotations

import pytest
from pydantic import ValidationError

from retrieval.fusion import DEFAULT_RRF_K
from ridgeline.settings import Settings


def test_the_fusion_weights_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RIDGELINE_FUSION_TEXT_WEIGHT", "1.5")
    monkeypatch.setenv("RIDGELINE_FUSION_VECTOR_WEIGHT", "0.75")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.fusion_text_weight, settings.fusion_vector_weight) == (1.5, 0.75)


@pytest.mark.parametrize("name", ["fusion_text_weight", "fusion_vector_weight"])
@pytest.mark.parametrize("weight", [0.0, -2.0])
def test_a_fusion_weight_must_be_above_zero(name: str, weight: float):
    with pytest.raises(ValidationError, match=name):
        Settings(_env_file=None, **{name: weight})  # type: ignore[arg-type]


def test_the_settings_and_the_retriever_share_one_default_rrf_k(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("RIDGELINE_RRF_K", raising=False)
    assert Settings().rrf_k == DEFAULT_RRF_K == 20


def test_sentence_windows_are_chosen_from_the_environment_and_passages_stay_the_default(
    monkeypatch: pytest.MonkeyPatch,
):
    assert Settings(_env_file=None).chunking == "passage"  # type: ignore[call-arg]
    monkeypatch.setenv("RIDGELINE_CHUNKING", "sentence-window")
    monkeypatch.setenv("RIDGELINE_WINDOW_TOKENS", "48")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.chunking, settings.window_tokens) == ("sentence-window", 48)
    monkeypatch.setenv("RIDGELINE_CHUNKING", "sentences")
    with pytest.raises(ValidationError, match="chunking"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_a_sentence_window_must_be_shorter_than_its_passage(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RIDGELINE_CHUNKING", "sentence-window")
    monkeypatch.setenv("RIDGELINE_CHUNK_TOKENS", "60")
    with pytest.raises(ValidationError, match="shorter than the passage"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("RIDGELINE_CHUNKING", "passage")  # windows unused: no complaint
    assert Settings(_env_file=None).chunk_tokens == 60  # type: ignore[call-arg]


def test_the_ingest_splitter_takes_its_sizes_and_sentence_starts_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
):
    from ridgeline.cli.stages import build_splitter

    monkeypatch.setenv("RIDGELINE_CHUNK_TOKENS", "300")
    monkeypatch.setenv("RIDGELINE_CHUNK_OVERLAP_TOKENS", "60")
    monkeypatch.setenv("RIDGELINE_CHUNK_SENTENCE_STARTS", "true")

    splitter = build_splitter(Settings(_env_file=None))  # type: ignore[call-arg]

    assert (splitter.chunk_tokens, splitter.overlap_tokens, splitter.sentence_starts) == (
        300,
        60,
        True,
    )
    monkeypatch.delenv("RIDGELINE_CHUNK_SENTENCE_STARTS")
    assert not build_splitter(Settings(_env_file=None)).sentence_starts  # type: ignore[call-arg]
