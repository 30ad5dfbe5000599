"""The system under evaluation, seen through the chat protocol's wire shape.

A :class:`Target` answers one question. :class:`InProcessTarget` calls a function that takes a
chat request body and returns a response body (the dicts of ``POST /chat``), so the harness
depends on the protocol, not on the chat package's internals. :class:`HttpTarget` posts the same
body to any endpoint that speaks the protocol, plain JSON or an NDJSON stream.

Example::

    target = InProcessTarget(lambda body: chat_service.handle(body))
    result = target.ask("What does the plan cover?", overrides={"top": 5})
    result.answer, result.source_citations, result.latency_s

    target = HttpTarget("http://127.0.0.1:8000/chat/stream", stream=True)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property
from typing import Any, Protocol

import httpx
from pydantic import BaseModel, ConfigDict, Field

from eval.wire import (
    ChatReply,
    ProtocolError,
    ResponsePaths,
    assemble_stream,
    chat_request,
    read_response,
)

ChatFunction = Callable[[dict[str, Any]], dict[str, Any]]


class TargetResult(BaseModel):
    """One answer as the harness scores it; ``error`` is set (and the rest empty) on failure.

    ``retryable`` marks failures worth another try (timeouts, connection errors, 5xx, 429).
    """

    model_config = ConfigDict(frozen=True)

    answer: str = ""
    answer_citations: list[str] = Field(default_factory=list)
    source_citations: list[str] = Field(default_factory=list)  # rank order, best first
    contexts: list[str] = Field(default_factory=list)
    images: list[str] = Field(default_factory=list)
    latency_s: float
    error: str | None = None
    retryable: bool = False

    @classmethod
    def from_reply(cls, reply: ChatReply, *, latency_s: float) -> TargetResult:
        return cls(**reply.model_dump(), latency_s=latency_s)


class Target(Protocol):
    """Anything that answers a question (with an optional image) under the given overrides."""

    def describe(self) -> dict[str, Any]: ...

    def ask(
        self, question: str, *, overrides: dict[str, Any], image: str | None = None
    ) -> TargetResult: ...


class InProcessTarget:
    """A target that calls a chat function in this process and times each call.

    An exception from the chat function, or a response that is not in the protocol's shape,
    becomes a :class:`TargetResult` with ``error`` set, so one bad question does not end a run.
    """

    def __init__(self, chat: ChatFunction, *, paths: ResponsePaths | None = None) -> None:
        self._chat = chat
        self._paths = paths or ResponsePaths()

    def describe(self) -> dict[str, Any]:
        return {"kind": "in-process", "paths": self._paths.model_dump()}

    def ask(
        self, question: str, *, overrides: dict[str, Any], image: str | None = None
    ) -> TargetResult:
        body = chat_request(question, overrides=dict(overrides), image=image)
        started = time.perf_counter()
        try:
            raw = self._chat(body)
        except Exception as exc:  # any failure of the system under test is a result to record
            return TargetResult(latency_s=time.perf_counter() - started, error=_describe(exc))
        latency_s = time.perf_counter() - started
        try:
            return TargetResult.from_reply(read_response(raw, self._paths), latency_s=latency_s)
        except ProtocolError as exc:
            return TargetResult(latency_s=latency_s, error=str(exc))


class HttpTarget:
    """A chat endpoint over HTTP (``httpx``); ``stream=True`` reads an NDJSON event stream.

    The client is created on first use and is safe to share between the run's threads.
    """

    def __init__(
        self,
        url: str,
        *,
        stream: bool = False,
        paths: ResponsePaths | None = None,
        headers: dict[str, str] | None = None,
        timeout_s: float = 120.0,
    ) -> None:
        self.url = url
        self._stream = stream
        self._paths = paths or ResponsePaths()
        self._headers = dict(headers or {})
        self._timeout_s = timeout_s

    @cached_property
    def _client(self) -> httpx.Client:
        return httpx.Client(headers=self._headers, timeout=self._timeout_s)

    def describe(self) -> dict[str, Any]:
        return {
            "kind": "http",
            "url": self.url,
            "stream": self._stream,
            "paths": self._paths.model_dump(),
        }

    def close(self) -> None:
        if "_client" in self.__dict__:
            self._client.close()

    def ask(
        self, question: str, *, overrides: dict[str, Any], image: str | None = None
    ) -> TargetResult:
        body = chat_request(question, overrides=dict(overrides), image=image)
        started = time.perf_counter()
        try:
            raw = self._post_stream(body) if self._stream else self._post(body)
            reply = read_response(raw, self._paths)
        except httpx.HTTPStatusError as exc:
            status = exc.response.status_code
            return TargetResult(
                latency_s=time.perf_counter() - started,
                error=f"HTTP {status}: {exc.response.text[:300]}",
                retryable=status >= 500 or status == 429,
            )
        except (httpx.TransportError, ProtocolError) as exc:
            return TargetResult(
                latency_s=time.perf_counter() - started,
                error=_describe(exc),
                retryable=isinstance(exc, httpx.TransportError),
            )
        return TargetResult.from_reply(reply, latency_s=time.perf_counter() - started)

    def _post(self, body: dict[str, Any]) -> Any:
        response = self._client.post(self.url, json=body)
        response.raise_for_status()
        try:
            return response.json()
        except ValueError as exc:
            raise ProtocolError(f"the response is not JSON: {response.text[:80]!r}") from exc

    def _post_stream(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._client.stream("POST", self.url, json=body) as response:
            if response.is_error:
                response.read()
                response.raise_for_status()
            return assemble_stream(response.iter_lines())


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
