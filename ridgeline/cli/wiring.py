"""Composition root: builds Ridgeline's components from Settings.

Only the CLI and the app factory import every subsystem; everything else talks through the
kernel's protocols. Components are looked up by name in the plugin registry
(:mod:`ridgeline.plugins`), so a plugin's own ones wire in the same way. Nothing here loads a
model: the components load lazily on first use.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import FastAPI

from chat.app import create_app
from chat.config import UPLOAD_SUFFIXES, AppConfig
from chat.content import ContentStore
from chat.history import HistoryStore
from chat.images import inline_image
from chat.limits import RequestLimits
from chat.models.registry import build_chat_model
from chat.query_cache import CachedQueryEmbedder
from chat.service import ChatService
from chat.uploads import PipelineUploadIngestor, UserUploads
from ingestion.engines import IngestEngine
from ingestion.enrich.factory import build_enricher, build_image_embedder, cached_ocr
from ingestion.index_lock import IndexLock
from ingestion.journal import JOURNAL_FILE, WriteJournal
from ingestion.pipeline import IngestionPipeline
from retrieval.index_repair import LanceIndexDoctor
from retrieval.multi_query import MultiQueryRetriever
from retrieval.query.decompose import Decomposer, LlmDecomposer, RuleDecomposer
from retrieval.query.facet_cache import CachedFacets
from retrieval.query.planner import QueryPlanner
from retrieval.query.spelling import VocabularySource
from retrieval.retriever import HybridRetriever
from retrieval.windows import PassageRetriever, stored_chunking
from ridgeline.cli import stages
from ridgeline.errors import ConfigError
from ridgeline.plugins.registry import plugin_registry
from ridgeline.protocols import (
    FacetIndex,
    ImageDimensionIndex,
    ImageEmbedder,
    OcrEngine,
    Retriever,
    SearchIndex,
    TextEmbedder,
)
from ridgeline.providers.llm_settings import build_llm_client
from ridgeline.providers.llm_types import LlmClient
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.settings import Settings


def build_embedder(settings: Settings) -> TextEmbedder:
    """The registered text embedder ``settings.text_embedder`` names (not loaded yet)."""
    return stages.build_text_embedder(settings)


def build_ocr(settings: Settings) -> OcrEngine:
    """The registered OCR engine ``settings.ocr_engine`` names (not loaded yet)."""
    return stages.build_ocr(settings)


def build_index(settings: Settings, index_dir: Path | None = None) -> SearchIndex:
    """The registered backend ``settings.index_backend`` names.

    The vector width is the text embedder's declared one (read from its files, no model load).
    """
    factory = plugin_registry().index_backends.factory(settings.index_backend)
    dimension = build_embedder(settings).dimension
    return factory(settings, index_dir=index_dir or settings.index_dir, dimension=dimension)


def build_pipeline(
    settings: Settings, index: SearchIndex, *, chunking_check: ChunkingCheck | None = None
) -> IngestionPipeline:
    """A pipeline writing into ``index``; ``chunking_check`` is one kept by a caller that builds
    a pipeline per upload, so the index is read once, not once per file."""
    ocr = cached_ocr(settings, build_ocr(settings))
    # Every SearchIndex stores image vectors (replace_document's image_vectors).
    image_embedder = _matching_index(build_image_embedder(settings), index, settings.index_dir)
    (chunking_check or ChunkingCheck(settings, index))()
    return IngestionPipeline(
        registry=stages.build_parser_registry(settings, ocr=ocr),
        splitter=stages.build_splitter(settings),
        embedder=build_embedder(settings),
        index=index,
        max_file_bytes=settings.max_file_bytes,
        enricher=build_enricher(settings, ocr=ocr),
        image_embedder=image_embedder,
        journal=WriteJournal(settings.index_dir / JOURNAL_FILE),
        embed_batch_chunks=settings.embed_batch_chunks,
        # One writer at a time, uploads included (each upload builds its own pipeline, and so
        # its own lock object: two uploads wait for each other too).
        lock=IndexLock(settings.index_dir, wait_s=settings.ingest_lock_wait_s),
        # Azure AI Search keys documents and chunks uniquely: only LanceDB can hold duplicates.
        doctor=LanceIndexDoctor(settings.index_dir) if settings.index_backend != "azure" else None,
        engine=build_engine(settings, image_vectors=image_embedder is not None),
    )


def build_engine(settings: Settings, *, image_vectors: bool) -> IngestEngine | None:
    """The engine ``RIDGELINE_INGEST_ENGINE`` names; None: the pipeline's own, one process."""
    if settings.ingest_engine == "local":
        return None
    from ingestion.engines.ray_engine import RayEngine

    return RayEngine(
        components=partial(stages.build_stage_components, settings, image_vectors=image_vectors),
        address=settings.ray_address,
        device=settings.device,
        embed_actors=settings.ray_embed_actors,
        embed_batch_chunks=settings.embed_batch_chunks,
    )


def _matching_index(
    embedder: ImageEmbedder | None, index: SearchIndex, directory: Path
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
        "built): ingest again into a new index directory (`ridgeline ingest --reprocess PATHS "
        "--index NEW_DIR`), or set RIDGELINE_IMAGE_EMBEDDER to the embedder the index was built "
        "with (or to none: no image vectors)"
    )


