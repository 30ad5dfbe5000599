"""Settings -> the captioner, image embedder and enricher an ingestion run uses.

The built-in captioners and image embedders are registered in the plugin registry (by the
``builtin`` plugin, through :func:`register_captioners` and :func:`register_image_embedders`);
the ``build_*`` functions look the configured name up there, so a plugin's own ones work too.

Usage::

    enricher = build_enricher(settings, ocr=RapidOcrEngine())
    image_embedder = build_image_embedder(settings)   # None when RIDGELINE_IMAGE_EMBEDDER=none
"""

from __future__ import annotations

from ingestion.enrich.cache import CachingOcrEngine, EnrichmentCache
from ingestion.enrich.images import ImageEnricher
from ridgeline.errors import ConfigError
from ridgeline.plugins.registry import (
    CaptionerFactory,
    ImageEmbedderFactory,
    NamedRole,
    plugin_registry,
)
from ridgeline.protocols import Captioner, ImageEmbedder, OcrEngine
from ridgeline.providers.captioner import OfflineCaptioner, OpenAIVisionCaptioner
from ridgeline.providers.llm_settings import build_llm_client
from ridgeline.providers.llm_types import EndpointKind
from ridgeline.settings import Settings

CACHE_FILE = "enrichment-cache.sqlite"


def build_captioner(settings: Settings) -> Captioner:
    """The captioner ``RIDGELINE_CAPTIONER`` names; ConfigError naming any missing setting."""
    return plugin_registry().captioners.factory(settings.captioner)(settings)


def register_captioners(role: NamedRole[CaptionerFactory]) -> None:
    role.register("offline", lambda settings: OfflineCaptioner())
    role.register("openai", _llm_captioner)
    role.register("azure", _llm_captioner)


def _llm_captioner(settings: Settings) -> Captioner:
    """Captions through the one LLM client (docs/llm.md), with ``RIDGELINE_CAPTION_MODEL`` when
    set, else the endpoint's model or deployment."""
    if settings.captioner == "azure" and not (
        settings.caption_model or settings.azure_openai_deployment
    ):
        raise ConfigError(
            "captioner 'azure' needs RIDGELINE_CAPTION_MODEL or RIDGELINE_AZURE_OPENAI_DEPLOYMENT"
        )
    endpoint: EndpointKind = "azure" if settings.captioner == "azure" else "openai"
    llm = build_llm_client(
        settings, endpoint=endpoint, role="caption", model=settings.caption_model
    )
    return OpenAIVisionCaptioner(llm=llm)


def build_image_embedder(settings: Settings) -> ImageEmbedder | None:
    """The image embedder ``RIDGELINE_IMAGE_EMBEDDER`` names (nothing loads until first use)."""
    return plugin_registry().image_embedders.factory(settings.image_embedder)(settings)


def register_image_embedders(role: NamedRole[ImageEmbedderFactory]) -> None:
    for name in ("efficientnet+visual", "efficientnet", "visual"):
        role.register(name, _offline_image_embedder)
    role.register("clip", _clip_embedder)
    role.register("azure", _azure_vision_embedder)
    role.register("none", lambda settings: None)  # no image vectors


def _clip_embedder(settings: Settings) -> ImageEmbedder:
    if settings.clip_model_path is None:
        raise ConfigError("image embedder 'clip' needs RIDGELINE_CLIP_MODEL_PATH")
    from ridgeline.providers.clip_embedder import ClipImageEmbedder

    return ClipImageEmbedder(settings.clip_model_path, allow_download=settings.clip_allow_download)


def _azure_vision_embedder(settings: Settings) -> ImageEmbedder:
    _require(
        settings,
        azure_vision_endpoint="RIDGELINE_AZURE_VISION_ENDPOINT",
        azure_vision_api_key="RIDGELINE_AZURE_VISION_API_KEY",
    )
    from ridgeline.providers.azure_vision import AzureVisionEmbedder

    assert settings.azure_vision_endpoint and settings.azure_vision_api_key is not None
    key = settings.azure_vision_api_key.get_secret_value()
    return AzureVisionEmbedder(endpoint=settings.azure_vision_endpoint, api_key=key)


def _offline_image_embedder(settings: Settings) -> ImageEmbedder:
    """The packaged, image-to-image-only embedders (docs/embedders.md compares them)."""
    from ridgeline.providers.efficientnet_embedder import EfficientNetLiteEmbedder
    from ridgeline.providers.fused_image_embedder import FusedImageEmbedder
    from ridgeline.providers.visual_embedder import VisualSimilarityEmbedder

    name = settings.image_embedder
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
