"""Composition root: builds Ridgeline's components from Settings.

Only the CLI and the app factory import every subsystem; everything else talks through the
kernel's protocols. Nothing here loads a model: the components load lazily on first use.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from fastapi import FastAPI

from chat.app import create_app
from chat.config import UPLOAD_SUFFIXES, AppConfig
from chat.content import ContentStore
from chat.history import HistoryStore
from chat.models.registry import build_chat_model
from chat.query_cache import CachedQueryEmbedder
from chat.service import ChatService
from chat.uploads import PipelineUploadIngestor, UserUploads
from ingestion.enrich.factory import build_enricher, build_image_embedder, cached_ocr
from ingestion.journal import JOURNAL_FILE, WriteJournal
from ingestion.parsers import DocumentIntelligenceParser
from ingestion.pipeline import IngestionPipeline
from ingestion.registry import default_parser_registry
from ingestion.splitter import TokenSplitter
from retrieval.lancedb import LanceDbIndex
from retrieval.query.facet_cache import CachedFacets
from retrieval.query.planner import QueryPlanner
from retrieval.query.spelling import VocabularySource
from retrieval.retriever import HybridRetriever
from ridgeline.errors import ConfigError
from ridgeline.protocols import FacetIndex, ImageDimensionIndex, ImageEmbedder, TextEmbedder
from ridgeline.providers.embedder_registry import default_embedder_registry
from ridgeline.providers.ocr import RapidOcrEngine
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.settings import Settings

# all-MiniLM-L6-v2 produces 384-d vectors; the index schema needs the size before the model loads.
EMBEDDING_DIMENSION = 384


def build_embedder(settings: Settings) -> TextEmbedder:
    registry = default_embedder_registry(onnx_cache_dir=settings.onnx_cache_dir)
    return registry.create(settings.text_embedder)


def build_index(settings: Settings, index_dir: Path | None = None) -> LanceDbIndex:
    if settings.index_backend == "azure":
        # Imported here: the Azure SDK is only needed when this backend is chosen.
        from retrieval.azure.from_settings import azure_index_from_settings

        return azure_index_from_settings(settings, dimension=EMBEDDING_DIMENSION)  # type: ignore[return-value]
    return LanceDbIndex(index_dir or settings.index_dir, dimension=EMBEDDING_DIMENSION)


def build_document_intelligence(settings: Settings) -> DocumentIntelligenceParser | None:
    """The Document Intelligence parser when its endpoint and key are both configured."""
    if not settings.docintel_endpoint or settings.docintel_key is None:
        return None
    return DocumentIntelligenceParser(
        endpoint=settings.docintel_endpoint,
        key=settings.docintel_key.get_secret_value(),
        assets_dir=settings.index_dir / "assets",
        max_pages=settings.max_pdf_pages,
    )


def build_pipeline(settings: Settings, index: LanceDbIndex) -> IngestionPipeline:
    splitter = TokenSplitter(
        tokenizer=TiktokenTokenizer(settings.tokenizer_encoding),
        chunk_tokens=settings.chunk_tokens,
        overlap_tokens=settings.chunk_overlap_tokens,
        flow_across_pages=settings.chunks_cross_pdf_pages,
    )
    ocr = cached_ocr(settings, RapidOcrEngine())
    registry = default_parser_registry(
        ocr=ocr,
        max_image_pixels=settings.max_image_pixels,
        assets_dir=settings.index_dir / "assets",
        max_pdf_pages=settings.max_pdf_pages,
        document_intelligence=build_document_intelligence(settings),
    )
    return IngestionPipeline(
        registry=registry,
        splitter=splitter,
        embedder=build_embedder(settings),
        index=index,
        max_file_bytes=settings.max_file_bytes,
        enricher=build_enricher(settings, ocr=ocr),
        image_embedder=_image_embedder_for(settings, index),
        journal=WriteJournal(settings.index_dir / JOURNAL_FILE),
        embed_batch_chunks=settings.embed_batch_chunks,
    )


def _image_embedder_for(settings: Settings, index: object) -> ImageEmbedder | None:
    # Image vectors need an index that stores them (its replace_document takes image_vectors).
    replace = getattr(index, "replace_document", None)
    if replace is None or "image_vectors" not in inspect.signature(replace).parameters:
        return None
    return _matching_index(build_image_embedder(settings), index, settings.index_dir)


def _matching_index(
    embedder: ImageEmbedder | None, index: object, directory: Path
) -> ImageEmbedder | None:
    """``embedder``, after checking that the index's image vectors have its width.

    A missing index directory is not opened (that would create it, and ``--dry-run`` changes
    nothing): a new index adopts the embedder's width.
    """
    if embedder is None or not directory.exists():
        return embedder
    stored = index.image_dimension if isinstance(index, ImageDimensionIndex) else None
    if stored is None or stored == embedder.dimension:
        return embedder
    raise ConfigError(
        f"the index in {directory} holds {stored}-d image vectors but the image embedder "
        f"{embedder.name} makes {embedder.dimension}-d ones (it changed since the index was "
        "built): ingest again into a new index directory, or set RIDGELINE_IMAGE_EMBEDDER to "
        "the embedder the index was built with (or to none: no image vectors)"
    )


def build_chat_service(
    settings: Settings, index: LanceDbIndex, *, content: ContentStore | None = None
) -> ChatService:
    retriever = HybridRetriever(
        index=index,
        embedder=CachedQueryEmbedder(build_embedder(settings)),
        rrf_k=settings.rrf_k,
        # Measured on the Northwind QA set (docs/benchmarks.md): truth page in the top 5 goes
        # from 0.816 to 0.866 with query stop words dropped and one hit per page; 100 candidates
        # instead of 50 gained nothing as asked and cost a third of the chat throughput.
        drop_stop_words=True,
        distinct_pages=True,
        # Misspelled query words -> the closest indexed word (Northwind, one typo per question:
        # 0.821 -> 0.881, the same as asked). Only an index that lists its words supports it.
        correct_spelling=settings.spelling_correction and isinstance(index, VocabularySource),
        image_embedder=_matching_index(build_image_embedder(settings), index, settings.index_dir),
        ocr=RapidOcrEngine(),  # reads text off query images; loads on the first one
    )
    model = build_chat_model(settings)
    # A category or brand named in the question narrows the catalog rows but keeps documents
    # without one (keep_unlabelled), so "what is the warranty on the X tent?" still finds
    # the tent's manual.
    # Both built-in backends count facets; a backend that cannot plans without them.
    facets = (
        CachedFacets(index, max_age_s=settings.facet_cache_s)
        if isinstance(index, FacetIndex)
        else None
    )
    planner = QueryPlanner(
        facets=facets,
        chat_model=model if settings.chat_model != "extractive" else None,
    )
    return ChatService(
        retriever=retriever,
        model=model,
        default_top=settings.top_k,
        default_mode=settings.retrieval_mode,
        planner=planner.plan,
        content_name=content.content_name if content else str,
    )


def build_chat_app(settings: Settings, index: LanceDbIndex) -> FastAPI:
    """The HTTP app of ``ridgeline serve``: chat, content, uploads, history, the web page."""
    data_dir = settings.chat_data_dir or settings.index_dir.parent / "chat"
    uploads = UserUploads(
        root=data_dir / "uploads",
        ingestor=PipelineUploadIngestor(
            index=index, pipeline_for=lambda target: build_pipeline(settings, target)
        ),
        suffixes=UPLOAD_SUFFIXES,
    )
    content = ContentStore(
        documents=index.list_documents,
        assets_dir=getattr(settings, "assets_dir", None) or settings.index_dir / "assets",
        may_read=uploads.may_read,
    )
    config = AppConfig(
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        cors_origins=tuple(settings.cors_origins),
        max_request_bytes=settings.max_request_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        vision=settings.chat_vision,
    )
    return create_app(
        build_chat_service(settings, index, content=content),
        config=config,
        content=content,
        uploads=uploads,
        history=HistoryStore(data_dir / "history.sqlite3"),
    )
