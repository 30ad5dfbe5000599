"""Contract for indexes that stage writes (``StagingIndex``): workers write new documents, the
writer commits them. Runs on every backend that offers it (LanceDB, Azure AI Search through the
SDK against the local search service); the in-memory fake does not stage, and says so.
"""

from __future__ import annotations

import multiprocessing
from typing import Any

import pytest

from retrieval.retriever import HybridRetriever
from ridgeline.protocols import SearchIndex, StagingIndex
from ridgeline.types import NewDocument
from tests.fakes import HashingEmbedder, MemoryIndex
from tests.retrieval.contract.conftest import NewIndex
from tests.retrieval.contract.corpus import document, manual_chunks

pytestmark = pytest.mark.integration
STAGING_BACKENDS = ["lancedb", "azure"]


@pytest.fixture(scope="module", params=STAGING_BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _manual(embedder: HashingEmbedder, pages: list[str]) -> NewDocument:
    chunks = manual_chunks(pages)
    return NewDocument(document("manual.pdf"), chunks, embedder.embed_documents(pages))


def _staged_in_child(index: StagingIndex, documents: list[NewDocument]) -> Any:
    """Stage in a fresh process, as a Ray actor does: only the (pickled) stager travels."""
    stager = index.stager()
    assert stager is not None
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(stager.stage, (documents,))


def _found(index: SearchIndex, embedder: HashingEmbedder, text: str) -> list[str]:
    retriever = HybridRetriever(index=index, embedder=embedder, listed_only=True)
    return [hit.chunk.citation for hit in retriever.search(text, mode="hybrid", top=5)]


def test_staged_documents_are_found_only_once_committed(
    make_index: NewIndex, embedder: HashingEmbedder
) -> None:
    index = make_index()
    assert isinstance(index, StagingIndex)
    manual = _manual(embedder, ["Stake the four corners first.", "Dry the fly before storage."])
    staged = _staged_in_child(index, [manual])
    assert index.list_documents() == [] and _found(index, embedder, "corners") == []

    assert index.commit_staged(staged) == 2
    assert [d.document_id for d in index.list_documents()] == ["manual.pdf"]
    assert index.fetch(["manual.pdf-0", "manual.pdf-1"]) == {c.chunk_id: c for c in manual.chunks}
    assert _found(index, embedder, "corners")[0] == "manual.pdf#page=1"


def test_a_commit_keeps_only_the_chunks_its_own_stage_wrote(
    make_index: NewIndex, embedder: HashingEmbedder
) -> None:
    index = make_index()
    assert isinstance(index, StagingIndex)
    # A first attempt staged three pages and was never committed (its worker's run died).
    _staged_in_child(index, [_manual(embedder, ["One corner.", "Two poles.", "Three stakes."])])
    staged = _staged_in_child(index, [_manual(embedder, ["One corner.", "Two poles."])])
    index.commit_staged(staged)
    assert index.count_chunks() == 2
    assert sorted(index.fetch(["manual.pdf-0", "manual.pdf-1", "manual.pdf-2"])) == [
        "manual.pdf-0",
        "manual.pdf-1",
    ]


def test_a_document_the_index_holds_is_refused_before_it_is_touched(
    make_index: NewIndex, embedder: HashingEmbedder
) -> None:
    index = make_index()
    assert isinstance(index, StagingIndex)
    index.commit_staged(_staged_in_child(index, [_manual(embedder, ["Stake the corners."])]))
    with pytest.raises(ValueError, match="already in the index"):  # when staged or committed
        index.commit_staged(_staged_in_child(index, [_manual(embedder, ["Raise the poles."])]))
    assert index.fetch(["manual.pdf-0"])["manual.pdf-0"].content == "Stake the corners."


def test_the_in_memory_fake_does_not_stage() -> None:
    assert not isinstance(MemoryIndex(), StagingIndex)
