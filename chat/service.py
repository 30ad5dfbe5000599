"""The chat use case: retrieve sources for the user's question, answer from them, explain how.

Usage::

    service = ChatService(retriever=retriever, model=ExtractiveAnswerer())
    response = service.chat(ChatRequest.model_validate(body))
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from chat.citations import keep_known_citations
from chat.models.tunable import TunableChatModel
from chat.protocol import ChatRequest, ChatResponse, DataPoints, Overrides, ResponseContext
from chat.protocol import ThoughtStep as Thought
from ridgeline.protocols import ChatModel, Retriever
from ridgeline.settings import RetrievalMode
from ridgeline.types import Answer, SearchFilters, SearchHit


class ChatService:
    """Answers one chat request: last user message -> search -> chat model -> cited response."""

    def __init__(
        self,
        *,
        retriever: Retriever,
        model: ChatModel,
        default_top: int = 5,
        default_mode: RetrievalMode = "hybrid",
    ) -> None:
        self.retriever = retriever
        self.model = model
        self.default_top = default_top
        self.default_mode = default_mode

    def chat(self, request: ChatRequest) -> ChatResponse:
        overrides = request.overrides
        query = request.question  # first depth: the question as asked, no query rewriting
        mode = overrides.retrieval_mode or self.default_mode
        top = overrides.top or self.default_top
        filters = _filters(overrides)
        hits = self.retriever.search(query, mode=mode, top=top, filters=filters)
        answer = self._model_for(overrides).answer(request.chat_messages(), hits)
        text, removed = keep_known_citations(answer.text, _known_citations(hits))
        thoughts = [
            _search_thought(query, mode=mode, top=top, filters=filters),
            _results_thought(hits),
            _answer_thought(answer, overrides),
            *_notes(removed, overrides),
        ]
        context = ResponseContext(data_points=_data_points(hits), thoughts=thoughts)
        return ChatResponse(output_text=text, context=context, session_state=request.session_state)

    def _model_for(self, overrides: Overrides) -> ChatModel:
        wants_options = overrides.temperature is not None or overrides.seed is not None
        if wants_options and isinstance(self.model, TunableChatModel):
            return self.model.with_options(temperature=overrides.temperature, seed=overrides.seed)
        return self.model


def _filters(overrides: Overrides) -> SearchFilters | None:
    if overrides.include_category is None and overrides.exclude_category is None:
        return None
    return SearchFilters(
        include_category=overrides.include_category, exclude_category=overrides.exclude_category
    )


def _citations(hits: Sequence[SearchHit]) -> list[str]:
    """The sources' citations in rank order, each once."""
    return list(dict.fromkeys(hit.chunk.citation for hit in hits))


def _known_citations(hits: Sequence[SearchHit]) -> set[str]:
    """Citations an answer may use: each source, and each of its figures as "ref(figure.png)"."""
    known = set(_citations(hits))
    for hit in hits:
        for image in hit.chunk.images:
            known.add(f"{hit.chunk.citation}({PurePosixPath(image.path).name})")
    return known


def _data_points(hits: Sequence[SearchHit]) -> DataPoints:
    text = [f"{hit.chunk.citation}: {' '.join(hit.chunk.content.split())}" for hit in hits]
    images = [image.path for hit in hits for image in hit.chunk.images]
    return DataPoints(text=text, images=list(dict.fromkeys(images)), citations=_citations(hits))


def _search_thought(
    query: str, *, mode: RetrievalMode, top: int, filters: SearchFilters | None
) -> Thought:
    props = {
        "retrieval_mode": mode,
        "top": top,
        "filters": filters.model_dump(exclude_none=True) if filters else None,
        "use_text_search": mode in ("text", "hybrid"),
        "use_vector_search": mode in ("vectors", "hybrid"),
    }
    return Thought(title="Search query and filters", description=query, props=props)


def _results_thought(hits: Sequence[SearchHit]) -> Thought:
    results = [
        {
            "rank": rank,
            "citation": hit.chunk.citation,
            "score": hit.score,
            "text_rank": hit.text_rank,
            "vector_rank": hit.vector_rank,
            "category": hit.chunk.category,
            "content": hit.chunk.content,
        }
        for rank, hit in enumerate(hits, start=1)
    ]
    return Thought(title="Search results", description=results, props={"count": len(hits)})


def _answer_thought(answer: Answer, overrides: Overrides) -> Thought:
    props = {
        "model": answer.model,
        "token_usage": {
            "prompt_tokens": answer.prompt_tokens,
            "completion_tokens": answer.completion_tokens,
        },
        "requested_temperature": overrides.temperature,
        "requested_seed": overrides.seed,
    }
    return Thought(title="Answer generation", description=answer.model, props=props)


def _notes(removed: list[str], overrides: Overrides) -> list[Thought]:
    notes = []
    if removed:
        notes.append(
            Thought(
                title="Citations removed",
                description="The answer cited sources that were not retrieved; they were removed.",
                props={"citations": removed},
            )
        )
    if overrides.suggest_followup_questions:
        notes.append(
            Thought(
                title="Follow-up questions",
                description="Follow-up question suggestions are not available yet.",
            )
        )
    return notes
