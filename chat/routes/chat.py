"""``POST /chat``, ``POST /chat/stream``, ``GET /config`` and ``GET /auth_setup``."""

from __future__ import annotations

import uuid
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
        request = with_session(request, history=features.get("history", False))
        response = service.chat(request, scope=scope_of(user))
        return JSONResponse(response.model_dump(mode="json"))

    @router.post("/chat/stream")
    def chat_stream(
        request: ChatRequest, user: Annotated[str, Depends(current_user)]
    ) -> StreamingResponse:
        config.limits.check(request.messages)
        request = with_session(request, history=features.get("history", False))
        events = service.stream(request, scope=scope_of(user))
        # Starlette iterates a sync iterator in a worker thread.
        return StreamingResponse(ndjson(events), media_type="application/x-ndjson")

    @router.get("/config")
    def app_config() -> dict[str, Any]:
        return frontend_config(config, features)

    @router.get("/auth_setup")
    def auth_setup() -> dict[str, Any]:
        return NO_LOGIN

    @router.get("/.auth/me")
    def auth_me() -> list[dict[str, Any]]:
        # App Service's "who is signed in" list: nobody, as no login is configured. The
        # reference frontend asks on every load and treats an empty list as "signed out".
        return []

    return router


def with_session(request: ChatRequest, *, history: bool) -> ChatRequest:
    """The request with a new session id when history is kept and it starts a conversation,
    as the reference backend does: its frontend saves a conversation under that id."""
    if not history or request.session_state is not None:
        return request
    return request.model_copy(update={"session_state": str(uuid.uuid4())})


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
    """The reference sample's ``/config`` flags, set to what this server offers.

    As in the reference backend, the multimodal options follow a vision model being configured
    (they also switch the empty page to the sample's finance examples), and uploads are offered
    only with a login: the frontend's upload button needs a signed-in user, and ``/auth_setup``
    never configures one here (uploads stay available to API clients with a key).
    """
    return {
        "showMultimodalOptions": config.vision,
        "showSemanticRankerOption": False,
        "showQueryRewritingOption": False,
        "showReasoningEffortOption": False,
        "reasoningEffortOptions": [],
        "streamingEnabled": True,
        "defaultReasoningEffort": "",
        "defaultRetrievalReasoningEffort": "minimal",
        "showVectorOption": True,
        "showUserUpload": features.get("uploads", False) and bool(NO_LOGIN["useLogin"]),
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
        "sharepointSourceEnabled": False,
    }
