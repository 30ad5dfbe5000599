"""Settings -> the LLM client every role uses: one endpoint, one retry/timeout/seed policy.

The endpoint is described once (``RIDGELINE_OPENAI_*`` for OpenAI or any compatible server,
``RIDGELINE_AZURE_OPENAI_*`` for Azure OpenAI); the policy once (``RIDGELINE_CHAT_TIMEOUT_S``,
``RIDGELINE_LLM_MAX_RETRIES``, ``RIDGELINE_LLM_SEED``, ``RIDGELINE_CHAT_TEMPERATURE``). Roles
differ only in their name and, where asked, their model (``RIDGELINE_CAPTION_MODEL``, a judge's
model). Clients made from the same endpoint share one SDK client and one usage ledger.

Usage::

    llm = build_llm_client(settings, endpoint="azure")             # the answerer's
    rewriter = build_llm_client(settings, endpoint="azure", role="query rewrite")
"""

from __future__ import annotations

import threading
from typing import Any

from pydantic import SecretStr

from ridgeline.errors import ConfigError
from ridgeline.providers.llm import Connection, OpenAICompatibleClient
from ridgeline.providers.llm_types import EndpointKind, LlmConfig
from ridgeline.settings import Settings

_AZURE_NEEDS = {
    "azure_openai_endpoint": "RIDGELINE_AZURE_OPENAI_ENDPOINT",
    "azure_openai_api_key": "RIDGELINE_AZURE_OPENAI_API_KEY",
}


def configured_endpoint(settings: Settings) -> EndpointKind:
    """The endpoint the settings describe: the one the chat model or captioner names, else
    Azure when its endpoint is set, else OpenAI (or the compatible server at its base URL)."""
    for chosen in (settings.chat_model, settings.captioner):
        if chosen == "azure":
            return "azure"
        if chosen == "openai":
            return "openai"
    return "azure" if settings.azure_openai_endpoint else "openai"


def llm_config(
    settings: Settings,
    *,
    endpoint: EndpointKind | None = None,
    model: str | None = None,
    require_key: bool = True,
) -> LlmConfig:
    """The endpoint and policy ``settings`` describe; ConfigError names every missing variable.

    ``model``: another model than the endpoint's default (``RIDGELINE_OPENAI_MODEL`` or the
    Azure deployment). ``require_key=False``: a local OpenAI-compatible server without a key.
    """
    kind = endpoint or configured_endpoint(settings)
    policy: dict[str, Any] = {
        "timeout_s": settings.chat_timeout_s,
        "max_retries": settings.llm_max_retries,
        "temperature": settings.chat_temperature,
        "seed": settings.llm_seed,
    }
    if kind == "azure":
        needs = dict(_AZURE_NEEDS)
        if model is None:
            needs["azure_openai_deployment"] = "RIDGELINE_AZURE_OPENAI_DEPLOYMENT"
        _require(settings, kind, needs)
        return LlmConfig(
            endpoint="azure",
            model=model or settings.azure_openai_deployment or "",
            azure_endpoint=settings.azure_openai_endpoint,
            api_key=settings.azure_openai_api_key,
            api_version=settings.azure_openai_api_version,
            **policy,
        )
    if require_key:
        _require(settings, kind, {"openai_api_key": "RIDGELINE_OPENAI_API_KEY"})
    return LlmConfig(
        endpoint="openai",
        model=model or settings.openai_model,
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key,
        **policy,
    )


_connections: dict[tuple[object, ...], Connection] = {}
_connections_lock = threading.Lock()


def build_llm_client(
    settings: Settings,
    *,
    endpoint: EndpointKind | None = None,
    role: str = "chat",
    model: str | None = None,
    require_key: bool = True,
) -> OpenAICompatibleClient:
    """The client for ``role``; roles on the same endpoint share one SDK client and ledger."""
    return client_for(
        llm_config(settings, endpoint=endpoint, model=model, require_key=require_key), role=role
    )


def build_role_client(
    settings: Settings,
    *,
    role: str,
    model: str,
    base_url: str | None = None,
    api_key: str | None = None,
) -> OpenAICompatibleClient:
    """A role with a model of its own (an eval judge, a QA generator), on the configured
    endpoint, or on the OpenAI-compatible server at ``base_url``; the policy is the settings'.

    ``api_key``: the role's own key, used at ``base_url`` or when the settings hold none.
    """
    key = SecretStr(api_key) if api_key else None
    if base_url is not None:
        config = llm_config(settings, endpoint="openai", model=model, require_key=False)
        config = config.model_copy(update={"base_url": base_url, "api_key": key})
    else:
        config = llm_config(settings, model=model, require_key=False)
        if config.api_key is None:
            config = config.model_copy(update={"api_key": key})
    return client_for(config, role=role)


def client_for(config: LlmConfig, *, role: str) -> OpenAICompatibleClient:
    """A client for ``config``, sharing the SDK client of any earlier one with its endpoint."""
    key = (
        config.endpoint,
        config.base_url,
        config.azure_endpoint,
        config.api_key.get_secret_value() if config.api_key else None,
        config.api_version,
        config.timeout_s,
        config.max_retries,
    )
    with _connections_lock:
        connection = _connections.get(key)
        if connection is None:
            connection = _connections[key] = Connection(config)
    return OpenAICompatibleClient(config, role=role, connection=connection)


def _require(settings: Settings, kind: str, needs: dict[str, str]) -> None:
    missing = [env for field, env in needs.items() if not getattr(settings, field)]
    if missing:
        raise ConfigError(f"the {kind!r} LLM endpoint needs these settings: {', '.join(missing)}")
