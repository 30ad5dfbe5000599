from __future__ import annotations

import pytest

from retrieval.fusion import reciprocal_rank_fusion
from ridgeline.types import Chunk, SearchHit


def _hits(*ids: str) -> list[SearchHit]:
    return [
        SearchHit(
            chunk=Chunk(chunk_id=i, document_id="d", source="d", citation="d", content=i),
            score=0.0,
        )
        for i in ids
    ]


def test_scores_are_hand_computed_rrf_sums_with_both_ranks_kept() -> None:
    fused = reciprocal_rank_fusion(_hits("a", "b", "c"), _hits("c", "d", "a"), k=60)

    by_id = {h.chunk.chunk_id: h for h in fused}
    assert by_id["a"].score == pytest.approx(1 / 61 + 1 / 63)
    assert by_id["c"].score == pytest.approx(1 / 63 + 1 / 61)
    assert by_id["b"].score == pytest.approx(1 / 62)
    assert by_id["d"].score == pytest.approx(1 / 62)
    assert (by_id["a"].text_rank, by_id["a"].vector_rank) == (1, 3)
    assert (by_id["b"].text_rank, by_id["b"].vector_rank) == (2, None)
    assert (by_id["d"].text_rank, by_id["d"].vector_rank) == (None, 2)


def test_order_is_by_score_then_best_rank_then_id() -> None:
    fused = reciprocal_rank_fusion(_hits("a", "b", "c"), _hits("c", "d", "a"), k=60)
    assert [h.chunk.chunk_id for h in fused] == ["a", "c", "b", "d"]


def test_a_chunk_in_both_lists_beats_a_single_list_winner() -> None:
    fused = reciprocal_rank_fusion(_hits("solo", "both"), _hits("x", "both"), k=1)
    # both: 1/3 + 1/3 = 0.667 > solo: 1/2
    assert fused[0].chunk.chunk_id == "both"
    assert fused[0].score == pytest.approx(2 / 3)


def test_top_cuts_the_fused_list() -> None:
    assert len(reciprocal_rank_fusion(_hits("a", "b"), _hits("c", "d"), top=3)) == 3


def test_empty_inputs_fuse_to_empty() -> None:
    assert reciprocal_rank_fusion([], []) == []


def test_one_empty_side_keeps_the_other_order() -> None:
    fused = reciprocal_rank_fusion([], _hits("x", "y"))
    assert [(h.chunk.chunk_id, h.text_rank, h.vector_rank) for h in fused] == [
        ("x", None, 1),
        ("y", None, 2),
    ]


def test_k_below_one_is_rejected() -> None:
    with pytest.raises(ValueError, match="k"):
        reciprocal_rank_fusion([], [], k=0)


def test_an_image_ranking_adds_a_third_term_and_keeps_its_rank() -> None:
    fused = reciprocal_rank_fusion(_hits("a"), _hits("b"), image_hits=_hits("b", "a"), k=60)
    by_id = {h.chunk.chunk_id: h for h in fused}
    assert by_id["b"].score == pytest.approx(1 / 61 + 1 / 61)
    assert by_id["a"].score == pytest.approx(1 / 61 + 1 / 62)
    assert (by_id["a"].text_rank, by_id["a"].vector_rank, by_id["a"].image_rank) == (1, None, 2)
    assert [h.chunk.chunk_id for h in fused] == ["b", "a"]


def test_image_ranking_alone_is_fused_too() -> None:
    fused = reciprocal_rank_fusion([], [], image_hits=_hits("x"))
    assert [(h.chunk.chunk_id, h.image_rank, h.score) for h in fused] == [("x", 1, 1 / 61)]
