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

    # Ingestion limits
    max_file_bytes: int = Field(default=100 * 1024 * 1024, gt=0)
    max_image_pixels: int = Field(default=50_000_000, gt=0)

    # Retrieval
    retrieval_mode: RetrievalMode = "hybrid"
    top_k: int = Field(default=5, ge=1, le=50)
    rrf_k: int = Field(default=60, ge=1)

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

    # HTTP server
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
