"""``POST /v1/chat/completions`` (streamed as server-sent events or not) and ``GET /v1/models``:
the whole RAG pipeline for any OpenAI client."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response, StreamingResponse

from chat.limits import RequestLimits
from chat.openai_api import CompletionRequest, models_list, to_completion, to_sse
from chat.routes.chat import ScopeOf
from chat.routes.deps import current_user
from chat.service import ChatService


def openai_router(
    service: ChatService, *, model: str, scope_of: ScopeOf, limits: RequestLimits
) -> APIRouter:
    router = APIRouter(prefix="/v1")

    @router.get("/models")
    def models() -> dict[str, Any]:
        return models_list(model)

    @router.post("/chat/completions")
    def completions(
        request: CompletionRequest, user: Annotated[str, Depends(current_user)]
    ) -> Response:
        limits.check(request.messages)
        chat_request = request.to_chat_request()
        if request.stream:
            events = service.stream(chat_request, scope=scope_of(user))
            return StreamingResponse(to_sse(events, model=model), media_type="text/event-stream")
        response = service.chat(chat_request, scope=scope_of(user))
        return JSONResponse(to_completion(response, model=model))

    return router
