"""Small real chat apps for the eval tests, served on 127.0.0.1 by ``tests.servers``.

- :func:`chat_protocol_app`: a small FastAPI app speaking Ridgeline's chat protocol
  (``POST /chat`` JSON, ``POST /chat/stream`` NDJSON) from canned answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

__all__ = ["chat_protocol_app"]


def chat_protocol_app(
    answer: Callable[[dict[str, Any]], dict[str, Any]], *, received: list[dict[str, Any]]
) -> FastAPI:
    """``answer(body)`` gives the response body; the stream sends it as NDJSON events."""
    app = FastAPI()

    @app.post("/chat")
    async def chat(request: Request) -> JSONResponse:
        body = await request.json()
        received.append(body)
        reply = answer(body)
        return JSONResponse(reply, status_code=reply.pop("status", 200))

    @app.post("/chat/stream")
    async def stream(request: Request) -> StreamingResponse:
        body = await request.json()
        received.append(body)
        reply = answer(body)
        text = reply["output_text"]
        events = [
            {"type": "response.context", "context": reply["context"]},
            *(
                {"type": "response.output_text.delta", "delta": text[i : i + 7]}
                for i in range(0, len(text), 7)
            ),
            {"type": "response.context", "context": {"followup_questions": ["More?"]}},
        ]
        lines = (json.dumps(event) + "\n" for event in events)
        return StreamingResponse(lines, media_type="application/x-ndjson")

    return app
