"""Real local HTTP servers for the eval tests, on 127.0.0.1 in a background thread.

- :func:`chat_protocol_app`: a small FastAPI app speaking Ridgeline's chat protocol
  (``POST /chat`` JSON, ``POST /chat/stream`` NDJSON) from canned answers.
- :func:`chat_completions_app`: the OpenAI chat-completions wire format
  (``POST /v1/chat/completions``), replying with whatever ``reply(prompt)`` returns.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse


@contextmanager
def serve_in_thread(app: object) -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the uvicorn test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


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


def chat_completions_app(reply: Callable[[str], str], *, prompts: list[str]) -> FastAPI:
    """An OpenAI-compatible ``/v1/chat/completions`` that answers ``reply(last user prompt)``."""
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> JSONResponse:
        body = await request.json()
        prompt = body["messages"][-1]["content"]
        prompts.append(prompt)
        return JSONResponse(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reply(prompt)},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        )

    return app
