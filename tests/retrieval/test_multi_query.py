from __future__ import annotations

from collections.abc import Sequence

import pytest

from retrieval.fusion import DEFAULT_RRF_K as K
from retrieval.fusion import fuse
from retrieval.lancedb import LanceDbIndex
from retrieval.multi_query import MultiQueryRetriever, cover, fuse_by_place
from retrieval.retriever import HybridRetriever
from ridgeline.protocols import Retriever
from ridgeline.ranking import RankedChunk
from ridgeline.types import Chunk, SearchHit
from tests.fakes import HashingEmbedder
from tests.retrieval.conftest import IndexWriter

pytestmark = pytest.mark.integration

QUESTION = "What is balance billing and how do members appeal a denied claim?"


@pytest.fixture
def pages(write: IndexWriter) -> list[Chunk]:
    """Balance billing and claims are all over the handbook; appeals live on one page."""
    billing = (
        "Balance billing is when a provider bills members the balance of a claim; such a "
        "claim can mean balance billing for members."
    )
    return write(
        "handbook.pdf",
        [
            (billing, {}),
            (f"More on balance billing. {billing}", {}),
            (f"Balance billing examples. {billing}", {}),
            (
                "To appeal a denied decision, write to the office within 180 days and attach your "
                "records, the letter you received and any notes from your doctor.",
                {},
            ),
            ("Dental cleanings are covered twice a year.", {}),
        ],
    )


@pytest.fixture
def base(index: LanceDbIndex, hashing_embedder: HashingEmbedder) -> HybridRetriever:
    return HybridRetriever(index=index, embedder=hashing_embedder, candidates=10)


def _citations(hits: Sequence[SearchHit]) -> list[str]:
    return [h.chunk.citation for h in hits]


def test_is_a_retriever(base: HybridRetriever) -> None:
    assert isinstance(MultiQueryRetriever(base), Retriever)


def test_every_part_has_its_page_in_the_top_sources(
    base: HybridRetriever, pages: list[Chunk]
) -> None:
    appeals = pages[3].citation
    assert appeals not in _citations(base.search(QUESTION, mode="text", top=2))
    hits = MultiQueryRetriever(base).search(QUESTION, mode="text", top=2)
    assert appeals in _citations(hits)
    assert any("balance billing" in h.chunk.content.lower() for h in hits)


def test_pages_are_not_repeated(base: HybridRetriever, pages: list[Chunk]) -> None:
    citations = _citations(MultiQueryRetriever(base).search(QUESTION, mode="hybrid", top=5))
    assert len(citations) == len(set(citations))


def test_a_one_part_question_is_searched_as_it_is(
    base: HybridRetriever, pages: list[Chunk]
) -> None:
    question = "How do members appeal a denied claim?"
    multi = MultiQueryRetriever(base).search(question, mode="hybrid", top=3)
    assert _citations(multi) == _citations(base.search(question, mode="hybrid", top=3))


def test_skip_pages_through_the_fused_list(base: HybridRetriever, pages: list[Chunk]) -> None:
    retriever = MultiQueryRetriever(base, cover_parts=False)
    every = _citations(retriever.search(QUESTION, mode="text", top=4))
    assert _citations(retriever.search(QUESTION, mode="text", top=2, skip=2)) == every[2:4]


def test_cover_moves_the_missing_into_the_last_places(pages: list[Chunk]) -> None:
    hits = [SearchHit(chunk=c, score=1.0) for c in pages]
    covered = cover(hits, [[hits[4]]], head=3)
    assert _citations(covered) == _citations([hits[0], hits[1], hits[4], hits[2], hits[3]])


def test_a_negative_weight_is_refused(base: HybridRetriever) -> None:
    with pytest.raises(ValueError, match="whole_weight"):
        MultiQueryRetriever(base, whole_weight=-1)


def test_the_parts_searched_are_those_of_the_decomposer(base: HybridRetriever) -> None:
    retriever = MultiQueryRetriever(base)
    assert retriever.parts(QUESTION) == [
        "What is balance billing",
        "how do members appeal a denied claim?",
    ]


