"""Ridgeline as a library: one object that ingests, searches and answers like the service does.

Usage::

    import ridgeline

    rl = ridgeline.open(".ridgeline/index")            # settings: RIDGELINE_* and .env
    rl.ingest(["docs/", "products.csv", "kb.jsonl"])
    hits = rl.search("waterproof tent", filters={"max_price": 200})
    reply = rl.ask("What is the price of the TrailMaster X4 Tent?")
    print(reply.output_text)                           # cited: [products.csv#id=1]

The CLI (``ridgeline ingest/search/ask/serve``), the HTTP app, the benchmarks and the LangChain
retriever are built from this object, so they share ``/chat``'s retriever and its tuned defaults
(stop words dropped from BM25, one hit per page, spelling correction, the configured RRF k).
Components are built on first use and models load lazily, so ``open`` is cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ridgeline.settings import RetrievalMode, Settings
from ridgeline.types import SearchFilters, SearchHit

if TYPE_CHECKING:
    from fastapi import FastAPI

    from chat.protocol import ChatResponse
    from chat.service import ChatService
    from ingestion.pipeline import IngestionPipeline
    from ingestion.report import IngestProgress, IngestReport
    from retrieval.langchain import RidgelineRetriever
    from ridgeline.cli.wiring import ChunkingCheck
    from ridgeline.protocols import Retriever, SearchIndex

FilterInput = SearchFilters | Mapping[str, Any] | None


class Ridgeline:
    """One index and the components around it, configured by one :class:`Settings`.

    Built by :func:`ridgeline.open`; each component (index, retriever, chat service, pipeline)
    is built on first use and reused.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def index_dir(self) -> Path:
        return self.settings.index_dir

    @cached_property
    def index(self) -> SearchIndex:
        """The configured backend (``RIDGELINE_INDEX_BACKEND``), sized by the text embedder."""
        from ridgeline.cli import wiring

        return wiring.build_index(self.settings)

    @cached_property
    def retriever(self) -> Retriever:
        """The retriever ``/chat`` uses, with the same tuned settings."""
        from ridgeline.cli import wiring

        return wiring.build_retriever(self.settings, self.index)

    @cached_property
    def chat_service(self) -> ChatService:
        from ridgeline.cli import wiring

        return wiring.build_chat_service(self.settings, self.index)

    @cached_property
    def _chunking_check(self) -> ChunkingCheck:
        from ridgeline.cli import wiring

        return wiring.ChunkingCheck(self.settings, self.index)

    def pipeline(self) -> IngestionPipeline:
        """A fresh ingestion pipeline writing into :attr:`index`."""
        from ridgeline.cli import wiring

        return wiring.build_pipeline(self.settings, self.index, chunking_check=self._chunking_check)

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        dry_run: bool = False,
        prune: bool = False,
        reprocess: bool = False,
        progress: IngestProgress | None = None,
    ) -> IngestReport:
        """Parse, enrich, split, embed and index files and folders; unchanged files are skipped.

        Every registered format is read (PDF, Office, HTML, Markdown, CSV/JSON catalogs,
        ``.jsonl`` document collections, images, audio). A file that fails is reported in the
        returned report; the others are still ingested.
        """
        files = [Path(path) for path in paths]
        missing = [str(path) for path in files if not path.exists()]
        if missing:
            raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
        return self.pipeline().run(
            files, progress=progress, dry_run=dry_run, prune=prune, reprocess=reprocess
        )

    def search(
        self,
        query: str,
        *,
        filters: FilterInput = None,
        top: int | None = None,
        mode: RetrievalMode | None = None,
        image: Path | None = None,
        skip: int = 0,
    ) -> list[SearchHit]:
        """The best chunks for ``query``, ranked as ``/chat`` ranks its sources.

        ``filters``: a :class:`SearchFilters` or a mapping of its fields (``include_category``,
        ``brand``, ``min_price``, ``max_price``, ...). ``top`` and ``mode`` default to
        ``RIDGELINE_TOP_K`` and ``RIDGELINE_RETRIEVAL_MODE``.
        """
        return self.retriever.search(
            query,
            mode=mode or self.settings.retrieval_mode,
            top=top or self.settings.top_k,
            filters=as_filters(filters),
            image=image,
            skip=skip,
        )

    def ask(
        self,
        question: str,
        *,
        history: Sequence[Mapping[str, str]] = (),
        top: int | None = None,
        mode: RetrievalMode | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> ChatResponse:
        """Answer ``question`` with citations, exactly as ``POST /chat`` would.

        ``history``: earlier turns as ``{"role": ..., "content": ...}``; ``overrides``: the
        request's ``context.overrides`` (e.g. ``{"include_category": "Tents"}``).
        """
        from chat.protocol import ChatRequest

        chosen = {"retrieval_mode": mode, "top": top, **(overrides or {})}
        request = ChatRequest.model_validate(
            {
                "messages": [*history, {"role": "user", "content": question}],
                "context": {"overrides": {k: v for k, v in chosen.items() if v is not None}},
            }
        )
        return self.chat_service.chat(request)

    def http_app(self) -> FastAPI:
        """The HTTP app ``ridgeline serve`` runs: chat, content, uploads, history, the web page."""
        from ridgeline.cli import wiring

        return wiring.build_chat_app(self.settings, self.index)

    def langchain_retriever(
        self, *, top: int | None = None, filters: FilterInput = None
    ) -> RidgelineRetriever:
        """A LangChain retriever over :meth:`search` (needs the ``langchain`` extra)."""
        from retrieval.langchain import RidgelineRetriever

        return RidgelineRetriever(
            retriever=self.retriever,
            mode=self.settings.retrieval_mode,
            top=top or self.settings.top_k,
            filters=as_filters(filters),
        )


def as_filters(filters: FilterInput) -> SearchFilters | None:
    """``filters`` as SearchFilters; a mapping is validated (unknown keys are an error)."""
    if filters is None or isinstance(filters, SearchFilters):
        return filters
    unknown = sorted(set(filters) - set(SearchFilters.model_fields))
    if unknown:
        known = ", ".join(SearchFilters.model_fields)
        raise ValueError(f"unknown filter {', '.join(unknown)}; filters are: {known}")
    return SearchFilters.model_validate(dict(filters))


def open_index(
    index_dir: str | Path | None = None, *, settings: Settings | None = None
) -> Ridgeline:
    """A :class:`Ridgeline` over ``index_dir`` (default: ``settings.index_dir``).

    ``settings`` default to ``Settings()`` (``RIDGELINE_*`` variables and ``.env``).
    """
    chosen = settings or Settings()
    if index_dir is not None:
        chosen = chosen.model_copy(update={"index_dir": Path(index_dir)})
    return Ridgeline(chosen)
