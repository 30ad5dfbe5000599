"""A chunk's place: its page where it has one, else its section, else its citation."""

from __future__ import annotations

from ridgeline.places import place_of
from ridgeline.ranking import RankedChunk
from ridgeline.types import Chunk


def test_sections_of_a_file_without_pages_are_different_places() -> None:
    care = place_of("bag.md", page_number=None, title="Bag > Care and Cleaning")
    storage = place_of("bag.md", page_number=None, title="Bag > Storage")
    assert care != storage
    assert care == place_of("bag.md", page_number=None, title="Bag > Care and Cleaning")


def test_a_page_is_one_place_whatever_its_chunks_titles() -> None:
    assert place_of("guide.pdf#page=2", page_number=2, title="Guide") == "guide.pdf#page=2"
    assert place_of("guide.pdf#page=2", page_number=2, title="Other heading") == "guide.pdf#page=2"


def test_a_file_without_headings_is_one_place() -> None:
    assert place_of("notes.txt", page_number=None, title=None) == "notes.txt"
    assert place_of("notes.txt", page_number=None, title="") == "notes.txt"


def test_a_ranked_chunk_and_its_record_agree_on_the_place() -> None:
    chunk = Chunk(
        chunk_id="bag.md:00002",
        document_id="bag.md",
        source="bag.md",
        citation="bag.md",
        content="Store the bag loose.",
        title="Bag > Storage",
    )
    ranked = RankedChunk(chunk.chunk_id, 1.0, chunk.citation, title=chunk.title)
    assert ranked.place == chunk.place != "bag.md"
    assert RankedChunk("old", 1.0, "bag.md").place == "bag.md"  # a backend that reads no title
