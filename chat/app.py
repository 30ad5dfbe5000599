"""The chat HTTP API: ``POST /chat`` and ``GET /health``.

Usage::

    app = create_app(ChatService(retriever=retriever, model=model))
    uvicorn.run(app, host="127.0.0.1", port=8000)
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from chat.protocol import ChatRequest
from chat.service import ChatService
from ridgeline.errors import ModelError, RidgelineError

_log = logging.getLogger(__name__)


def create_app(service: ChatService) -> FastAPI:
    """A FastAPI app whose handlers only parse, call ``service`` and format."""
    app = FastAPI(title="Ridgeline chat")
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(RidgelineError, _ridgeline_error)
    app.add_exception_handler(Exception, _unexpected_error)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/chat")
    def chat(request: ChatRequest) -> JSONResponse:
        # A plain (sync) handler: FastAPI runs it in a worker thread, so a slow model or
        # search does not block the event loop.
        response = service.chat(request)
        return JSONResponse(response.model_dump(mode="json"))

    return app


async def _invalid_request(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(error.get("type") == "json_invalid" for error in errors):
        detail = "; ".join(str(e.get("ctx", {}).get("error", e.get("msg"))) for e in errors)
        return JSONResponse({"error": f"the request body is not valid JSON: {detail}"}, 400)
    return JSONResponse({"error": "invalid request: " + "; ".join(map(_describe, errors))}, 422)


def _describe(error: dict[str, Any]) -> str:
    location = error.get("loc") or ()
    path = ".".join(str(part) for part in location if part != "body")
    return f"{path or 'body'}: {error.get('msg')}"


async def _ridgeline_error(_: Request, exc: Exception) -> JSONResponse:
    # Ridgeline's own errors are written to be shown to users as they are.
    _log.warning("chat request failed: %s", exc)
    status = 502 if isinstance(exc, ModelError) else 500
    return JSONResponse({"error": str(exc)}, status)


async def _unexpected_error(_: Request, exc: Exception) -> JSONResponse:
    _log.exception("unexpected error in the chat API", exc_info=exc)
    return JSONResponse({"error": "internal error: the request could not be answered"}, 500)
