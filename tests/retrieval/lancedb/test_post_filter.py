"""Filters checked after a larger unfiltered ranking, and the masked ranking as the fallback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from retrieval.lancedb import LanceDbIndex
from retrieval.lancedb import rankings as rankings_module
from retrieval.lancedb.post_filter import FilterShares, PostFilter
from ridgeline.ranking import RankedChunk, RankingQuery
from ridgeline.types import AccessScope, SearchFilters
from tests.fakes import HashingEmbedder
from tests.retrieval.conftest import make_chunks, make_document

ALWAYS = PostFilter(min_rows=0)  # any table is "large"
NEVER = PostFilter(min_rows=10**12)  # every filtered ranking masked, as before post-filtering


def _never_asked() -> float:
    raise AssertionError("a small table's filter should not be counted")


# -- when to check after ---------------------------------------------------------------------


def test_a_small_table_masks_without_counting_the_filter() -> None:
    plan = PostFilter(min_rows=1_000)
    assert plan.fetch(field="text", top=50, rows=999, share=_never_asked, vector_max=256) is None


def test_a_large_table_asks_for_margin_over_share_times_the_rows() -> None:
    plan = PostFilter(min_rows=1_000, margin=2.0)
    fetch = plan.fetch(field="text", top=50, rows=10**6, share=lambda: 0.5, vector_max=256)
    assert fetch == 200


def test_a_vector_ranking_checks_after_only_within_its_search_list() -> None:
    plan = PostFilter(min_rows=0, margin=2.0)
    assert plan.fetch(field="vector", top=50, rows=10, share=lambda: 0.56, vector_max=256) == 179
    # A category letting one row in ten through would need 1,000 rows: masking is cheaper.
    assert plan.fetch(field="vector", top=50, rows=10, share=lambda: 0.1, vector_max=256) is None
    assert plan.fetch(field="image", top=50, rows=10, share=lambda: 0.1, vector_max=256) is None


def test_a_text_ranking_masks_beyond_its_most_rows_and_for_a_filter_nothing_passes() -> None:
    plan = PostFilter(min_rows=0, margin=2.0, text_max_fetch=1_000)
    assert plan.fetch(field="text", top=50, rows=10, share=lambda: 0.1, vector_max=256) == 1_000
    assert plan.fetch(field="text", top=51, rows=10, share=lambda: 0.1, vector_max=256) is None
    assert plan.fetch(field="text", top=50, rows=10, share=lambda: 0.0, vector_max=256) is None


def test_filter_shares_count_each_filter_once_until_they_age() -> None:
    counted: list[str | None] = []

    def count(where: str | None) -> int:
        counted.append(where)
        return 1_000 if where is None else 250

    shares = FilterShares(max_age_s=3600)
    assert shares.share("category = 'a'", count) == 0.25
    assert shares.share("category = 'a'", count) == 0.25
    assert counted == [None, "category = 'a'"]
    aged = FilterShares(max_age_s=-1.0)
    aged.share("category = 'a'", count)
    aged.share("category = 'a'", count)
    assert counted.count("category = 'a'") == 3


def test_filter_shares_keep_the_filters_used_last() -> None:
    counted: list[str | None] = []

    def count(where: str | None) -> int:
        counted.append(where)
        return 10

    shares = FilterShares(max_age_s=3600, size=2)  # the row count and one filter
    shares.share("a", count)
    shares.share("b", count)  # pushes out "a"
    shares.share("a", count)
    assert counted == [None, "a", "b", "a"]


# -- through the index ------------------------------------------------------------------------


def _index(tmp_path: Path, post_filter: PostFilter, embedder: HashingEmbedder) -> LanceDbIndex:
    """40 chunks: 30 private to bob that say "tent" twice, 10 public camping ones that say it
    once among more and more other words, so BM25 ranks every private chunk above every public
    one, and the public ones in their order. Indexed, as a large table is: lancedb scores rows
    outside its text index over the rows the filter lets through."""
    index = LanceDbIndex(tmp_path / "index", dimension=embedder.dimension, post_filter=post_filter)
    private = [("tent tent", {"category": "gear", "access_users": ("bob",)})] * 30
    public = [
        ("tent for camping trip" + " again" * n, {"category": "camp", "price": float(n)})
        for n in range(10)
    ]
    chunks = make_chunks("a.csv", [*private, *public])
    vectors = embedder.embed_documents([c.content for c in chunks])
    index.replace_document(make_document("a.csv"), chunks, vectors)
    index.optimize()
    return index


@pytest.fixture
def rounds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rankings each trip to lancedb ran (one trip per ``run_all``)."""
    seen: list[int] = []
    run_all: Callable[[dict[str, Any]], dict[str, list[dict[str, Any]]]] = rankings_module.run_all

    def counting(queries: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        if queries:
            seen.append(len(queries))
        return run_all(queries)

    monkeypatch.setattr(rankings_module, "run_all", counting)
    return seen


def _ids(ranking: list[RankedChunk]) -> list[str]:
    return [entry.chunk_id for entry in ranking]


ALICE = SearchFilters(access=AccessScope(user_id="alice"))


@pytest.mark.integration
def test_an_access_filter_checked_after_falls_back_when_the_allowed_rows_rank_low(
    tmp_path: Path, hashing_embedder: HashingEmbedder, rounds: list[int]
) -> None:
    # Alice may read the 10 public chunks (a quarter): with margin 1 the first 20 rows are
    # searched unfiltered, all bob's; none pass, so the ranking runs again masked.
    index = _index(tmp_path, PostFilter(min_rows=0, margin=1.0), hashing_embedder)
    query = RankingQuery(field="text", text="tent", top=5, filters=ALICE)
    [ranking] = index.rank([query])
    assert rounds == [1, 1]
    public = {f"a.csv-{n}" for n in range(30, 40)}
    assert len(ranking) == 5 and set(_ids(ranking)) <= public


@pytest.mark.integration
def test_rankings_checked_after_equal_the_masked_ones(
    tmp_path: Path, hashing_embedder: HashingEmbedder, rounds: list[int]
) -> None:
    after = _index(tmp_path / "after", ALWAYS, hashing_embedder)
    masked = _index(tmp_path / "masked", NEVER, hashing_embedder)
    vector = hashing_embedder.embed_query("camping trip again")  # nearer the public rows
    camp = SearchFilters(include_category="camp", max_price=6.0)
    queries = [
        RankingQuery(field="text", text="tent camping", top=5, filters=camp),
        RankingQuery(field="vector", vector=vector, top=5, filters=camp),
        RankingQuery(field="vector", vector=vector, top=3, filters=ALICE, exact_scores=True),
    ]
    # 7 and 10 of the 40 rows pass: 58 and 24 rows are ranked unfiltered (margin 2), and
    # enough of them pass, so no ranking runs twice.
    checked_after = after.rank(queries)
    assert rounds == [3]
    assert checked_after == masked.rank(queries)
    assert [len(ranking) for ranking in checked_after] == [5, 5, 3]
