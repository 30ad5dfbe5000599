"""The "thought process" steps shown with an answer: the query plan and filters, the hits with
their scores, the prompt, the token usage and any correction made to the answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chat.protocol import Overrides
from chat.protocol import ThoughtStep as Thought
from ridgeline.settings import RetrievalMode
from ridgeline.types import Answer, SearchFilters, SearchHit

# Data URLs in a prompt are cut to this many characters in the thoughts.
_SHOWN_URL_CHARS = 64


def search_thought(
    query: str,
    *,
    mode: RetrievalMode,
    top: int,
    filters: SearchFilters | None,
    plan: dict[str, Any],
    image_query: bool,
) -> Thought:
    props = {
        "retrieval_mode": mode,
        "top": top,
        "filters": filters.model_dump(mode="json", exclude_none=True) if filters else None,
        "use_text_search": mode in ("text", "hybrid"),
        "use_vector_search": mode in ("vectors", "hybrid"),
        "use_image_query": image_query,
        "query_plan": plan,
    }
    return Thought(title="Search query and filters", description=query, props=props)


def results_thought(hits: Sequence[SearchHit], *, minimum_score: float | None) -> Thought:
    results = [
        {
            "rank": rank,
            "citation": hit.chunk.citation,
            "score": hit.score,
            "text_rank": hit.text_rank,
            "vector_rank": hit.vector_rank,
            "image_rank": hit.image_rank,
            "category": hit.chunk.category,
            "content": hit.chunk.content,
        }
        for rank, hit in enumerate(hits, start=1)
    ]
    props = {"count": len(hits), "minimum_search_score": minimum_score}
    return Thought(title="Search results", description=results, props=props)


def prompt_thought(messages: list[dict[str, Any]] | None, *, model: str) -> Thought:
    if messages is None:
        description: Any = f"{model}: quotes source sentences, no prompt is sent to an LLM"
    else:
        description = [_shown_message(message) for message in messages]
    return Thought(title="Prompt to generate answer", description=description, props={})


def answer_thought(answer: Answer, overrides: Overrides) -> Thought:
    usage = {
        "prompt_tokens": answer.prompt_tokens,
        "completion_tokens": answer.completion_tokens,
        "total_tokens": (answer.prompt_tokens or 0) + (answer.completion_tokens or 0)
        if answer.prompt_tokens is not None
        else None,
    }
    props = {
        "model": answer.model,
        "token_usage": usage,
        "requested_temperature": overrides.temperature,
        "requested_seed": overrides.seed,
    }
    return Thought(title="Answer generation", description=answer.model, props=props)


def note(title: str, description: str, **props: Any) -> Thought:
    return Thought(title=title, description=description, props=props)


def removed_citations_note(removed: list[str]) -> list[Thought]:
    if not removed:
        return []
    return [
        note(
            "Citations removed",
            "The answer cited sources that were not sent to the model; they were removed.",
            citations=removed,
        )
    ]


def _shown_message(message: dict[str, Any]) -> dict[str, Any]:
    content = message.get("content")
    if not isinstance(content, list):
        return message
    parts = []
    for part in content:
        if part.get("type") == "image_url":
            url = str(part["image_url"]["url"])
            shown = url if len(url) <= _SHOWN_URL_CHARS else f"{url[:_SHOWN_URL_CHARS]}..."
            part = {"type": "image_url", "image_url": {"url": shown}}
        parts.append(part)
    return {**message, "content": parts}
