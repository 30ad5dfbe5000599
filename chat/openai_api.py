"""Ridgeline behind the OpenAI chat-completions protocol: the request is turned into a chat
request, and the service's answer (or its stream of events) into chat-completion objects with
an extra ``context`` field holding the sources, thoughts and follow-up questions.

Usage::

    request = CompletionRequest.model_validate(body)
    completion = to_completion(service.chat(request.to_chat_request()), model="ridgeline")
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chat.protocol import (
    ChatRequest,
    ChatResponse,
    RequestContext,
    RequestMessage,
    check_last_message,
    refuse_lone_surrogates,
)
from ridgeline.errors import RidgelineError


class CompletionRequest(BaseModel):
    """The chat-completions body; ``context.overrides`` (as in ``/chat``) is an extension."""

    model_config = ConfigDict(extra="ignore")

    model: str = "ridgeline"
    messages: list[RequestMessage] = Field(min_length=1)
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    seed: int | None = None
    stream: bool = False
    context: RequestContext = Field(default_factory=RequestContext)

    _valid_unicode = model_validator(mode="before")(refuse_lone_surrogates)

    @model_validator(mode="after")
    def _last_message_is_a_user_question(self) -> CompletionRequest:
        # Checked here, where a failure is a 422: the ChatRequest built from it checks again.
        check_last_message(self.messages)
        return self

    def to_chat_request(self) -> ChatRequest:
        overrides = self.context.overrides.model_copy(
            update={
                key: value
                for key, value in {"temperature": self.temperature, "seed": self.seed}.items()
                if value is not None
            }
        )
        return ChatRequest(
            messages=self.messages, context=RequestContext(overrides=overrides), session_state=None
        )


def models_list(model: str) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [{"id": model, "object": "model", "created": 0, "owned_by": "ridgeline"}],
    }


def to_completion(response: ChatResponse, *, model: str) -> dict[str, Any]:
    context = response.context.model_dump(mode="json")
    return {
        "id": _new_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": response.output_text},
                "finish_reason": "stop",
            }
        ],
        "usage": _usage(context),
        "context": context,
    }


def to_sse(events: Iterator[dict[str, Any]], *, model: str) -> Iterator[str]:
    """Server-sent chat-completion chunks from the service's stream events, then ``[DONE]``.

    A failure after the stream started is sent as an ``error`` event, which OpenAI clients raise.
    """
    chunk_id, created = _new_id(), int(time.time())

    def chunk(delta: dict[str, Any], **extra: Any) -> str:
        body = {
            "id": chunk_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": extra.pop("finish", None)}],
            **extra,
        }
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    try:
        yield from _chunks(events, chunk)
    except Exception as exc:  # the stream has started: the error can only travel in it
        error = {"message": _error_text(exc), "type": "server_error"}
        yield f"data: {json.dumps({'error': error})}\n\n"
        return
    yield "data: [DONE]\n\n"


def _chunks(events: Iterator[dict[str, Any]], chunk: Any) -> Iterator[str]:
    first = True
    for event in events:
        if event["type"] == "response.output_text.delta":
            yield chunk({"content": event["delta"]})
        elif first:
            first = False
            yield chunk({"role": "assistant", "content": ""})
        else:
            context = event["context"]
            yield chunk({}, finish="stop", usage=_usage(context), context=context)


def _usage(context: dict[str, Any]) -> dict[str, int] | None:
    for thought in context.get("thoughts", []):
        usage = thought.get("props", {}).get("token_usage")
        if usage and usage.get("prompt_tokens") is not None:
            prompt, completion = usage["prompt_tokens"], usage.get("completion_tokens") or 0
            return {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            }
    return None


def _error_text(exc: Exception) -> str:
    if isinstance(exc, RidgelineError):
        return str(exc)
    return "internal error: the answer could not be completed"


def _new_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"
