"""The full-text side of LanceDbIndex: text analysis, old indexes, the word list."""

from __future__ import annotations

import logging
from pathlib import Path

import lancedb
import pytest
from lancedb.index import FTS

from retrieval import schema
from retrieval.lancedb import LanceDbIndex
from tests.fakes import HashingEmbedder
from tests.retrieval.conftest import IndexWriter, make_chunks, make_document
from tests.retrieval.searching import search

pytestmark = pytest.mark.integration


def _ids(index: LanceDbIndex, text: str) -> list[str]:
    return [h.chunk.chunk_id for h in search(index, text=text, vector=None, mode="text", top=5)]


def test_inflected_and_accented_forms_find_each_other(
    index: LanceDbIndex, write: IndexWriter
) -> None:
    write("a.md", [("Pitching the tent at the café", {})])
    assert _ids(index, "tents pitched") == ["a.md-0"]
    assert _ids(index, "CAFE") == ["a.md-0"]
    assert index.text_index_is_current()


def _index_built_without_stemming(directory: Path, embedder: HashingEmbedder) -> None:
    """An index as the previous version wrote it: the same tables, an unstemmed FTS index."""
    index = LanceDbIndex(directory, dimension=embedder.dimension)
    chunks = make_chunks("a.md", [("Pitching the tent", {})])
    index.replace_document(make_document("a.md"), chunks, embedder.embed_documents(["tent"]))
    table = lancedb.connect(directory).open_table(schema.CHUNKS_TABLE)
    table.create_index(
        schema.SEARCH_TEXT_COLUMN,
        config=FTS(stem=False, remove_stop_words=False, lower_case=True, ascii_folding=False),
        replace=True,
    )


def test_an_index_built_without_stemming_still_searches_consistently_and_says_so(
    tmp_path: Path, hashing_embedder: HashingEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    _index_built_without_stemming(tmp_path / "old", hashing_embedder)
    old = LanceDbIndex(tmp_path / "old", dimension=hashing_embedder.dimension)
    with caplog.at_level(logging.WARNING):
        assert _ids(old, "tent") == ["a.md-0"]  # queries are analysed like the index
    assert "rebuild_text_index" in caplog.text
    assert not old.text_index_is_current()
    assert _ids(old, "tents") == []


def test_rebuilding_the_text_index_brings_stemming_without_re_embedding(
    tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    _index_built_without_stemming(tmp_path / "old", hashing_embedder)
    old = LanceDbIndex(tmp_path / "old", dimension=hashing_embedder.dimension)
    old.rebuild_text_index()
    assert old.text_index_is_current()
    assert _ids(old, "tents") == ["a.md-0"]


def test_the_vocabulary_counts_the_words_of_all_chunks(
    index: LanceDbIndex, write: IndexWriter
) -> None:
    write("a.md", [("Tent and stove", {}), ("Tent pegs", {})])
    vocabulary = index.vocabulary()
    assert dict(vocabulary.counts) == {"tent": 2, "and": 1, "stove": 1, "pegs": 1}
    assert index.vocabulary() is vocabulary  # cached while the table is unchanged


def _index_of_the_content_only_layout(directory: Path, embedder: HashingEmbedder) -> None:
    """An index as versions before the search_text column wrote it: BM25 over content alone."""
    index = LanceDbIndex(directory, dimension=embedder.dimension)
    chunks = [
        chunk.model_copy(update={"title": "Bag Manual > Care and Cleaning"})
        for chunk in make_chunks("bag.md", [("Air it out after each trip.", {})])
    ]
    index.replace_document(make_document("bag.md"), chunks, embedder.embed_documents(["air"]))
    table = lancedb.connect(directory).open_table(schema.CHUNKS_TABLE)
    table.create_index(schema.CONTENT_COLUMN, config=FTS(stem=True, remove_stop_words=False))
    for index_config in table.list_indices():
        if schema.SEARCH_TEXT_COLUMN in index_config.columns:
            table.drop_index(index_config.name)
    table.drop_columns([schema.SEARCH_TEXT_COLUMN])


def test_an_index_of_the_content_only_layout_gains_the_titles_without_re_embedding(
    tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    _index_of_the_content_only_layout(tmp_path / "old", hashing_embedder)
    old = LanceDbIndex(tmp_path / "old", dimension=hashing_embedder.dimension, bm25_titles=True)
    assert _ids(old, "cleaning") == ["bag.md-0"]  # a word of the section path only
    assert old.text_index_is_current()
    table = lancedb.connect(tmp_path / "old").open_table(schema.CHUNKS_TABLE)
    [text] = table.to_arrow()[schema.SEARCH_TEXT_COLUMN].to_pylist()
    assert text == "Bag Manual > Care and Cleaning\nAir it out after each trip."
    fts_columns = [i.columns for i in table.list_indices() if i.index_type == "FTS"]
    assert fts_columns == [[schema.SEARCH_TEXT_COLUMN]]  # the content-only index is gone


def test_rebuilding_the_text_index_follows_the_bm25_titles_setting(
    tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    chunks = [
        chunk.model_copy(update={"title": "Bag Manual > Care and Cleaning"})
        for chunk in make_chunks("bag.md", [("Air it out after each trip.", {})])
    ]
    plain = LanceDbIndex(tmp_path / "i", dimension=hashing_embedder.dimension)
    plain.replace_document(make_document("bag.md"), chunks, hashing_embedder.embed_documents(["a"]))
    assert _ids(plain, "cleaning") == []  # off by default: BM25 reads the content
    titled = LanceDbIndex(tmp_path / "i", dimension=hashing_embedder.dimension, bm25_titles=True)
    titled.rebuild_text_index()
    assert _ids(titled, "cleaning") == ["bag.md-0"]
