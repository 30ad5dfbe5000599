"""Settings -> the captioner, image embedder and enricher an ingestion run uses.

Usage::

    enricher = build_enricher(settings, ocr=RapidOcrEngine())
    image_embedder = build_image_embedder(settings)   # None when RIDGELINE_IMAGE_EMBEDDER=none
"""

from __future__ import annotations

from functools import partial
from typing import Any

from ingestion.enrich.cache import CachingOcrEngine, EnrichmentCache
from ingestion.enrich.images import ImageEnricher
from ridgeline.errors import ConfigError
from ridgeline.protocols import Captioner, ImageEmbedder, OcrEngine
from ridgeline.providers.captioner import OfflineCaptioner, OpenAIVisionCaptioner
from ridgeline.settings import Settings

CACHE_FILE = "enrichment-cache.sqlite"


def build_captioner(settings: Settings) -> Captioner:
    """The captioner ``RIDGELINE_CAPTIONER`` names; ConfigError naming any missing setting."""
    if settings.captioner == "offline":
        return OfflineCaptioner()
    if settings.captioner == "openai":
        _require(settings, openai_api_key="RIDGELINE_OPENAI_API_KEY")
        assert settings.openai_api_key is not None
        factory = partial(
            _client,
            "OpenAI",
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key.get_secret_value(),
            timeout=settings.chat_timeout_s,
        )
        return OpenAIVisionCaptioner(
            client_factory=factory, model=settings.caption_model or settings.openai_model
        )
    return _azure_captioner(settings)


def _azure_captioner(settings: Settings) -> Captioner:
    _require(
        settings,
        azure_openai_endpoint="RIDGELINE_AZURE_OPENAI_ENDPOINT",
        azure_openai_api_key="RIDGELINE_AZURE_OPENAI_API_KEY",
    )
    model = settings.caption_model or settings.azure_openai_deployment
    if not model:
        raise ConfigError(
            "captioner 'azure' needs RIDGELINE_CAPTION_MODEL or RIDGELINE_AZURE_OPENAI_DEPLOYMENT"
        )
    assert settings.azure_openai_api_key is not None
    factory = partial(
        _client,
        "AzureOpenAI",
        azure_endpoint=settings.azure_openai_endpoint,
        api_key=settings.azure_openai_api_key.get_secret_value(),
        api_version=settings.azure_openai_api_version,
        timeout=settings.chat_timeout_s,
    )
    return OpenAIVisionCaptioner(client_factory=factory, model=model)


def build_image_embedder(settings: Settings) -> ImageEmbedder | None:
    """The image embedder ``RIDGELINE_IMAGE_EMBEDDER`` names (nothing loads until first use)."""
    if settings.image_embedder == "none":
        return None
    if settings.image_embedder == "clip":
        if settings.clip_model_path is None:
            raise ConfigError("image embedder 'clip' needs RIDGELINE_CLIP_MODEL_PATH")
        from ridgeline.providers.clip_embedder import ClipImageEmbedder

        return ClipImageEmbedder(
            settings.clip_model_path, allow_download=settings.clip_allow_download
        )
    if settings.image_embedder == "azure":
        _require(
            settings,
            azure_vision_endpoint="RIDGELINE_AZURE_VISION_ENDPOINT",
            azure_vision_api_key="RIDGELINE_AZURE_VISION_API_KEY",
        )
        from ridgeline.providers.azure_vision import AzureVisionEmbedder

        assert settings.azure_vision_endpoint and settings.azure_vision_api_key is not None
        key = settings.azure_vision_api_key.get_secret_value()
        return AzureVisionEmbedder(endpoint=settings.azure_vision_endpoint, api_key=key)
    return _offline_image_embedder(settings.image_embedder)


def _offline_image_embedder(name: str) -> ImageEmbedder:
    """The packaged, image-to-image-only embedders (docs/embedders.md compares them)."""
    from ridgeline.providers.efficientnet_embedder import EfficientNetLiteEmbedder
    from ridgeline.providers.fused_image_embedder import FusedImageEmbedder
    from ridgeline.providers.visual_embedder import VisualSimilarityEmbedder

    if name == "efficientnet":
        return EfficientNetLiteEmbedder()
    if name == "visual":
        return VisualSimilarityEmbedder()
    return FusedImageEmbedder([EfficientNetLiteEmbedder(), VisualSimilarityEmbedder()])


def cached_ocr(settings: Settings, engine: OcrEngine) -> OcrEngine:
    """``engine`` behind the index folder's OCR cache (for parsers and the enricher alike)."""
    return CachingOcrEngine(engine, EnrichmentCache(settings.index_dir / CACHE_FILE))


def build_enricher(settings: Settings, *, ocr: OcrEngine) -> ImageEnricher:
    """OCR + the configured captioner, cached in the index folder."""
    return ImageEnricher(
        ocr=ocr,
        captioner=build_captioner(settings),
        cache=EnrichmentCache(settings.index_dir / CACHE_FILE),
        max_image_pixels=settings.max_image_pixels,
    )


def _require(settings: Settings, **env_vars: str) -> None:
    missing = [env for field, env in env_vars.items() if not getattr(settings, field)]
    if missing:
        raise ConfigError(f"these settings are needed: {', '.join(missing)}")


def _client(kind: str, **options: Any) -> Any:
    import openai  # the SDK builds an HTTP client: only when a caption is asked for

    return getattr(openai, kind)(**options)
