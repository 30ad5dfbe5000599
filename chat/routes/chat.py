"""``POST /chat``, ``POST /chat/stream``, ``GET /config`` and ``GET /auth_setup``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, StreamingResponse

from chat.config import AppConfig
from chat.protocol import ChatRequest
from chat.routes.deps import current_user, ndjson
from chat.service import ChatService
from ridgeline.types import AccessScope

ScopeOf = Callable[[str], AccessScope | None]


def chat_router(
    service: ChatService, *, config: AppConfig, scope_of: ScopeOf, features: dict[str, bool]
) -> APIRouter:
    router = APIRouter()

    @router.post("/chat")
    def chat(request: ChatRequest, user: Annotated[str, Depends(current_user)]) -> JSONResponse:
        # A plain (sync) handler: FastAPI runs it in a worker thread, so a slow model or
        # search does not block the event loop.
        config.limits.check(request.messages)
        response = service.chat(request, scope=scope_of(user))
        return JSONResponse(response.model_dump(mode="json"))

    @router.post("/chat/stream")
    def chat_stream(
        request: ChatRequest, user: Annotated[str, Depends(current_user)]
    ) -> StreamingResponse:
        config.limits.check(request.messages)
        events = service.stream(request, scope=scope_of(user))
        # Starlette iterates a sync iterator in a worker thread.
        return StreamingResponse(ndjson(events), media_type="application/x-ndjson")

    @router.get("/config")
    def app_config() -> dict[str, Any]:
        return frontend_config(config, features)

    @router.get("/auth_setup")
    def auth_setup() -> dict[str, Any]:
        return NO_LOGIN

    return router


# The reference sample's MSAL settings, saying "no login": its frontend then shows no sign-in.
NO_LOGIN: dict[str, Any] = {
    "useLogin": False,
    "requireAccessControl": False,
    "enableUnauthenticatedAccess": True,
    "msalConfig": {
        "auth": {
            "clientId": None,
            "authority": None,
            "redirectUri": "/redirect",
            "postLogoutRedirectUri": "/",
            "navigateToLoginRequestUrl": False,
        },
        "cache": {"cacheLocation": "localStorage", "storeAuthStateInCookie": False},
    },
    "loginRequest": {"scopes": [".default"]},
    "tokenRequest": {"scopes": []},
}


def frontend_config(config: AppConfig, features: dict[str, bool]) -> dict[str, Any]:
    """The reference sample's ``/config`` flags, set to what this server offers."""
    return {
        "showMultimodalOptions": config.vision or config.image_search,
        "showSemanticRankerOption": False,
        "showQueryRewritingOption": False,
        "showReasoningEffortOption": False,
        "streamingEnabled": True,
        "defaultReasoningEffort": "",
        "showVectorOption": True,
        "showUserUpload": features.get("uploads", False),
        "showLanguagePicker": False,
        "showSpeechInput": False,
        "showSpeechOutputBrowser": False,
        "showSpeechOutputAzure": False,
        "showChatHistoryBrowser": False,
        "showChatHistoryCosmos": features.get("history", False),
        "showAgenticRetrievalOption": False,
        "ragSearchTextEmbeddings": True,
        "ragSearchImageEmbeddings": config.image_search,
        "ragSendTextSources": True,
        "ragSendImageSources": config.vision,
        "webSourceEnabled": False,
    }
