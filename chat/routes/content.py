"""``GET /content/<name>``: a cited source file or an extracted image, from the allowed roots."""

from __future__ import annotations

import mimetypes
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse, JSONResponse, Response

from chat.content import ContentStore
from chat.routes.deps import current_user

# Served as plain text so that an ingested page cannot run script in the app's origin.
_ACTIVE_TYPES = {"text/html", "image/svg+xml", "application/xhtml+xml", "text/javascript"}


def content_router(store: ContentStore) -> APIRouter:
    router = APIRouter()

    @router.get("/content/{name:path}")
    def content(name: str, user: Annotated[str, Depends(current_user)]) -> Response:
        path = store.resolve(name, user=user)
        if path is None:
            return JSONResponse({"error": f"no such content: {name!r}"}, 404)
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
