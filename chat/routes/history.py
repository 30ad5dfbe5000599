"""Chat history sessions, as the reference sample's routes: ``POST /chat_history``,
``GET /chat_history/sessions``, ``GET`` and ``DELETE /chat_history/sessions/{id}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, model_validator

from chat.history import HistoryStore
from chat.protocol import refuse_lone_surrogates
from chat.routes.deps import current_user

# A continuation token is an offset: 18 digits fit in SQLite's 64-bit integers.
_TOKEN_DIGITS = 18


class SessionBody(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    answers: list[Any]

    _valid_unicode = model_validator(mode="before")(refuse_lone_surrogates)


def history_router(store: HistoryStore) -> APIRouter:
    router = APIRouter()

    @router.post("/chat_history", status_code=201)
    def save(body: SessionBody, user: Annotated[str, Depends(current_user)]) -> dict[str, Any]:
        store.save(user, body.id, body.answers)
        return {}

    @router.get("/chat_history/sessions")
    def sessions(
        user: Annotated[str, Depends(current_user)],
        count: Annotated[int, Query(ge=1, le=100)] = 10,
        continuation_token: Annotated[
            str | None, Query(alias="continuationToken", max_length=_TOKEN_DIGITS)
        ] = None,
    ) -> dict[str, Any]:
        token = continuation_token or ""
        # Tokens are offsets this server gave; anything else starts from the beginning.
        offset = int(token) if token.isascii() and token.isdigit() else 0
        found, more = store.list_sessions(user, count=count, continuation=offset)
        return {"sessions": found, "continuation_token": str(more) if more is not None else None}

    @router.get("/chat_history/sessions/{session_id}")
    def session(session_id: str, user: Annotated[str, Depends(current_user)]) -> Response:
        found = store.get(user, session_id)
        if found is None:
            return JSONResponse({"error": f"no such session: {session_id!r}"}, 404)
        return JSONResponse(found)

    @router.delete("/chat_history/sessions/{session_id}", status_code=204)
    def delete(session_id: str, user: Annotated[str, Depends(current_user)]) -> Response:
        if not store.delete(user, session_id):
            return JSONResponse({"error": f"no such session: {session_id!r}"}, 404)
        return Response(status_code=204)

    return router
