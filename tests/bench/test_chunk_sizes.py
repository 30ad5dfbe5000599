"""The chunk-size benchmark ingests each variant with its own cut and judges it by one figure."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bench.chunk_sizes import Variant, starts_mid_sentence, tune_criterion
from bench.tuning_split import SetScore
from ridgeline.cli.stages import build_splitter


def test_a_variant_is_written_tokens_slash_overlap_with_s_for_sentence_starts() -> None:
    assert Variant.parse("300/30") == Variant(300, 30, sentence_starts=False)
    assert Variant.parse("200/20s") == Variant(200, 20, sentence_starts=True)
    assert Variant.parse("200/20s").slug == "200-20-s"
    with pytest.raises(argparse.ArgumentTypeError):
        Variant.parse("300")


def test_the_ingest_settings_of_a_variant_cut_passages_of_its_sizes(tmp_path: Path) -> None:
    splitter = build_splitter(Variant(400, 60, sentence_starts=True).settings(tmp_path / "idx"))

    assert (splitter.chunk_tokens, splitter.overlap_tokens) == (400, 60)
    assert splitter.sentence_starts and not splitter.windows


def test_a_chunk_that_opens_on_a_lower_case_letter_starts_mid_sentence() -> None:
    assert starts_mid_sentence("and the poles go in the bag.")
    assert starts_mid_sentence("- (see page 4) for care")
    assert not starts_mid_sentence("- Dry the tent before storing it.")
    assert not starts_mid_sentence("| Model | Sleeps |")


def test_the_tune_criterion_is_the_mean_of_hit5_mrr_and_the_pairs_recalls() -> None:
    single = SetScore(hit5=0.9, mrr=0.7, recall5=0.0, recall10=0.0, multi=0)
    pairs = SetScore(hit5=1.0, mrr=1.0, recall5=0.8, recall10=0.6, multi=50)

    assert tune_criterion(single, pairs) == pytest.approx(0.75)
