"""The system under evaluation, seen through the chat protocol's wire shape.

A :class:`Target` answers one question. :class:`InProcessTarget` calls a function that takes a
chat request body and returns a chat response body (the dicts of ``POST /chat``), so the harness
depends on the protocol, not on the chat package's internals.

Example::

    target = InProcessTarget(lambda body: chat_service.handle(body))
    result = target.ask("What does the plan cover?", overrides={"top": 5})
    result.answer, result.source_citations, result.latency_s
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eval.citations import extract_citations

ChatFunction = Callable[[dict[str, Any]], dict[str, Any]]


class TargetResult(BaseModel):
    """One answer as the harness scores it; ``error`` is set (and the rest empty) on failure."""

    model_config = ConfigDict(frozen=True)

    answer: str = ""
    answer_citations: list[str] = Field(default_factory=list)
    source_citations: list[str] = Field(default_factory=list)  # rank order, best first
    latency_s: float
    error: str | None = None


class Target(Protocol):
    """Anything that answers a question under the given chat overrides."""

    def ask(self, question: str, *, overrides: dict[str, Any]) -> TargetResult: ...


class _DataPoints(BaseModel):
    citations: list[str] = Field(default_factory=list)


class _ResponseContext(BaseModel):
    data_points: _DataPoints = Field(default_factory=_DataPoints)


class _ChatResponse(BaseModel):
    """The part of a chat response body the harness reads; other keys are ignored."""

    output_text: str
    context: _ResponseContext = Field(default_factory=_ResponseContext)


class InProcessTarget:
    """A target that calls a chat function in this process and times each call.

    An exception from the chat function, or a response that is not in the protocol's shape,
    becomes a :class:`TargetResult` with ``error`` set, so one bad question does not end a run.
    """

    def __init__(self, chat: ChatFunction) -> None:
        self._chat = chat

    def ask(self, question: str, *, overrides: dict[str, Any]) -> TargetResult:
        body = {
            "messages": [{"role": "user", "content": question}],
            "context": {"overrides": dict(overrides)},
        }
        started = time.perf_counter()
        try:
            raw = self._chat(body)
        except Exception as exc:  # any failure of the system under test is a result to record
            return TargetResult(latency_s=time.perf_counter() - started, error=_describe(exc))
        latency_s = time.perf_counter() - started
        try:
            response = _ChatResponse.model_validate(raw)
        except ValidationError as exc:
            return TargetResult(latency_s=latency_s, error=_describe_shape(exc))
        return TargetResult(
            answer=response.output_text,
            answer_citations=extract_citations(response.output_text),
            source_citations=response.context.data_points.citations,
            latency_s=latency_s,
        )


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _describe_shape(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"response is not a chat protocol body: {where}: {first['msg']}"
