"""ListedDocuments: hits of unlisted documents are dropped, with few reads of the list."""

from __future__ import annotations

from retrieval.listed_documents import ListedDocuments
from ridgeline.types import SearchHit, SourceDocument
from tests.ingestion.fakes import InMemoryIndex
from tests.retrieval.conftest import make_chunks, make_document


class CountingIndex(InMemoryIndex):
    def __init__(self) -> None:
        super().__init__()
        self.listings = 0

    def list_documents(self) -> list[SourceDocument]:
        self.listings += 1
        return super().list_documents()


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _hits(*document_ids: str) -> list[SearchHit]:
    return [SearchHit(chunk=make_chunks(d, [("words", {})])[0], score=1.0) for d in document_ids]


def _listed(index: CountingIndex, clock: Clock) -> ListedDocuments:
    return ListedDocuments(index, refresh_s=1.0, max_age_s=60.0, clock=clock)


def test_hits_of_documents_without_a_row_are_dropped_in_order() -> None:
    index = CountingIndex()
    for document_id in ("a", "c"):
        index.replace_document(make_document(document_id), [], [])
    listed = _listed(index, Clock())

    kept = listed.keep(_hits("c", "b", "a"))

    assert [hit.chunk.document_id for hit in kept] == ["c", "a"]


def test_known_documents_cost_no_read_and_a_new_one_shows_at_once() -> None:
    index, clock = CountingIndex(), Clock()
    index.replace_document(make_document("a"), [], [])
    listed = _listed(index, clock)
    listed.keep(_hits("a"))
    listed.keep(_hits("a"))
    assert index.listings == 1

    index.replace_document(make_document("b"), [], [])  # an upload, a moment later
    clock.now += 0.1
    assert [h.chunk.document_id for h in listed.keep(_hits("a", "b"))] == ["a", "b"]
    assert index.listings == 2


def test_chunks_without_a_row_cost_one_read_per_refresh_s() -> None:
    index, clock = CountingIndex(), Clock()
    index.replace_document(make_document("a"), [], [])
    listed = _listed(index, clock)
    for _ in range(5):  # "torn" has chunks but no document row
        assert [h.chunk.document_id for h in listed.keep(_hits("a", "torn"))] == ["a"]
        clock.now += 0.1
    assert index.listings == 1

    index.replace_document(make_document("torn"), [], [])  # the next run repaired it
    clock.now += 1.0
    assert [h.chunk.document_id for h in listed.keep(_hits("a", "torn"))] == ["a", "torn"]
    assert index.listings == 2


def test_the_list_is_read_again_when_older_than_max_age() -> None:
    index, clock = CountingIndex(), Clock()
    index.replace_document(make_document("a"), [], [])
    listed = _listed(index, clock)
    listed.keep(_hits("a"))
    index.delete_document("a")

    clock.now += 61
    assert listed.keep(_hits("a")) == []
    assert index.listings == 2
