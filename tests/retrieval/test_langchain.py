"""RidgelineRetriever: LangChain's retriever interface over a Ridgeline retriever (a real
HybridRetriever over a LanceDB index on disk)."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from retrieval.lancedb import LanceDbIndex
from retrieval.langchain import RidgelineRetriever
from retrieval.retriever import HybridRetriever
from ridgeline.types import Chunk, SearchFilters
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.integration


@pytest.fixture
def retriever(index: LanceDbIndex, catalog: list[Chunk], hashing_embedder: HashingEmbedder):  # type: ignore[no-untyped-def]
    return HybridRetriever(index=index, embedder=hashing_embedder)


def test_invoke_returns_documents_with_citations(retriever: HybridRetriever) -> None:
    docs = RidgelineRetriever(retriever=retriever, mode="text", top=2).invoke("wool socks")
    assert isinstance(docs[0], Document)
    assert docs[0].page_content == "Wool running socks"
    assert docs[0].metadata["citation"] == "products.csv#page=4"
    assert docs[0].metadata["score"] > 0
    assert docs[0].metadata["text_rank"] == 1
    assert docs[0].metadata["images"] == ["img/socks.png"]
    assert len(docs) <= 2


def test_filters_apply_to_every_query(retriever: HybridRetriever) -> None:
    langchain = RidgelineRetriever(
        retriever=retriever, mode="hybrid", top=5, filters=SearchFilters(include_category="shoes")
    )
    docs = langchain.invoke("running")
    assert {d.metadata["category"] for d in docs} == {"shoes"}


def test_anything_but_a_ridgeline_retriever_is_refused() -> None:
    with pytest.raises(TypeError):
        RidgelineRetriever(retriever=object())
