"""Multi-part questions answered part by part: each part the rule decomposer finds is composed
(or looked up) on its own over the same sources and cited; a part the sources do not answer
is said to be unanswered instead of being passed over.

The multi-query retriever already searched each part, so every part's best page is among the
sources; this makes the answer use them. A part is answered once: a nested call (the lookup of
one part) never splits its part again.

Usage::

    pieces = answer_parts(question, hits, compose_one=one, lookup=answerer_pieces)
    # [("Balance billing is ...", "plan.pdf#page=3"), ("The plan protects ...", "plan.pdf#page=9")]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar

from retrieval.query.decompose import decompose_with_rules
from ridgeline.types import ChatMessage, SearchHit

Piece = tuple[str, str]
# The answerer's own way to answer a question from sources (its sentence lookup).
Lookup = Callable[[Sequence[ChatMessage], Sequence[SearchHit]], list[Piece]]
ComposeOne = Callable[[str], list[Piece] | None]

_inside_part: ContextVar[bool] = ContextVar("inside_part", default=False)


def answer_parts(
    question: str,
    sources: Sequence[SearchHit],
    *,
    compose_one: ComposeOne,
    lookup: Lookup | None,
    parts: Sequence[str] | None = None,
) -> list[Piece] | None:
    """Each part's cited answer in order, or ``None`` for a question of one part (or when no
    part is answered: the whole question is then answered as one). ``parts``: the parts to
    answer, when the caller split the question itself (the sides of a comparison).

    Without ``lookup`` (an LLM writes the answer) only the parts a composer computes facts
    for are given, and unanswered parts are not noted: the model reads the sources itself.
    """
    parts = list(parts) if parts is not None else decompose_with_rules(question)
    if len(parts) < 2 or _inside_part.get():
        return None
    token = _inside_part.set(True)
    try:
        answers = [(part, _answer_part(part, sources, compose_one, lookup)) for part in parts]
    finally:
        _inside_part.reset(token)
    if not any(pieces for _, pieces in answers):
        return None
    return _joined(question, answers, note_missing=lookup is not None)


def _answer_part(
    part: str, sources: Sequence[SearchHit], compose_one: ComposeOne, lookup: Lookup | None
) -> list[Piece]:
    composed = compose_one(part)
    if composed:
        return composed
    if lookup is None:
        return []
    return lookup([ChatMessage(role="user", content=part)], sources)


def _joined(
    question: str, answers: list[tuple[str, list[Piece]]], *, note_missing: bool
) -> list[Piece]:
    pieces: list[Piece] = []
    said: set[str] = set()
    for part, found in answers:
        fresh = [p for p in found if _key(p[0]) not in said]
        said.update(_key(text) for text, _ in fresh)
        if fresh:
            pieces += fresh
        elif not found and note_missing:
            pieces.append(
                (f'Nothing in the sources found answers "{_as_asked(part, question)}".', "")
            )
    return pieces


def _key(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


def _as_asked(part: str, question: str) -> str:
    """The part as the question words it, without the subject words the decomposer borrowed
    from the first part for searching."""
    words = part.split()
    for end in range(len(words), 0, -1):
        if " ".join(words[:end]) in question:
            return " ".join(words[:end]).rstrip("?.,; ")
    return part.rstrip("?.,; ")
