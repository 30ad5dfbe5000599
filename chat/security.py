"""HTTP guards as plain ASGI middleware (they work for streamed responses too): an optional
Bearer API key, and request body size limits answered with a JSON 413.

Usage::

    app.add_middleware(BodyLimitMiddleware, max_bytes=8 << 20, upload_max_bytes=20 << 20)
    app.add_middleware(ApiKeyMiddleware, api_key="s3cret")
"""

from __future__ import annotations

import hmac
import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chat.config import DEFAULT_USER, PUBLIC_PATHS, PUBLIC_PREFIXES

UPLOAD_PATH = "/upload"
_USER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


class ApiKeyMiddleware:
    """Refuses requests without ``Authorization: Bearer <api_key>`` (401 JSON), but for the
    health probe, the static page and CORS preflights."""

    def __init__(self, app: ASGIApp, *, api_key: str) -> None:
        self.app = app
        self._expected = f"Bearer {api_key}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _is_public(scope):
            await self.app(scope, receive, send)
            return
        given = header_of(scope, b"authorization") or b""
        if hmac.compare_digest(given, self._expected):
            await self.app(scope, receive, send)
            return
        reason = "missing" if not given else "wrong"
        await send_json(
            send, 401, {"error": f"unauthorized: {reason} API key (Authorization: Bearer ...)"}
        )


class BodyLimitMiddleware:
    """Answers 413 (JSON) when a request body is over the limit: by its Content-Length at once,
    or, for a body sent without one (chunked), while it is read."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_max_bytes: int) -> None:
        self.app = app
        self._max = max_bytes
        self._upload_max = upload_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._upload_max if scope["path"] == UPLOAD_PATH else self._max
        declared = header_of(scope, b"content-length")
        if declared is not None and declared.isdigit():
            if int(declared) > limit:
                await send_json(send, 413, _too_large(limit))
                return
            await self.app(scope, receive, send)  # the server reads no more than it declared
            return
        await self._guarded(scope, receive, send, limit)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """A body without a length is read first (up to the limit), then replayed to the app."""
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body
            body += message.get("body", b"")
            if len(body) > limit:
                await send_json(send, 413, _too_large(limit))
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(bytes(body), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read as one message; later calls (disconnects) go to the server."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def user_id_from(header_value: str | None) -> str:
    """The caller's user id from the user header; the shared default user when absent."""
    if header_value is None or not header_value.strip():
        return DEFAULT_USER
    value = header_value.strip()
    if not _USER_ID.match(value):
        raise ValueError(
            "X-Ridgeline-User: use 1-64 letters, digits, '_', '.', '@' or '-' "
            "(starting with a letter or digit)"
        )
    return value


async def send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(payload))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def _too_large(limit: int) -> dict[str, str]:
    return {"error": f"request body too large: the limit is {limit} bytes"}


def _is_public(scope: Scope) -> bool:
    path: str = scope["path"]
    if scope["method"] == "OPTIONS":
        return True
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def header_of(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None
