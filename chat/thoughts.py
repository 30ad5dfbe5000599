"""The "thought process" steps shown with an answer: the query plan and filters, the hits with
their scores, the prompt, the token usage and any correction made to the answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chat.protocol import Overrides
from chat.protocol import ThoughtStep as Thought
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.settings import RetrievalMode
from ridgeline.types import Answer, ChatMessage, SearchFilters, SearchHit

# Data URLs in a prompt are cut to this many characters in the thoughts.
_SHOWN_URL_CHARS = 64
# The encoding of the GPT-4-class models the reference sample uses.
_COUNTING_ENCODING = "cl100k_base"


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
        # Not "query_plan": the reference frontend reserves that key for agentic retrieval plans
        # (a list of steps) and hides it otherwise.
        "search_plan": plan,
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


def answer_thought(
    answer: Answer,
    overrides: Overrides,
    *,
    messages: Sequence[ChatMessage],
    sources: Sequence[SearchHit],
) -> Thought:
    usage, counted_by = token_usage(answer, messages, sources)
    props = {
        "model": answer.model,
        "token_usage": usage,
        "token_count": counted_by,
        "requested_temperature": overrides.temperature,
        "requested_seed": overrides.seed,
    }
    return Thought(title="Answer generation", description=answer.model, props=props)


def token_usage(
    answer: Answer, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]
) -> tuple[dict[str, int], str]:
    """The answer's token usage in the reference shape, and who counted it.

    An LLM's reported usage is taken as it is. A model that reports none (the offline answerer,
    an endpoint without usage) is counted here with tiktoken: what it read (the conversation and
    the sources) as the prompt, the answer as the completion.
    """
    prompt, completion = answer.prompt_tokens, answer.completion_tokens
    counted_by = "reported by the model"
    if prompt is None or completion is None:
        tokenizer = TiktokenTokenizer(_COUNTING_ENCODING)
        read = [m.content for m in messages] + [
            f"{h.chunk.citation}: {h.chunk.content}" for h in sources
        ]
        prompt = tokenizer.count("\n".join(read)) if prompt is None else prompt
        completion = tokenizer.count(answer.text) if completion is None else completion
        counted_by = f"counted with tiktoken ({_COUNTING_ENCODING})"
    usage = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "reasoning_tokens": 0,
        "total_tokens": prompt + completion,
    }
    return usage, counted_by


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
