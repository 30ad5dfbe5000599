import math

import pytest

from eval.retrieval_metrics import hit_at_k, ndcg_at_k, recall_at_k, reciprocal_rank

GOLD = ["a.pdf#page=1", "b.pdf#page=2"]
RANKED = [
    "x.pdf#page=9",
    "a.pdf#page=1(figure1_1.png)",
    "a.pdf#page=1",
    "y.pdf#page=3",
    "b.pdf#page=2",
]
# distinct pages in order: x9, a1, y3, b2 -> gold at ranks 2 and 4


def test_hit_at_k_by_hand():
    assert hit_at_k(GOLD, RANKED, k=1) == 0.0
    assert hit_at_k(GOLD, RANKED, k=2) == 1.0


def test_recall_at_k_counts_each_page_once():
    assert recall_at_k(GOLD, RANKED, k=3) == 0.5
    assert recall_at_k(GOLD, RANKED, k=4) == 1.0


def test_reciprocal_rank_by_hand():
    assert reciprocal_rank(GOLD, RANKED) == 0.5
    assert reciprocal_rank(GOLD, ["z.pdf#page=1"]) == 0.0


def test_ndcg_at_k_by_hand():
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    ideal = 1 + 1 / math.log2(3)
    assert ndcg_at_k(GOLD, RANKED, k=4) == pytest.approx(dcg / ideal)
    assert ndcg_at_k(GOLD, RANKED, k=2) == pytest.approx((1 / math.log2(3)) / ideal)
    assert ndcg_at_k(["a.pdf#page=1"], ["a.pdf#page=1"], k=5) == 1.0


def test_ids_compare_exactly_and_no_gold_means_not_applicable():
    assert hit_at_k(["chunk-7"], ["chunk-1", "chunk-7"], k=2) == 1.0
    assert recall_at_k([], RANKED, k=5) is None
    assert ndcg_at_k([], RANKED, k=5) is None
    assert reciprocal_rank([], RANKED) is None


def test_k_must_be_positive():
    with pytest.raises(ValueError, match="k must be at least 1"):
        hit_at_k(GOLD, RANKED, k=0)
