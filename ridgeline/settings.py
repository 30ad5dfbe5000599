"""Configuration from ``RIDGELINE_*`` environment variables and an optional ``.env`` file.

Usage::

    settings = Settings()                       # reads the environment
    settings = Settings(index_dir=tmp_path)     # explicit values win
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

RetrievalMode = Literal["text", "vectors", "hybrid"]
ChatModelName = Literal["extractive", "openai", "azure"]
TextEmbedderName = Literal["minilm", "minilm-onnx", "minilm-onnx-int8"]
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
    # PDF chunks may run on across a page break and cite the page where they start.
    chunks_cross_pdf_pages: bool = True

    # Ingestion limits
    max_file_bytes: int = Field(default=100 * 1024 * 1024, gt=0)
    max_image_pixels: int = Field(default=50_000_000, gt=0)
    max_pdf_pages: int = Field(default=2000, gt=0)

    # Text embedder (docs/embedders.md): all are the packaged all-MiniLM-L6-v2, 384-d. "minilm" is
    # sentence-transformers fp32; the ONNX ones export once into onnx_cache_dir (int8: faster).
    text_embedder: TextEmbedderName = "minilm"
    # Where the "minilm" text embedder runs: "auto" takes a CUDA GPU when torch sees one, "cuda"
    # requires one. The ONNX text embedders and the image embedders run on the CPU.
    device: Literal["auto", "cpu", "cuda"] = "cpu"
    onnx_cache_dir: Path | None = None  # default: ~/.cache/ridgeline/onnx

    # Image enrichment and image vectors (docs/ingestion.md). Captions: "offline" assembles one
    # from OCR text, colours and context; "openai"/"azure" use the chat model's endpoint.
    captioner: Literal["offline", "openai", "azure"] = "offline"
    caption_model: str | None = None  # default: openai_model, or the Azure deployment
    # "visual": offline classical descriptors (image-to-image only); "clip": a local CLIP model;
    # "azure": Azure AI Vision multimodal embeddings; "none": no image vectors.
    image_embedder: Literal["visual", "clip", "azure", "none"] = "visual"
    clip_model_path: Path | None = None
    clip_allow_download: bool = False  # let a hub id in clip_model_path be downloaded
    azure_vision_endpoint: str | None = None
    azure_vision_api_key: SecretStr | None = None

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
    rrf_k: int = Field(default=60, ge=1)
    # Replace query words the index does not hold by the closest word it holds (chat and eval).
    spelling_correction: bool = True
    # How old the category and brand names matched in questions may be (seconds): listing
    # them scans the index, so chat re-reads them at most this often.
    facet_cache_s: float = Field(default=30.0, ge=0)

    # Index backend: the embedded LanceDB index, or Azure AI Search (docs/azure-search.md)
    index_backend: Literal["lancedb", "azure"] = "lancedb"
    azure_search_endpoint: str | None = None
    azure_search_api_key: SecretStr | None = None
    azure_search_index: str = "ridgeline"
    azure_search_semantic_ranker: bool = False
    # A CA bundle to trust (e.g. the local search service's self-signed certificate).
    azure_search_ca_bundle: Path | None = None

    # Chat model
    chat_model: ChatModelName = "extractive"
    openai_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4o-mini"
    azure_openai_endpoint: str | None = None
    azure_openai_api_key: SecretStr | None = None
    azure_openai_api_version: str = "2024-10-21"
    azure_openai_deployment: str | None = None
    chat_temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    chat_timeout_s: float = Field(default=60.0, gt=0)
    # The model accepts image parts (GPT-4o-class): source and attached images are sent to it.
    chat_vision: bool = False

    # HTTP server
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Bearer key required on every endpoint but /health (and the static chat page) when set.
    api_key: SecretStr | None = None
    # Origins allowed to call the API from a browser (CORS); empty: same origin only.
    cors_origins: list[str] = Field(default_factory=list)
    max_request_bytes: int = Field(default=8 * 1024 * 1024, gt=0)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    # Where chat history (SQLite) and per-user uploads live; default: beside the index.
    chat_data_dir: Path | None = None
