"""A LangChain retriever over any Ridgeline :class:`ridgeline.protocols.Retriever`.

Needs ``langchain-core`` (the ``langchain`` extra). ``RidgelineRetriever.open`` ranks as
``/chat`` does (the retriever of :func:`ridgeline.open`, with its tuned defaults)::

    >>> retriever = RidgelineRetriever.open(".ridgeline/index", top=5)
    >>> docs = retriever.invoke("waterproof tent under $200")
    >>> docs[0].metadata["citation"]
    'products.csv#id=12'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ridgeline.errors import FeatureNotAvailableError
from ridgeline.protocols import Retriever
from ridgeline.settings import RetrievalMode, Settings
from ridgeline.types import SearchFilters, SearchHit

try:
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise FeatureNotAvailableError(
        "RidgelineRetriever needs langchain-core: pip install 'ridgeline[langchain]'"
    ) from exc


def hit_to_document(hit: SearchHit) -> Document:
    """A LangChain Document with the chunk's text and its citation, score and ranks."""
    chunk = hit.chunk
    metadata: dict[str, Any] = {
        "id": chunk.chunk_id,
        "document_id": chunk.document_id,
        "source": chunk.source,
        "citation": chunk.citation,
        "kind": chunk.kind.value,
        "score": hit.score,
        "text_rank": hit.text_rank,
        "vector_rank": hit.vector_rank,
        "image_rank": hit.image_rank,
    }
    optional = {
        "page_number": chunk.page_number,
        "title": chunk.title,
        "category": chunk.category,
        "brand": chunk.brand,
        "price": chunk.price,
    }
    metadata.update({k: v for k, v in optional.items() if v is not None})
    if chunk.images:
        metadata["images"] = [image.path for image in chunk.images]
    return Document(page_content=chunk.content, metadata=metadata, id=chunk.chunk_id)


class RidgelineRetriever(BaseRetriever):
    """LangChain's retriever interface (``invoke``, ``batch``, chains) over a Ridgeline one.

    ``filters`` apply to every query, access rules included, inside the index query.
    """

    retriever: Any  # a ridgeline.protocols.Retriever (pydantic cannot check a Protocol)
    mode: RetrievalMode = "hybrid"
    top: int = 5
    filters: SearchFilters | None = None

    @classmethod
    def open(
        cls,
        index_dir: str | Path | None = None,
        *,
        settings: Settings | None = None,
        top: int | None = None,
        filters: SearchFilters | None = None,
    ) -> RidgelineRetriever:
        """The retriever of ``ridgeline.open(index_dir, settings=settings)``."""
        import ridgeline

        rl = ridgeline.open(index_dir, settings=settings)
        return rl.langchain_retriever(top=top, filters=filters)

    def model_post_init(self, context: Any) -> None:
        if not isinstance(self.retriever, Retriever):
            raise TypeError("retriever must implement ridgeline.protocols.Retriever")
        if self.top < 1:
            raise ValueError(f"top must be at least 1, got {self.top}")

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.retriever.search(query, mode=self.mode, top=self.top, filters=self.filters)
        return [hit_to_document(hit) for hit in hits]
