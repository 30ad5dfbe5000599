"""Configuration from ``RIDGELINE_*`` environment variables and an optional ``.env`` file.

Usage::

    settings = Settings()                       # reads the environment
    settings = Settings(index_dir=tmp_path)     # explicit values win
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from ridgeline.chunk_ids import Chunking
from ridgeline.errors import ConfigError

RetrievalMode = Literal["text", "vectors", "hybrid"]
# The settings that name a registered component (see ridgeline.plugins).
_REGISTERED = (
    "text_embedder",
    "image_embedder",
    "captioner",
    "ocr_engine",
    "index_backend",
    "chat_model",
)
IngestEngineName = Literal["local", "ray"]


class Settings(BaseSettings):
    """Every knob Ridgeline reads; components receive the values they need, never this object."""

    model_config = SettingsConfigDict(
        env_prefix="RIDGELINE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    index_dir: Path = Field(default=Path(".ridgeline/index"))

    # Splitting
    tokenizer_encoding: Literal["cl100k_base", "o200k_base"] = "cl100k_base"
    chunk_tokens: int = Field(default=200, ge=32, le=2000)
    chunk_overlap_tokens: int = Field(default=20, ge=0, le=500)
    # Overlapping chunks start at the start of a sentence (the overlap grows back to it, up to
    # half a chunk) instead of ~chunk_overlap_tokens back, often mid-sentence.
    chunk_sentence_starts: bool = False
    # PDF chunks may run on across a page break and cite the page where they start.
    chunks_cross_pdf_pages: bool = True
    # "sentence-window": index windows of a few sentences (at most window_tokens, title
    # included, no overlap) and answer with the passage around each window found, up to
    # chunk_tokens, from the window's own page (retrieval/windows.py). Chosen when the index
    # is written: an index cut the other way is refused at search. docs/retrieval.md.
    chunking: Chunking = "passage"
    window_tokens: int = Field(default=60, ge=16, le=400)

    # Ingestion limits
    max_file_bytes: int = Field(default=100 * 1024 * 1024, gt=0)
    max_image_pixels: int = Field(default=50_000_000, gt=0)
    max_pdf_pages: int = Field(default=2000, gt=0)
    # Also store a picture of each PDF page that holds a figure (citable, served by /content).
    pdf_page_images: bool = False
    # How long an upload waits for another writer of the index (a `ridgeline ingest` run, another
    # upload) before it is refused with 503; `ridgeline ingest` itself never waits.
    ingest_lock_wait_s: float = Field(default=20.0, ge=0)

    # Text embedder (docs/embedders.md): all are the packaged all-MiniLM-L6-v2, 384-d. "minilm" is
    # sentence-transformers fp32; the ONNX ones export once into onnx_cache_dir (int8: faster).
    text_embedder: str = "minilm"
    # Where the "minilm" text embedder runs: "auto" takes a CUDA GPU when torch sees one, "cuda"
    # requires one. The ONNX text embedders and the image embedders run on the CPU.
    device: Literal["auto", "cpu", "cuda"] = "cpu"
    onnx_cache_dir: Path | None = None  # default: ~/.cache/ridgeline/onnx

    # Image enrichment and image vectors (docs/ingestion.md). Captions: "offline" assembles one
    # from OCR text, colours and context; "openai"/"azure" use the chat model's endpoint.
    captioner: str = "offline"
    caption_model: str | None = None  # default: openai_model, or the Azure deployment
    # Offline, image-to-image only: "efficientnet+visual" (packaged EfficientNet-Lite0 features
    # fused with the classical descriptors), "efficientnet" (Lite0 alone), "visual" (descriptors
    # alone). Text-aligned: "clip" (a local CLIP model), "azure" (Azure AI Vision multimodal
    # embeddings). "none": no image vectors. docs/embedders.md compares them.
    image_embedder: str = "efficientnet+visual"
    # A question asked with a photo: the image ranking's weight in the fusion, against 1.0 for
    # the text rankings (fed by the photo's OCR text). Chosen on a tuning split of held-out
    # photos (docs/benchmarks.md, "Trusting the image").
    image_query_weight: float = Field(default=4.0, gt=0)
    clip_model_path: Path | None = None
    clip_allow_download: bool = False  # let a hub id in clip_model_path be downloaded
    azure_vision_endpoint: str | None = None
    azure_vision_api_key: SecretStr | None = None

    # The OCR engine for scanned pages, images and query photos ("rapidocr": offline).
    ocr_engine: str = "rapidocr"

    # Azure AI Document Intelligence (prebuilt-layout): when both are set it parses PDF, Office,
    # HTML and image files instead of the local parsers.
    docintel_endpoint: str | None = None
    docintel_key: SecretStr | None = None

    # Ingestion embeds the chunks of consecutive files together, up to this many per call.
    embed_batch_chunks: int = Field(default=256, ge=1)
    # Who schedules the per-file stages (docs/ingestion.md, "Ingesting on a Ray cluster"):
    # "local" runs them in this process; "ray" as Ray tasks and actors (the `ray` extra).
    ingest_engine: IngestEngineName = "local"
    ray_address: str | None = None  # a running Ray cluster; None: start a local one per run
    ray_embed_actors: int = Field(default=1, ge=1)  # embedding actors on CPUs (GPUs: one each)

    # Retrieval
    retrieval_mode: RetrievalMode = "hybrid"
    top_k: int = Field(default=5, ge=1, le=50)
    rrf_k: int = Field(default=20, ge=1)  # = retrieval.fusion.DEFAULT_RRF_K
    # Each text ranking's weight in the hybrid fusion (BM25 and the text vectors); a photo
    # question's image weight (image_query_weight) is set per search on top of these.
    # docs/benchmarks.md, "Fusion weights", says how they were chosen.
    fusion_text_weight: float = Field(default=1.0, gt=0)
    fusion_vector_weight: float = Field(default=1.0, gt=0)
    # BM25 also reads each chunk's title / section path (the vector leg always does). Chosen
    # when the index is written: switching it needs `LanceDbIndex.rebuild_text_index()` or a
    # new Azure index. Off: docs/benchmarks.md, "Titles and section paths in BM25".
    bm25_titles: bool = False
    # Replace query words the index does not hold by the closest word it holds (chat and eval).
    spelling_correction: bool = True
    # Multi-part questions ("what is X and how does Y work?"): searched part by part, each part
    # keeping its best page in the top sources (retrieval/multi_query.py). "rules" splits offline,
    # "llm" asks the chat model's endpoint (rules when it fails), "off" searches as asked.
    query_decomposition: Literal["off", "rules", "llm"] = "rules"
    # How old the category and brand names matched in questions may be (seconds): listing
    # them scans the index, so chat re-reads them at most this often.
    facet_cache_s: float = Field(default=30.0, ge=0)

    # Index backend: the embedded LanceDB index, or Azure AI Search (docs/azure-search.md)
    index_backend: str = "lancedb"
    azure_search_endpoint: str | None = None
    azure_search_api_key: SecretStr | None = None
    azure_search_index: str = "ridgeline"
    azure_search_semantic_ranker: bool = False
    # A CA bundle to trust (e.g. the local search service's self-signed certificate).
    azure_search_ca_bundle: Path | None = None

    # Chat model
    chat_model: str = "extractive"
    openai_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4o-mini"
    azure_openai_endpoint: str | None = None
    azure_openai_api_key: SecretStr | None = None
    azure_openai_api_version: str = "2024-10-21"
    azure_openai_deployment: str | None = None
    chat_temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    chat_timeout_s: float = Field(default=60.0, gt=0)
    # --- LLM client policy (docs/llm.md): every LLM role (answers, query rewrites, captions,
    # judge, QA generation) uses the endpoint above, chat_timeout_s per attempt, and these.
    llm_max_retries: int = Field(default=2, ge=0, le=10)  # the openai SDK's own retries
    llm_seed: int | None = None  # sent with every call when set (a request's seed wins)
    # --- end LLM client policy
    # The model accepts image parts (GPT-4o-class): source and attached images are sent to it.
    chat_vision: bool = False

    # HTTP server
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Bearer key required on every endpoint but /health (and the static chat page) when set.
    # An empty value is an error, not "no key" (docs/security.md).
    api_key: SecretStr | None = None
    # Origins allowed to call the API from a browser (CORS); empty: same origin only. A JSON
    # list or comma-separated "https://host[:port]" values.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_request_bytes: int = Field(default=8 * 1024 * 1024, gt=0)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    # Question text caps: one message, and all messages of one request (characters).
    max_message_chars: int = Field(default=16_000, gt=0)
    max_request_chars: int = Field(default=64_000, gt=0)
    # Without an API key, uploads are refused unless this is set (anyone who can reach the
    # server could then plant documents): docs/security.md.
    allow_anonymous_uploads: bool = False
    # Where chat history (SQLite) and per-user uploads live; default: beside the index.
    chat_data_dir: Path | None = None
    # A built static web frontend (such as the reference sample's) served at "/" in place of
    # the built-in page; the API keeps its paths (docs/chat-api.md).
    frontend_dir: Path | None = None

    @field_validator("api_key", mode="after")
    @classmethod
    def _key_not_blank(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            raise ValueError(
                "set but empty (that would not turn auth off): give a key, or unset the "
                "variable to serve without one"
            )
        return value

    @field_validator("window_tokens", mode="after")
    @classmethod
    def _window_below_passage(cls, value: int, info: ValidationInfo) -> int:
        # A window as long as its passage never grows: the setting would do nothing.
        passage = info.data.get("chunk_tokens")
        if info.data.get("chunking") == "sentence-window" and passage and value >= passage:
            raise ValueError(
                f"a sentence window ({value} tokens) must be shorter than the passage it "
                f"grows into (RIDGELINE_CHUNK_TOKENS={passage})"
            )
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _parse_origins(cls, value: Any) -> Any:
        return parse_origins(value) if isinstance(value, str) else value

    @field_validator("cors_origins", mode="after")
    @classmethod
    def _check_origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            check_origin(origin)
        return value

    @field_validator(*_REGISTERED)
    @classmethod
    def _registered(cls, name: str, info: ValidationInfo) -> str:
        """Component names are the registered ones (built-ins and installed plugins)."""
        from ridgeline.plugins.registry import plugin_registry  # loads the plugins once

        assert info.field_name is not None
        try:
            return plugin_registry().role_for_setting(info.field_name).check(name)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None


def parse_origins(text: str) -> list[str]:
    """``'["https://a.example"]'`` (JSON) or ``"https://a.example, https://b.example"``."""
    text = text.strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not a JSON list of origins ({exc.msg})") from None
        if not isinstance(parsed, list) or not all(isinstance(o, str) for o in parsed):
            raise ValueError("a JSON value must be a list of origin strings")
        return [o.strip() for o in parsed]
    return [part.strip() for part in text.split(",") if part.strip()]


def check_origin(origin: str) -> None:
    """An origin is ``*`` or ``scheme://host[:port]`` with nothing after it."""
    if origin == "*":
        return
    try:
        parts = urlsplit(origin)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ValueError(f"{origin!r} is not an origin ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise ValueError(
            f"{origin!r} is not an origin: use scheme://host[:port], e.g. https://intranet.example"
        )


def settings_error_line(error: ValidationError) -> str:
    """One line naming each bad ``RIDGELINE_*`` variable and why, for the CLI."""
    problems = []
    for item in error.errors():
        field = str(item["loc"][0]) if item.get("loc") else "settings"
        message = str(item.get("msg", "")).removeprefix("Value error, ")
        named = message.startswith("RIDGELINE_")  # the plugin registry names the variable
        problems.append(message if named else f"RIDGELINE_{field.upper()}: {message}")
    return "; ".join(problems)
