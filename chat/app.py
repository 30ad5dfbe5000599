"""The chat HTTP app: the reference sample's protocol, an OpenAI-compatible endpoint, the web
page, and the guards (API key, CORS, size limits).

Usage::

    app = create_app(ChatService(retriever=retriever, model=model), config=AppConfig(),
                     content=ContentStore(documents=index.list_documents))
    uvicorn.run(app, host="127.0.0.1", port=8000)
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from chat.config import USER_HEADER, AppConfig
from chat.content import ContentStore
from chat.history import HistoryStore
from chat.images import ImageTooLargeError, InvalidImageError
from chat.limits import RequestTooLargeError
from chat.origin_guard import StateChangeGuard
from chat.routes.chat import ScopeOf, chat_router
from chat.routes.content import content_router
from chat.routes.history import history_router
from chat.routes.openai import openai_router
from chat.routes.page import STATIC_DIR, page_router
from chat.routes.uploads import uploads_router
from chat.security import ApiKeyMiddleware, BodyLimitMiddleware
from chat.service import ChatService
from chat.uploads import UploadNotFoundError, UploadRejectedError, UploadTooLargeError, UserUploads
from ridgeline.errors import ConfigError, IndexBusyError, IngestionError, ModelError, RidgelineError
from ridgeline.types import AccessScope

_log = logging.getLogger(__name__)

# Ridgeline errors a caller can act on, and the status each one gets.
_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (UploadRejectedError, 415),
    (UploadTooLargeError, 413),
    (UploadNotFoundError, 404),
    (RequestTooLargeError, 413),
    (ImageTooLargeError, 413),
    (InvalidImageError, 400),
    (IngestionError, 422),
    (IndexBusyError, 503),  # another writer holds the index lock past the upload's wait
    (ModelError, 502),
)


def create_app(
    service: ChatService,
    *,
    config: AppConfig | None = None,
    content: ContentStore | None = None,
    uploads: UserUploads | None = None,
    history: HistoryStore | None = None,
) -> FastAPI:
    """A FastAPI app whose handlers only parse, call the library and format."""
    config = config or AppConfig()
    app = FastAPI(title="Ridgeline chat")
    _add_error_handlers(app)
    _add_guards(app, config)
    scope_of = _scope_policy(uploads)
    features = {
        "uploads": uploads is not None and config.uploads_open,
        "history": history is not None,
    }

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(chat_router(service, config=config, scope_of=scope_of, features=features))
    app.include_router(
        openai_router(service, model=config.model_name, scope_of=scope_of, limits=config.limits)
    )
    if config.frontend_dir is None:
        app.include_router(page_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if content is not None:
        app.include_router(content_router(content))
    if uploads is not None:
        app.include_router(uploads_router(uploads, max_bytes=config.max_upload_bytes))
    if history is not None:
        app.include_router(history_router(history))
    if config.frontend_dir is not None:
        # Mounted last: every API path above is matched before a static file is looked for.
        app.mount("/", StaticFiles(directory=frontend_folder(config.frontend_dir), html=True))
    return app


def frontend_folder(folder: Path) -> Path:
    """``folder`` when it holds a built frontend (an ``index.html``), else a ConfigError."""
    if not (folder / "index.html").is_file():
        raise ConfigError(
            f"frontend folder {folder} has no index.html: point RIDGELINE_FRONTEND_DIR "
            "(or serve --frontend) at a built frontend, such as the output of `vite build`"
        )
    return folder


def _scope_policy(uploads: UserUploads | None) -> ScopeOf:
    """With uploads, every search is limited to what the caller may read (their own uploads
    and the shared documents); without, there is nothing private to hide."""
    if uploads is None:
        return lambda _user: None
    return lambda user: AccessScope(user_id=user)


def _add_guards(app: FastAPI, config: AppConfig) -> None:
    # The last added middleware runs first: CORS (answers preflights), the API key, the
    # cross-site and uploads checks, and only then the body limit, which may read a body sent
    # without a length: nobody unauthenticated gets a body buffered.
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=config.max_request_bytes,
        upload_max_bytes=config.max_upload_bytes,
    )
    app.add_middleware(
        StateChangeGuard, allowed_origins=config.cors_origins, uploads_open=config.uploads_open
    )
    if config.api_key:
        app.add_middleware(ApiKeyMiddleware, api_key=config.api_key)
    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", USER_HEADER],
        )


def _add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RidgelineError, _ridgeline_error)
    app.add_exception_handler(Exception, _unexpected_error)


def _error(request: Request, message: str, status: int, **options: Any) -> JSONResponse:
    """``{"error": message}`` as the reference protocol has it; OpenAI's error object on /v1."""
    if request.url.path.startswith("/v1/"):
        kind = "invalid_request_error" if status < 500 else "server_error"
        return JSONResponse({"error": {"message": message, "type": kind}}, status, **options)
    return JSONResponse({"error": message}, status, **options)


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(error.get("type") == "json_invalid" for error in errors):
        detail = "; ".join(str(e.get("ctx", {}).get("error", e.get("msg"))) for e in errors)
        return _error(request, f"the request body is not valid JSON: {detail}", 400)
    return _error(request, "invalid request: " + "; ".join(map(_describe, errors)), 422)


def _describe(error: dict[str, Any]) -> str:
    location = error.get("loc") or ()
    path = ".".join(str(part) for part in location if part != "body")
    return f"{path or 'body'}: {error.get('msg')}"


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return _error(request, str(exc.detail), exc.status_code, headers=exc.headers)


async def _ridgeline_error(request: Request, exc: Exception) -> JSONResponse:
    # Ridgeline's own errors are written to be shown to users as they are.
    _log.warning("chat request failed: %s", exc)
    status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 500)
    return _error(request, str(exc), status)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    _log.exception("unexpected error in the chat API", exc_info=exc)
    return _error(request, "internal error: the request could not be answered", 500)
