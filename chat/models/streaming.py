"""Chat models that stream their answer, and a way to stream from any chat model.

A streaming model yields text pieces as they are written, then one final :class:`Answer` with the
whole text and the token usage. Models that cannot stream are wrapped: their answer comes out as
one piece.

Usage::

    for event in stream_answer(model, messages, sources):
        if isinstance(event, str):
            print(event, end="")
        else:
            usage = event.prompt_tokens
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

from ridgeline.protocols import ChatModel
from ridgeline.types import Answer, ChatMessage, SearchHit

AnswerEvent = str | Answer


@runtime_checkable
class StreamingChatModel(ChatModel, Protocol):
    """A ChatModel that can also yield its answer piece by piece, ending with the Answer."""

    def stream(
        self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]
    ) -> Iterator[AnswerEvent]: ...


def stream_answer(
    model: ChatModel, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]
) -> Iterator[AnswerEvent]:
    """Text pieces then the final Answer, from a streaming model or any other one."""
    if isinstance(model, StreamingChatModel):
        yield from model.stream(messages, sources)
        return
    answer = model.answer(messages, sources)
    yield answer.text
    yield answer