class ChunkingCheck:
    """Refuses to add chunks cut one way to an index cut the other: every search would fail.

    Reading how the index is cut lists its documents (one query on Azure), so the answer is
    kept once the index holds chunks cut the expected way: nothing can change it after, since
    every writer runs this check. An empty index is read again next time.
    """

    def __init__(self, settings: Settings, index: SearchIndex) -> None:
        self._settings = settings
        self._index = index
        self._confirmed = False

    def __call__(self) -> None:
        if self._confirmed or not self._settings.index_dir.exists():
            return  # not opened: a new index takes the settings' chunking
        stored = stored_chunking(self._index)
        if stored is not None and stored != self._settings.chunking:
            raise ConfigError(
                f"the index in {self._settings.index_dir} holds {stored} chunks but "
                f"RIDGELINE_CHUNKING is {self._settings.chunking}: ingest with "
                f"RIDGELINE_CHUNKING={stored}, or into a new index directory "
                "(`ridgeline ingest --reprocess PATHS --index NEW_DIR`)"
            )
        self._confirmed = stored is not None


def build_retriever(settings: Settings, index: SearchIndex) -> Retriever:
    """The retriever ``/chat`` uses, with its tuned settings (the Python API's search too)."""
    return PassageRetriever(
        _decomposing(settings, _hybrid_retriever(settings, index)),
        index=index,
        chunking=settings.chunking,
        tokenizer=TiktokenTokenizer(settings.tokenizer_encoding),
        passage_tokens=settings.chunk_tokens,
        window_tokens=settings.window_tokens,
    )


def _decomposing(settings: Settings, retriever: HybridRetriever) -> Retriever:
    """``retriever`` searching multi-part questions part by part (settings.query_decomposition)."""
    if settings.query_decomposition == "off":
        return retriever
    decomposer: Decomposer = RuleDecomposer()
    if settings.query_decomposition == "llm":
        if settings.chat_model not in ("openai", "azure"):
            raise ConfigError(
                "query_decomposition=llm needs an LLM chat model (chat_model openai or azure)"
            )
        decomposer = LlmDecomposer(llm=build_llm_client(settings, role="query decomposition"))
    return MultiQueryRetriever(retriever, decomposer=decomposer, rrf_k=settings.rrf_k)


def _hybrid_retriever(settings: Settings, index: SearchIndex) -> HybridRetriever:
    return HybridRetriever(
        index=index,
        embedder=CachedQueryEmbedder(build_embedder(settings)),
        rrf_k=settings.rrf_k,
        weights={"text": settings.fusion_text_weight, "vector": settings.fusion_vector_weight},
        # Measured on the Northwind QA set (docs/benchmarks.md): truth page in the top 5 goes
        # from 0.816 to 0.866 with query stop words dropped and one hit per page; 100 candidates
        # instead of 50 gained nothing as asked and cost a third of the chat throughput.
        drop_stop_words=True,
        distinct_pages=True,
        # Misspelled query words -> the closest indexed word (Northwind, one typo per question:
        # 0.821 -> 0.881, the same as asked). Only an index that lists its words supports it.
        correct_spelling=settings.spelling_correction and isinstance(index, VocabularySource),
        # Never cite chunks whose document row is missing (a write killed between its two
        # commits, until the next ingest repairs it): their /content link would 404.
        listed_only=True,
        image_embedder=_matching_index(build_image_embedder(settings), index, settings.index_dir),
        ocr=build_ocr(settings),  # reads text off query images; loads on the first one
    )


def build_chat_service(
    settings: Settings, index: SearchIndex, *, content: ContentStore | None = None
) -> ChatService:
    retriever = build_retriever(settings, index)
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
        llm=_rewrite_llm(settings),
    )
    return ChatService(
        retriever=retriever,
        model=model,
        default_top=settings.top_k,
        default_mode=settings.retrieval_mode,
        planner=planner.plan,
        content_name=content.image_url if content else inline_image,
        max_image_pixels=settings.max_image_pixels,
        image_weight=settings.image_query_weight,
    )


def _rewrite_llm(settings: Settings) -> LlmClient | None:
    """The LLM that rewrites follow-up questions: the chat model's endpoint, when it has one."""
    if settings.chat_model not in ("openai", "azure"):
        return None
    return build_llm_client(settings, role="query rewrite")  # the endpoint chat_model names


def build_chat_app(settings: Settings, index: SearchIndex) -> FastAPI:
    """The HTTP app of ``ridgeline serve``: chat, content, uploads, history, the web page."""
    data_dir = settings.chat_data_dir or settings.index_dir.parent / "chat"
    chunking_check = ChunkingCheck(settings, index)  # the whole index's, not one owner's
    uploads = UserUploads(
        root=data_dir / "uploads",
        ingestor=PipelineUploadIngestor(
            index=index,
            pipeline_for=lambda target: build_pipeline(
                settings, target, chunking_check=chunking_check
            ),
            lock=IndexLock(settings.index_dir, wait_s=settings.ingest_lock_wait_s),
        ),
        suffixes=UPLOAD_SUFFIXES,
    )
    content = ContentStore(
        documents=index.list_documents,
        assets_dir=settings.index_dir / "assets",
        may_read=uploads.may_read,
    )
    config = AppConfig(
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        cors_origins=tuple(settings.cors_origins),
        max_request_bytes=settings.max_request_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        limits=RequestLimits(
            max_message_chars=settings.max_message_chars,
            max_request_chars=settings.max_request_chars,
            max_image_pixels=settings.max_image_pixels,
        ),
        allow_anonymous_uploads=settings.allow_anonymous_uploads,
        vision=settings.chat_vision,
        frontend_dir=settings.frontend_dir,
    )
    return create_app(
        build_chat_service(settings, index, content=content),
        config=config,
        content=content,
        uploads=uploads,
        history=HistoryStore(data_dir / "history.sqlite3"),
    )
