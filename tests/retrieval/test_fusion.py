from __future__ import annotations

import pytest

from retrieval.fusion import fuse, reciprocal_rank
from ridgeline.ranking import RankedChunk, RankingField


def _ranking(*ids: str) -> list[RankedChunk]:
    return [
        RankedChunk(chunk_id=i, score=10.0 - n, citation=f"{i}#page=1") for n, i in enumerate(ids)
    ]


def test_scores_are_hand_computed_rrf_sums_with_both_ranks_kept() -> None:
    fused = fuse({"text": _ranking("a", "b", "c"), "vector": _ranking("c", "d", "a")}, k=60)

    by_id = {f.chunk_id: f for f in fused}
    assert by_id["a"].score == pytest.approx(1 / 61 + 1 / 63)
    assert by_id["c"].score == pytest.approx(1 / 63 + 1 / 61)
    assert by_id["b"].score == pytest.approx(1 / 62)
    assert by_id["d"].score == pytest.approx(1 / 62)
    assert by_id["a"].rank_fields() == {"text_rank": 1, "vector_rank": 3}
    assert by_id["b"].rank_fields() == {"text_rank": 2}
    assert by_id["d"].rank_fields() == {"vector_rank": 2}


def test_ties_break_by_best_single_rank_then_id() -> None:
    fused = fuse({"text": _ranking("a", "b", "c"), "vector": _ranking("c", "d", "a")}, k=60)
    assert [f.chunk_id for f in fused] == ["a", "c", "b", "d"]


def test_a_chunk_in_both_lists_beats_one_in_a_single_list() -> None:
    fused = fuse({"text": _ranking("solo", "both"), "vector": _ranking("x", "both")}, k=1)
    assert fused[0].chunk_id == "both"


def test_top_cuts_the_fused_list() -> None:
    assert len(fuse({"text": _ranking("a", "b"), "vector": _ranking("c", "d")}, top=3)) == 3


def test_empty_rankings_fuse_to_nothing() -> None:
    assert fuse({"text": [], "vector": []}) == []
    assert fuse({}) == []


def test_a_lone_ranking_keeps_its_own_scores_and_order() -> None:
    fused = fuse({"vector": _ranking("x", "y", "x")})
    assert [(f.chunk_id, f.score, f.rank_fields()) for f in fused] == [
        ("x", 10.0, {"vector_rank": 1}),
        ("y", 9.0, {"vector_rank": 2}),
    ]


def test_k_must_be_positive() -> None:
    with pytest.raises(ValueError, match="k"):
        fuse({"text": []}, k=0)


def test_the_image_ranking_is_a_third_voice() -> None:
    fused = fuse(
        {"text": _ranking("a"), "vector": _ranking("b"), "image": _ranking("b", "a")}, k=60
    )
    assert fused[0].chunk_id == "b"
    assert fused[0].rank_fields() == {"vector_rank": 1, "image_rank": 1}
    assert fused[1].rank_fields() == {"text_rank": 1, "image_rank": 2}


def test_citations_travel_with_the_fused_entries() -> None:
    fused = fuse({"text": _ranking("a"), "vector": _ranking("a")})
    assert fused[0].citation == "a#page=1"


def test_a_weight_scales_its_rankings_terms() -> None:
    fused = fuse(
        {"text": _ranking("a", "b"), "vector": _ranking("a", "b"), "image": _ranking("b", "a")},
        k=60,
        weights={"image": 3.0},
    )
    by_id = {f.chunk_id: f for f in fused}
    assert by_id["a"].score == pytest.approx(2 / 61 + 3 / 62)
    assert by_id["b"].score == pytest.approx(2 / 62 + 3 / 61)
    assert [f.chunk_id for f in fused] == ["b", "a"]


def test_weights_of_one_change_nothing_and_unnamed_rankings_weigh_one() -> None:
    rankings: dict[RankingField, list[RankedChunk]] = {
        "text": _ranking("a", "b", "c"),
        "vector": _ranking("c", "d", "a"),
    }
    plain = fuse(rankings, k=60)
    assert fuse(rankings, k=60, weights={"text": 1.0, "vector": 1.0}) == plain
    assert fuse(rankings, k=60, weights={"image": 5.0}) == plain


def test_a_heavier_text_ranking_wins_a_tie_it_would_otherwise_lose() -> None:
    rankings: dict[RankingField, list[RankedChunk]] = {
        "text": _ranking("a", "b"),
        "vector": _ranking("b", "a"),
    }
    assert fuse(rankings, k=60)[0].chunk_id == "a"  # tie: id order
    assert fuse(rankings, k=60, weights={"vector": 1.5})[0].chunk_id == "b"


@pytest.mark.parametrize("weight", [0.0, -1.0, float("nan")])
def test_a_weight_must_be_above_zero(weight: float) -> None:
    with pytest.raises(ValueError, match="image ranking"):
        fuse({"text": _ranking("a"), "image": _ranking("a")}, weights={"image": weight})


def test_a_lone_ranking_keeps_its_scores_whatever_its_weight() -> None:
    fused = fuse({"image": _ranking("x", "y")}, weights={"image": 4.0})
    assert [(f.chunk_id, f.score) for f in fused] == [("x", 10.0), ("y", 9.0)]


def test_reciprocal_rank_sums_weighted_terms_and_counts_a_repeated_key_once() -> None:
    votes = reciprocal_rank({"a": (["p", "q", "p"], 2.0), "b": (["q"], 1.0)}, k=10)
    by_key = {v.key: v for v in votes}
    assert by_key["p"].score == pytest.approx(2 / 11)
    assert by_key["q"].score == pytest.approx(2 / 12 + 1 / 11)
    assert by_key["q"].ranks == {"a": 2, "b": 1}


def test_reciprocal_rank_ties_do_not_depend_on_the_order_of_the_rankings() -> None:
    first = reciprocal_rank({1: (["b", "x"], 1.0), 2: (["a", "y"], 1.0)}, k=60)
    second = reciprocal_rank({2: (["a", "y"], 1.0), 1: (["b", "x"], 1.0)}, k=60)
    assert [v.key for v in first] == [v.key for v in second] == ["a", "b", "x", "y"]


def test_reciprocal_rank_lets_a_ranking_weigh_nothing_but_not_less() -> None:
    assert reciprocal_rank({"a": (["p"], 0.0)}, k=60)[0].score == 0.0
    with pytest.raises(ValueError, match="weight of the a ranking"):
        reciprocal_rank({"a": (["p"], -1.0)}, k=60)
