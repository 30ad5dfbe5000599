"""Cross-site request refusal and the uploads switch, as plain ASGI middleware that answers
before the body is read.

A browser sends ``Origin`` (and ``Sec-Fetch-Site``) with every cross-site POST, including a
plain HTML form that needs no CORS preflight. A state-changing request from another site is
refused unless that site is in ``RIDGELINE_CORS_ORIGINS``: without an API key, a page the user
visits could otherwise upload documents or rewrite their chat history. Clients that are not
browsers (curl, SDKs) send neither header and are not affected.

Usage::

    app.add_middleware(StateChangeGuard, allowed_origins=("https://intranet.example",),
                       uploads_open=False)
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from chat.security import header_of, send_json

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UPLOAD_PATHS = frozenset({"/upload", "/list_uploaded", "/delete_uploaded"})
UPLOADS_OFF = (
    "uploads are off: no API key is configured, so an upload could come from anyone (or any "
    "web page) that reaches this server. Set RIDGELINE_API_KEY, or set "
    "RIDGELINE_ALLOW_ANONYMOUS_UPLOADS=true to accept them anyway (docs/security.md)"
)


class StateChangeGuard:
    """403 (JSON) for cross-site state-changing requests, and for uploads when they are off."""

    def __init__(
        self, app: ASGIApp, *, allowed_origins: tuple[str, ...] = (), uploads_open: bool
    ) -> None:
        self.app = app
        self._allowed = {origin.lower().rstrip("/") for origin in allowed_origins}
        self._uploads_open = uploads_open

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = self._refusal(scope)
            if refusal is not None:
                await send_json(send, 403, {"error": refusal})
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope) -> str | None:
        if not self._uploads_open and scope["path"] in UPLOAD_PATHS:
            return UPLOADS_OFF
        if scope["method"] in SAFE_METHODS:
            return None
        return self._cross_site(scope)

    def _cross_site(self, scope: Scope) -> str | None:
        origin = (header_of(scope, b"origin") or b"").decode("latin-1").strip()
        if origin:
            if "*" in self._allowed or origin.lower().rstrip("/") in self._allowed:
                return None
            host = (header_of(scope, b"host") or b"").decode("latin-1").lower()
            if origin != "null" and urlsplit(origin.lower()).netloc == host:
                return None
            return (
                f"cross-site request refused: origin {origin!r} is neither this server nor in "
                "RIDGELINE_CORS_ORIGINS"
            )
        site = (header_of(scope, b"sec-fetch-site") or b"").decode("latin-1").lower()
        if site == "cross-site":
            return "cross-site request refused (Sec-Fetch-Site: cross-site)"
        return None
