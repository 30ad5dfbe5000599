"""Ridgeline's own components, registered exactly as a third-party plugin registers its own.

``pyproject.toml`` names :func:`register` as the ``builtin`` entry point of the
``ridgeline.plugins`` group. Each role's built-ins are registered by the package that implements
them (the parsers by ``ingestion``, the chat models by ``chat``), so this module only says which
packages contribute; model weights and SDK clients still load on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ridgeline.plugins.registry import PluginRegistry
from ridgeline.protocols import OcrEngine, SearchIndex

if TYPE_CHECKING:
    from ridgeline.settings import Settings


def register(registry: PluginRegistry) -> None:
    """Add every built-in parser, embedder, captioner, OCR engine, backend and chat model."""
    from chat.models.registry import register_chat_models
    from ingestion.enrich.factory import register_captioners, register_image_embedders
    from ingestion.registry import register_builtin_parsers
    from ridgeline.providers.embedder_registry import register_text_embedders

    register_builtin_parsers(registry.parsers)
    register_text_embedders(registry.text_embedders)
    register_image_embedders(registry.image_embedders)
    register_captioners(registry.captioners)
    registry.ocr_engines.register("rapidocr", _rapidocr)
    registry.index_backends.register("lancedb", _lancedb)
    registry.index_backends.register("azure", _azure_search)
    register_chat_models(registry.chat_models)


def _rapidocr(settings: Settings) -> OcrEngine:
    from ridgeline.providers.ocr import RapidOcrEngine

    return RapidOcrEngine()


def _lancedb(settings: Settings, *, index_dir: Path, dimension: int) -> SearchIndex:
    # Imported on use: LanceDB and Arrow take seconds to import.
    from retrieval.lancedb import LanceDbIndex

    return LanceDbIndex(index_dir, dimension=dimension, bm25_titles=settings.bm25_titles)


def _azure_search(settings: Settings, *, index_dir: Path, dimension: int) -> SearchIndex:
    # The Azure SDK is only needed when this backend is chosen.
    from retrieval.azure.from_settings import azure_index_from_settings

    return azure_index_from_settings(settings, dimension=dimension)
