"""``GET /content/<name>``: a cited source file or an extracted image, from the allowed roots.

A catalog CSV comes as an HTML view of its rows (chat/catalog_view.py; ``?id=N``: that row
alone; ``?raw=true``: the file itself)."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from chat.catalog_view import CATALOG_VIEW_CSP, NoSuchRowError, is_catalog_file, rows_html
from chat.content import ContentStore
from chat.routes.deps import current_user

# Served as plain text so that an ingested page cannot run script in the app's origin.
_ACTIVE_TYPES = {"text/html", "image/svg+xml", "application/xhtml+xml", "text/javascript"}


def content_router(store: ContentStore) -> APIRouter:
    router = APIRouter()

    @router.get("/content/{name:path}")
    def content(
        name: str,
        user: Annotated[str, Depends(current_user)],
        record_id: Annotated[str | None, Query(alias="id", max_length=200)] = None,
        raw: bool = False,
    ) -> Response:
        path = store.resolve(name, user=user)
        if path is None:
            return JSONResponse({"error": f"no such content: {name!r}"}, 404)
        if is_catalog_file(path) and not raw:
            return _catalog_view(path, record_id)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media_type in _ACTIVE_TYPES:
            media_type = "text/plain"
        return FileResponse(
            path,
            media_type=media_type,
            content_disposition_type="inline",
            headers={"X-Content-Type-Options": "nosniff"},
        )

    return router


def _catalog_view(path: Path, record_id: str | None) -> Response:
    """A catalog citation's row (``?id=N``, or ``#id=N`` shown by the page), as HTML."""
    try:
        page = rows_html(path, only=record_id)
    except NoSuchRowError as exc:
        return JSONResponse({"error": str(exc)}, 404)
    headers = {"Content-Security-Policy": CATALOG_VIEW_CSP, "X-Content-Type-Options": "nosniff"}
    return HTMLResponse(page, headers=headers)
