"""Contract: documents are added, replaced and deleted, and chunks read back whole."""

from __future__ import annotations

import pytest

from ridgeline.protocols import SearchIndex
from ridgeline.ranking import RankingQuery
from tests.fakes import HashingEmbedder
from tests.retrieval.contract.conftest import NewIndex
from tests.retrieval.contract.corpus import document, manual_chunks, write_corpus

pytestmark = pytest.mark.integration


def _text_ids(index: SearchIndex, text: str) -> list[str]:
    [ranking] = index.rank([RankingQuery(field="text", text=text, top=20)])
    return [entry.chunk_id for entry in ranking]


def test_an_empty_index_holds_nothing(make_index: NewIndex) -> None:
    index = make_index()
    assert isinstance(index, SearchIndex)
    assert index.count_chunks() == 0 and index.list_documents() == []
    assert index.get_document("missing.pdf") is None
    assert _text_ids(index, "tent") == []


def test_added_documents_are_listed_and_their_chunks_read_back_whole(
    make_index: NewIndex, embedder: HashingEmbedder
) -> None:
    index = make_index()
    chunks = write_corpus(index, embedder)
    assert index.count_chunks() == len(chunks)
    assert [d.document_id for d in index.list_documents()] == ["manual.pdf", "products.csv"]
    assert index.get_document("products.csv") == document("products.csv")
    fetched = index.fetch([c.chunk_id for c in chunks] + ["gone.pdf-0"])
    assert fetched == {c.chunk_id: c for c in chunks}  # every field, access lists and images
    assert index.fetch([]) == {}


def test_replacing_a_document_swaps_its_chunks_and_record(
    index: SearchIndex, embedder: HashingEmbedder
) -> None:
    pages = manual_chunks(["Packing the tent: roll the fly around the poles."])
    index.replace_document(
        document("manual.pdf", content_hash="h2"),
        pages,
        embedder.embed_documents([c.content for c in pages]),
    )
    assert index.count_chunks() == 7
    assert index.get_document("manual.pdf") == document("manual.pdf", content_hash="h2")
    assert _text_ids(index, "storage") == []  # the old page two is gone
    assert _text_ids(index, "roll") == ["manual.pdf-0"]
    assert index.fetch(["manual.pdf-1"]) == {}


def test_deleting_a_document_removes_its_chunks_and_record(index: SearchIndex) -> None:
    index.delete_document("products.csv")
    assert index.count_chunks() == 2
    assert [d.document_id for d in index.list_documents()] == ["manual.pdf"]
    assert index.get_document("products.csv") is None
    assert _text_ids(index, "waterproof") == ["manual.pdf-1"]


def test_a_bad_write_is_refused_and_changes_nothing(index: SearchIndex) -> None:
    pages = manual_chunks(["one", "two"])
    with pytest.raises(ValueError, match="2 chunks but 1 vectors"):
        index.replace_document(document("manual.pdf"), pages, [[0.0] * 64])
    assert index.count_chunks() == 8
