"""The chat protocol's wire shapes as the harness sends and reads them.

:func:`chat_request` builds a ``POST /chat`` body; a question with an image sends it as an
``image_url`` content part (a local file becomes a ``data:`` URL). :class:`ResponsePaths` says
where, in a response body, the answer, the ranked source citations, the source texts and the
images live, as JMESPath expressions; the defaults are Ridgeline's (and the reference sample's)
shape, and another endpoint is read by changing them. :func:`assemble_stream` turns an NDJSON
stream of ``/chat/stream`` events back into one response body.

Example::

    body = chat_request("Which tent is this?", image="/data/tent.jpg", overrides={"top": 3})
    read_response({"output_text": "A tent.", "context": {...}}, ResponsePaths())
"""

from __future__ import annotations

import base64
import json
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jmespath
from pydantic import BaseModel, ConfigDict, field_validator

from eval.citations import extract_citations
from ridgeline.errors import RidgelineError


class ProtocolError(RidgelineError):
    """A response that cannot be read as a chat protocol body."""


class ResponsePaths(BaseModel):
    """JMESPath expressions locating each part of a chat response body."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    answer: str = "output_text"
    citations: str = "context.data_points.citations"
    contexts: str = "context.data_points.text"
    images: str = "context.data_points.images"

    @field_validator("answer", "citations", "contexts", "images")
    @classmethod
    def _compiles(cls, expression: str) -> str:
        try:
            jmespath.compile(expression)
        except jmespath.exceptions.ParseError as exc:
            raise ValueError(f"not a JMESPath expression: {expression!r} ({exc})") from exc
        return expression


class ChatReply(BaseModel):
    """What the harness reads from one response."""

    answer: str
    answer_citations: list[str]
    source_citations: list[str]
    contexts: list[str]
    images: list[str]


def image_url(image: str) -> str:
    """A URL as is; a local file as a ``data:`` URL with its MIME type."""
    if image.startswith(("http://", "https://", "data:")):
        return image
    path = Path(image)
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def chat_request(
    question: str, *, overrides: dict[str, Any], image: str | None = None
) -> dict[str, Any]:
    """The ``POST /chat`` body for one question (and its image, if any)."""
    content: str | list[dict[str, Any]] = question
    if image is not None:
        content = [
            {"type": "text", "text": question},
            {"type": "image_url", "image_url": {"url": image_url(image)}},
        ]
    return {"messages": [{"role": "user", "content": content}], "context": {"overrides": overrides}}


def read_response(body: Any, paths: ResponsePaths) -> ChatReply:
    """Pick the answer and its context out of ``body``; raises :class:`ProtocolError`."""
    if isinstance(body, dict) and "error" in body and paths.answer not in body:
        raise ProtocolError(f"the endpoint answered an error: {body['error']}")
    answer = jmespath.search(paths.answer, body)
    if not isinstance(answer, str):
        raise ProtocolError(f"response is not a chat protocol body: no text at {paths.answer!r}")
    return ChatReply(
        answer=answer,
        answer_citations=extract_citations(answer),
        source_citations=_strings(body, paths.citations),
        contexts=_strings(body, paths.contexts),
        images=_strings(body, paths.images),
    )


def _strings(body: Any, expression: str) -> list[str]:
    found = jmespath.search(expression, body)
    if found is None:
        return []
    if not isinstance(found, list):
        found = [found]
    return [item if isinstance(item, str) else json.dumps(item) for item in found]


def assemble_stream(lines: Iterable[str]) -> dict[str, Any]:
    """One response body from NDJSON events; an ``{"error": ...}`` line raises ProtocolError.

    Understood events: ``{"type": "response.context", "context": {...}}`` (later context events,
    such as the final one with follow-up questions, are merged in), ``{"type":
    "response.output_text.delta", "delta": "..."}``, and the older sample's untyped
    ``{"delta": {"content": "..."}, "context": {...}}``.
    """
    text: list[str] = []
    context: dict[str, Any] = {}
    for line in lines:
        if not line.strip():
            continue
        event = _event(line)
        if "error" in event:
            raise ProtocolError(f"the stream reported an error: {event['error']}")
        if isinstance(event.get("context"), dict):
            _merge(context, event["context"])
        delta = event.get("delta")
        if isinstance(delta, dict):
            delta = delta.get("content")
        if isinstance(delta, str):
            text.append(delta)
    return {"output_text": "".join(text), "context": context}


def _event(line: str) -> dict[str, Any]:
    try:
        event = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"a stream line is not JSON: {line[:80]!r}") from exc
    if not isinstance(event, dict):
        raise ProtocolError(f"a stream line is not a JSON object: {line[:80]!r}")
    return event


def _merge(into: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
