"""The grounded prompt sent to LLM chat models: rules, the conversation, the question and sources.

Usage::

    messages = build_grounded_messages(conversation, hits)
    client.chat.completions.create(model=..., messages=messages)
"""

from __future__ import annotations

from collections.abc import Sequence

from ridgeline.types import ChatMessage, SearchHit

SYSTEM_PROMPT = """\
You are an assistant that answers questions using only the sources given with the question.
Each source starts with its citation in square brackets, for example [handbook.pdf#page=3].
Rules:
- Use only facts stated in the sources. Do not use outside knowledge.
- After every fact, cite the source it comes from with that source's citation in square brackets,
  written exactly as given, e.g. [products.csv#id=7]. Cite each source separately:
  [a.pdf#page=1][b.pdf#page=2], never [a.pdf#page=1, b.pdf#page=2].
- If the sources do not contain the answer, say that you don't know. Do not guess.
- Answer briefly, in the language of the question."""

SOURCES_START = "<sources>"
SOURCES_END = "</sources>"


def format_sources(sources: Sequence[SearchHit]) -> str:
    """The sources as one delimited block, each prefixed with its bracketed citation."""
    entries = [f"[{hit.chunk.citation}]: {_flatten(hit.chunk.content)}" for hit in sources]
    return "\n".join([SOURCES_START, *entries, SOURCES_END])


def build_grounded_messages(
    messages: Sequence[ChatMessage], sources: Sequence[SearchHit]
) -> list[dict[str, str]]:
    """Chat-completions messages: the rules, the earlier turns, then the question with sources.

    System messages from the client are dropped: the grounding rules are not negotiable.
    """
    conversation = [m for m in messages if m.role in ("user", "assistant")]
    if not conversation or conversation[-1].role != "user":
        raise ValueError("the conversation must end with a user message")
    *history, question = conversation
    turns = [{"role": m.role, "content": m.content} for m in history]
    final = f"{question.content}\n\nSources:\n{format_sources(sources)}"
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        *turns,
        {"role": "user", "content": final},
    ]


def _flatten(content: str) -> str:
    # One source per line keeps the block unambiguous; a source can't close the block early.
    flat = " ".join(content.split())
    return flat.replace(SOURCES_END, "</ sources>")
