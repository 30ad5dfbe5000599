"""Composition root: builds Ridgeline's components from Settings.

Only the CLI and the app factory import every subsystem; everything else talks through the
kernel's protocols. Nothing here loads a model: the components load lazily on first use.
"""

from __future__ import annotations

from pathlib import Path

from chat.models.registry import build_chat_model
from chat.service import ChatService
from ingestion.pipeline import IngestionPipeline
from ingestion.registry import default_parser_registry
from ingestion.splitter import TokenSplitter
from retrieval.lancedb_index import LanceDbIndex
from retrieval.retriever import HybridRetriever
from ridgeline.providers.embedder import SentenceTransformerEmbedder
from ridgeline.providers.ocr import RapidOcrEngine
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.settings import Settings

# all-MiniLM-L6-v2 produces 384-d vectors; the index schema needs the size before the model loads.
EMBEDDING_DIMENSION = 384


def build_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()


def build_index(settings: Settings, index_dir: Path | None = None) -> LanceDbIndex:
    return LanceDbIndex(index_dir or settings.index_dir, dimension=EMBEDDING_DIMENSION)


def build_pipeline(settings: Settings, index: LanceDbIndex) -> IngestionPipeline:
    splitter = TokenSplitter(
        tokenizer=TiktokenTokenizer(settings.tokenizer_encoding),
        chunk_tokens=settings.chunk_tokens,
        overlap_tokens=settings.chunk_overlap_tokens,
    )
    registry = default_parser_registry(
        ocr=RapidOcrEngine(), max_image_pixels=settings.max_image_pixels
    )
    return IngestionPipeline(
        registry=registry,
        splitter=splitter,
        embedder=build_embedder(settings),
        index=index,
        max_file_bytes=settings.max_file_bytes,
    )


def build_chat_service(settings: Settings, index: LanceDbIndex) -> ChatService:
    retriever = HybridRetriever(
        index=index, embedder=build_embedder(settings), rrf_k=settings.rrf_k
    )
    return ChatService(
        retriever=retriever,
        model=build_chat_model(settings),
        default_top=settings.top_k,
        default_mode=settings.retrieval_mode,
    )
