"""A passage that ends inside a list is followed by the list's rest from the next chunk."""

from __future__ import annotations

from retrieval.list_tails import continue_lists, ends_in_list
from ridgeline.types import SearchHit
from tests.fakes import MemoryIndex
from tests.retrieval.list_corpus import LEAD, REST, booklet_chunks, write_booklet


def _continued(**second_fields: object) -> str:
    index = MemoryIndex()
    chunks = booklet_chunks(**second_fields)  # type: ignore[arg-type]
    write_booklet(index, chunks)
    (hit,) = continue_lists([SearchHit(chunk=chunks[0], score=1.0)], index)
    return hit.chunk.content


def test_a_lead_in_that_ends_a_passage_gets_the_items_of_the_next_chunk_once() -> None:
    # The shared words ("If it is out-of-network ...") are not repeated, and the closing
    # sentence after the last item is not part of the list.
    assert _continued() == LEAD + REST


def test_items_on_the_next_page_come_after_that_page_s_line() -> None:
    content = _continued(second_page=36, citation="b.pdf#page=36")

    assert content == LEAD + "\n[Page 36]" + REST


def test_a_list_never_continues_into_a_chunk_other_readers_hold_or_another_section() -> None:
    assert _continued(access_groups=("hr",)) == LEAD
    assert _continued(title="Pharmacy") == LEAD


def test_only_a_passage_that_ends_inside_a_list_asks_for_the_next_chunk() -> None:
    assert ends_in_list(LEAD)
    assert ends_in_list("Before you go:\n")
    assert not ends_in_list(LEAD + REST + "\nEmergency Care\nEmergency rooms are covered.")
    assert not ends_in_list("Hospital stays are covered after the deductible.")
