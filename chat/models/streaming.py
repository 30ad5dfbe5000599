"""Chat models that stream their answer, and a way to stream from any chat model.

A streaming model yields text pieces as they are written, then one final :class:`Answer` with the
whole text and the token usage. Models that cannot stream (the offline extractive answerer) are
wrapped: their answer comes out sentence by sentence, each sentence with its citations.

Usage::

    for event in stream_answer(model, messages, sources):
        if isinstance(event, str):
            print(event, end="")
        else:
            usage = event.prompt_tokens
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

from ridgeline.protocols import ChatModel
from ridgeline.types import Answer, ChatMessage, SearchHit

AnswerEvent = str | Answer

# A sentence ends at . ! ? or a closing citation bracket, then whitespace, unless a citation
# follows (it belongs to the sentence before it). "$250.00" never splits: no space follows.
_PIECE_END = re.compile(r"(?<=[.!?\]])(\s+)(?!\[)")


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
    yield from sentence_pieces(answer.text)
    yield answer


def sentence_pieces(text: str) -> list[str]:
    """``text`` cut after each sentence (and its citations); the pieces join back to ``text``.

    >>> sentence_pieces("Tents cost $250.00. [p.csv#id=7] Poles are extra.")
    ['Tents cost $250.00. [p.csv#id=7] ', 'Poles are extra.']
    """
    pieces: list[str] = []
    start = 0
    for match in _PIECE_END.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text) or not pieces:
        pieces.append(text[start:])
    return pieces