def test_fusion_weights_reach_the_retriever_for_whole_questions_and_parts() -> None:
    from tests.chat.fakes import FakeRetriever

    recorder = FakeRetriever(hits=[])
    multi = MultiQueryRetriever(recorder)
    multi.search("Which tent is this?", mode="hybrid", top=3, weights={"image": 4.0})
    multi.search(QUESTION, mode="hybrid", top=3, weights={"text": 2.0})
    weights = [call.weights for call in recorder.calls]
    assert weights[0] == {"image": 4.0}
    assert len(weights) >= 3 and all(w == {"text": 2.0} for w in weights[1:])


def test_pages_are_fused_exactly_as_the_retriever_fuses_its_rankings() -> None:
    """One RRF: the parts of a question are fused with the same scores and tie-breaks as the
    legs of a hybrid search (here one chunk per page, so chunk and page orders must agree)."""
    text, vector = ["b", "x", "b", "c"], ["a", "y", "c"]  # b and a tie; b repeats
    weights = {"text": 1.5, "vector": 1.5}

    def chunks(ids: list[str]) -> list[RankedChunk]:
        return [RankedChunk(chunk_id=i, score=1.0, citation=f"{i}.pdf#page=1") for i in ids]

    def hits(ids: list[str]) -> list[SearchHit]:
        return [SearchHit(chunk=_chunk(i), score=1.0) for i in ids]

    fused = fuse({"text": chunks(text), "vector": chunks(vector)}, k=K, weights=weights)
    by_page = fuse_by_place([hits(text), hits(vector)], [weights["text"], weights["vector"]])
    assert [h.chunk.citation for h in by_page] == [f.citation for f in fused]
    assert [h.score for h in by_page] == pytest.approx([f.score for f in fused])


def _chunk(name: str) -> Chunk:
    return Chunk(
        chunk_id=name,
        document_id=name,
        source=f"{name}.pdf",
        citation=f"{name}.pdf#page=1",
        content=name,
    )


@pytest.mark.parametrize(("rrf_k", "first"), [(1, "p"), (60, "q")])
def test_the_whole_question_and_its_parts_are_fused_with_the_rrf_k_given(
    rrf_k: int, first: str
) -> None:
    """p is first for the whole question (weight 1.5), q fourth for each part: a small k
    favours the top place, a large one the page found twice."""
    from tests.chat.fakes import FakeRetriever

    rankings = {QUESTION: "pabc", "What is balance billing": "defq"}

    class PerPart(FakeRetriever):
        def search(self, text: str, **options: object) -> list[SearchHit]:  # type: ignore[override]
            return [SearchHit(chunk=_chunk(i), score=1.0) for i in rankings.get(text, "ghiq")]

    multi = MultiQueryRetriever(PerPart(hits=[]), rrf_k=rrf_k, whole_weight=1.5, cover_parts=False)
    hits = multi.search(QUESTION, mode="hybrid", top=2)
    assert multi.rrf_k == rrf_k
    assert hits[0].chunk.chunk_id == first


def _section(chunk_id: str, title: str) -> SearchHit:
    chunk = Chunk(
        chunk_id=chunk_id,
        document_id="bag.md",
        source="bag.md",
        citation="bag.md",
        content=chunk_id,
        title=title,
    )
    return SearchHit(chunk=chunk, score=1.0)


def test_sections_of_a_manual_are_fused_and_covered_as_places() -> None:
    """A file without pages has one citation; its sections are still separate places, and
    the chunks of one section are one place."""
    care, care_again = _section("care-1", "Bag > Care"), _section("care-2", "Bag > Care")
    storage, warranty = _section("storage", "Bag > Storage"), _section("warranty", "Bag > Warranty")
    fused = fuse_by_place([[care, care_again, storage], [storage, warranty]], [1.0, 1.0])
    assert [h.chunk.chunk_id for h in fused] == ["storage", "care-1", "warranty"]
    covered = cover(fused, [[warranty]], head=2)
    assert [h.chunk.chunk_id for h in covered] == ["storage", "warranty", "care-1"]
