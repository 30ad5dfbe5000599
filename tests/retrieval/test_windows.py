"""Sentence windows found by the retriever come back as the passage around them."""

from __future__ import annotations

import pytest

from retrieval.retriever import HybridRetriever
from retrieval.windows import PassageRetriever
from ridgeline.chunk_ids import Chunking
from ridgeline.errors import ConfigError
from ridgeline.providers.tokenizer import TiktokenTokenizer
from tests.fakes import HashingEmbedder, MemoryIndex
from tests.retrieval.windows_corpus import PAGE_1, window_chunks, write_manual, write_windows

TOKENIZER = TiktokenTokenizer()


def passages(index: MemoryIndex, chunking: Chunking, passage_tokens: int = 200) -> PassageRetriever:
    inner = HybridRetriever(index=index, embedder=HashingEmbedder(dimension=64))
    return PassageRetriever(
        inner,
        index=index,
        chunking=chunking,
        tokenizer=TOKENIZER,
        passage_tokens=passage_tokens,
        window_tokens=10,
    )


def test_a_window_comes_back_with_its_page_around_it_and_its_own_citation() -> None:
    index = MemoryIndex()
    write_manual(index)

    (hit,) = passages(index, "sentence-window").search("clip inner", mode="text", top=1)

    # The whole of page 1, in reading order; page 2's windows are not this page's passage.
    assert hit.chunk.content == " ".join(PAGE_1)
    assert hit.chunk.citation == "m.pdf#page=1" and hit.chunk.page_number == 1
    assert hit.chunk.chunk_id == "manual:w00002"  # the window that was found
    assert hit.text_rank == 1


def test_the_passage_grows_after_then_before_within_its_budget() -> None:
    index = MemoryIndex()
    write_manual(index)
    budget = TOKENIZER.count(PAGE_1[2]) + TOKENIZER.count(PAGE_1[3])

    (hit,) = passages(index, "sentence-window", budget).search("clip inner", mode="text", top=1)

    assert hit.chunk.content == f"{PAGE_1[2]} {PAGE_1[3]}"


def test_a_heading_that_starts_a_window_keeps_its_own_line_in_the_passage() -> None:
    # The splitter cuts windows at paragraph breaks and drops the break: joined with a space,
    # "Care and Cleaning" would be read (and quoted) as the start of the sentence under it.
    index = MemoryIndex()
    page = ["Stake the corners before the wind rises.", "Care and Cleaning\nWash the fly by hand."]
    write_windows(index, window_chunks(pages=[(1, page)]))

    (hit,) = passages(index, "sentence-window").search("wash by hand", mode="text", top=1)

    assert hit.chunk.content == "Stake the corners before the wind rises.\n" + page[1]


def test_a_passage_never_grows_into_windows_with_other_readers_or_another_section() -> None:
    index = MemoryIndex()
    before, found, private, after = window_chunks(pages=[(1, PAGE_1)])
    private = private.model_copy(update={"access_users": ("hr",)})
    write_windows(index, [before.model_copy(update={"title": "Setup"}), found, private, after])

    (hit,) = passages(index, "sentence-window").search("raise poles", mode="text", top=1)

    # The window between stops the passage: it never reaches the readable one past it either.
    assert hit.chunk.chunk_id == found.chunk_id and hit.chunk.content == found.content


def test_a_passage_index_searched_as_windows_is_refused_and_so_is_the_other_way() -> None:
    passage_index, window_index = MemoryIndex(), MemoryIndex()
    write_manual(passage_index, window=False)
    write_manual(window_index)

    with pytest.raises(ConfigError, match=r"holds passage chunks .* RIDGELINE_CHUNKING=passage"):
        passages(passage_index, "sentence-window").search("clip", mode="text", top=1)
    with pytest.raises(ConfigError, match=r"holds sentence-window chunks .* is passage"):
        passages(window_index, "passage").search("clip", mode="text", top=1)
    (hit,) = passages(passage_index, "passage").search("clip", mode="text", top=1)
    assert hit.chunk.content == PAGE_1[2]  # passages come back as they are
