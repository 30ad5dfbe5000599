"""The chat use case: plan a search for the conversation, retrieve sources, answer from them
(all at once or streamed), check the answer's citations, and explain how it was made.

Usage::

    service = ChatService(retriever=retriever, model=ExtractiveAnswerer())
    response = service.chat(ChatRequest.model_validate(body))
    for event in service.stream(ChatRequest.model_validate(body)):
        ...  # {"type": "response.context", ...}, {"type": "response.output_text.delta", ...}
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from chat import thoughts
from chat.citations import keep_known_citations, known_citations
from chat.compared import with_compared_records
from chat.followups import not_asked, offline_followups, split_followups
from chat.images import DEFAULT_MAX_IMAGE_PIXELS, attached_image_file, inline_image
from chat.models.extractive import DONT_KNOW, DONT_KNOW_START
from chat.models.request_building import RequestBuildingChatModel
from chat.models.streaming import stream_answer
from chat.models.tunable import TunableChatModel
from chat.planning import Plan, PlannedQuery, QueryPlanner
from chat.protocol import ChatRequest, ChatResponse, DataPoints, Overrides, ResponseContext
from chat.protocol import ThoughtStep as Thought
from chat.relaxation import relaxed_search
from chat.stream_filters import StreamEditor
from chat.unknown_names import unknown_names
from retrieval.query.constraints import relaxed_prices
from ridgeline.protocols import ChatModel, Retriever
from ridgeline.settings import RetrievalMode
from ridgeline.types import AccessScope, Answer, SearchFilters, SearchHit, merge_filters

# (stored image path, its document's source) -> a URL a client can show, or None (left out).
ContentName = Callable[[str, str], str | None]


@dataclass
class _Turn:
    """Everything decided before the answer is written."""

    request: ChatRequest
    hits: list[SearchHit]
    sources: list[SearchHit]
    model: ChatModel
    # An LLM (a tunable model) writes its own follow-up questions as <<markup>>.
    writes_followups: bool = False
    thoughts: list[Thought] = field(default_factory=list)
    # Set when the sources cannot answer at all (a name no indexed document mentions).
    refusal: str | None = None

    @property
    def overrides(self) -> Overrides:
        return self.request.overrides


class ChatService:
    """Answers chat requests: conversation -> (plan) -> search -> chat model -> cited response.

    ``planner`` rewrites the question into a query and filters (optional); ``content_name``
    turns a stored image path into the URL the data points give (``/content/...`` from a
    ContentStore; by default a ``data:`` URL): never a server path.
    ``image_weight``: the image ranking's weight in the fusion when the plan says the question
    is about its image (the text rankings then carry only what was read off the photo).
    """

    def __init__(
        self,
        *,
        retriever: Retriever,
        model: ChatModel,
        default_top: int = 5,
        default_mode: RetrievalMode = "hybrid",
        planner: QueryPlanner | None = None,
        content_name: ContentName = inline_image,
        max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS,
        image_weight: float = 1.0,
    ) -> None:
        self.retriever = retriever
        self.model = model
        self.default_top = default_top
        self.default_mode = default_mode
        self.planner = planner
        self.content_name = content_name
        self.max_image_pixels = max_image_pixels
        self.image_weight = image_weight

    def chat(self, request: ChatRequest, *, scope: AccessScope | None = None) -> ChatResponse:
        """The whole answer at once. ``scope``: whose documents may be searched (None: all)."""
        turn = self._prepare(request, scope)
        answer = self._answer(turn)
        text, removed = keep_known_citations(answer.text, known_citations(turn.sources))
        text, followups = self._followups(turn, text)
        turn.thoughts += [
            thoughts.answer_thought(
                answer, turn.overrides, messages=turn.request.chat_messages(), sources=turn.sources
            ),
            *thoughts.removed_citations_note(removed),
        ]
        return ChatResponse(
            output_text=text,
            context=self._context(turn, followups),
            session_state=request.session_state,
        )

    def stream(
        self, request: ChatRequest, *, scope: AccessScope | None = None
    ) -> Iterator[dict[str, Any]]:
        """NDJSON events as in the reference sample: a first ``response.context`` event with the
        sources and thoughts, ``response.output_text.delta`` events, and a final
        ``response.context`` event with the follow-up questions and token usage.

        The search runs before this returns: a request that cannot be answered (a bad image,
        a failing index) raises here, before a streamed response has started.
        """
        return self._events(self._prepare(request, scope))

    def _events(self, turn: _Turn) -> Iterator[dict[str, Any]]:
        yield self._context_event(turn, [])
        editor = StreamEditor(known=known_citations(turn.sources))
        answer = Answer(text="", model=turn.model.name)
        for event in self._answer_events(turn):
            if isinstance(event, Answer):
                answer = event
                continue
            if shown := editor.feed(event):
                yield {"type": "response.output_text.delta", "delta": shown}
        if rest := editor.finish():
            yield {"type": "response.output_text.delta", "delta": rest}
        _, followups = self._followups(turn, editor.followup_text)
        turn.thoughts += [
            thoughts.answer_thought(
                answer, turn.overrides, messages=turn.request.chat_messages(), sources=turn.sources
            ),
            *thoughts.removed_citations_note(editor.removed),
        ]
        yield self._context_event(turn, followups)

    # -- before the answer -------------------------------------------------------------------

    def _prepare(self, request: ChatRequest, scope: AccessScope | None) -> _Turn:
        overrides = request.overrides
        plan = self._plan(request)
        mode, mode_notes = self._mode(overrides)
        # A plan that ranks a category's products asks for more sources (QueryPlan.wants_top).
        top = overrides.top or max(self.default_top, getattr(plan, "wants_top", None) or 0)
        filters = merge_filters(plan.filters, _override_filters(overrides), _scoped(scope))
        image_url = _query_image(request)
        weights = self._weights(plan)
        hits = self._search(plan.query, image_url, mode=mode, top=top, filters=filters, **weights)
        relaxed = relaxed_prices(filters, plan.filters, _override_filters(overrides))
        hits, relaxation = relaxed_search(
            request.question,
            hits,
            filters,
            relaxed,
            lambda wider: self._search(
                plan.query, image_url, mode=mode, top=top, filters=wider, **weights
            ),
        )
        if relaxation is not None:
            mode_notes.append(thoughts.note("Constraint relaxed", relaxation))
        hits = with_compared_records(
            request.question,
            hits,
            filters,
            lambda text, wanted: self._search(text, None, mode=mode, top=2, filters=wanted),
        )
        hits = _above(_readable(hits, scope), overrides.minimum_search_score)
        model = self._model_for(overrides)
        sources = _sources_for_model(hits, overrides)
        turn = _Turn(
            request=request,
            hits=hits,
            sources=sources,
            model=model,
            writes_followups=isinstance(self.model, TunableChatModel),
        )
        turn.refusal = self._refusal(request, hits, model, scope)
        turn.thoughts = [
            thoughts.search_thought(
                plan.query,
                mode=mode,
                top=top,
                filters=filters,
                plan=plan.details,
                image_query=image_url is not None,
            ),
            *mode_notes,
            thoughts.results_thought(hits, minimum_score=overrides.minimum_search_score),
            thoughts.prompt_thought(_prompt_of(model, request, sources), model=model.name),
        ]
        if turn.refusal is not None:
            turn.thoughts.append(thoughts.note("Not answered", turn.refusal))
        return turn

    def _refusal(
        self,
        request: ChatRequest,
        hits: list[SearchHit],
        model: ChatModel,
        scope: AccessScope | None,
    ) -> str | None:
        """A refusal when the question names something no readable document mentions.

        Only for the offline answerers: an LLM reads the sources and can say so itself, and
        it also answers conversational turns ("Thanks, Ann!") that name no indexed thing.
        """
        if not hits or isinstance(model, TunableChatModel):
            return None
        filters = _scoped(scope)

        def is_indexed(name: str) -> bool:
            return bool(self.retriever.search(name, mode="text", top=1, filters=filters))

        unknown = unknown_names(request.question, hits, is_indexed)
        if not unknown:
            return None
        return f"{DONT_KNOW_START}: the indexed sources do not mention {', '.join(unknown)}."

    def _plan(self, request: ChatRequest) -> Plan:
        if self.planner is None:
            return PlannedQuery(query=request.question)
        messages = request.chat_messages()
        if _query_image(request) is None and messages[-1].images:
            # The image is not searched for (image search off, or not a data: URL), so the
            # question is planned from its words alone, as if no image came with it.
            messages[-1] = messages[-1].model_copy(update={"images": ()})
        return self.planner(messages)

    def _weights(self, plan: Plan) -> dict[str, Any]:
        """``weights=`` for the search, only when they change it (any Retriever takes none)."""
        if not plan.about_image or self.image_weight == 1.0:
            return {}
        return {"weights": {"image": self.image_weight}}

    def _mode(self, overrides: Overrides) -> tuple[RetrievalMode, list[Thought]]:
        mode = overrides.retrieval_mode or self.default_mode
        if overrides.search_text_embeddings or mode == "text":
            return mode, []
        why = "search_text_embeddings is off: the query is matched by its words only"
        return "text", [thoughts.note("Retrieval mode changed", why, requested=mode)]

    def _search(
        self,
        query: str,
        image_url: str | None,
        *,
        mode: RetrievalMode,
        top: int,
        filters: SearchFilters | None,
        **weights: Any,
    ) -> list[SearchHit]:
        if image_url is None:
            if not query.strip():
                return []
            return self.retriever.search(query, mode=mode, top=top, filters=filters, **weights)
        with ExitStack() as stack:
            image = stack.enter_context(
                attached_image_file(image_url, max_pixels=self.max_image_pixels)
            )
            return self.retriever.search(
                query, mode=mode, top=top, filters=filters, image=image, **weights
            )

    def _model_for(self, overrides: Overrides) -> ChatModel:
        if not isinstance(self.model, TunableChatModel):
            return self.model
        return self.model.with_options(
            temperature=overrides.temperature,
            seed=overrides.seed,
            prompt_template=overrides.prompt_template,
            suggest_followups=overrides.suggest_followup_questions,
        )

    # -- the answer --------------------------------------------------------------------------

    def _answer(self, turn: _Turn) -> Answer:
        if not turn.hits:
            return Answer(text=DONT_KNOW, model=turn.model.name)
        if turn.refusal is not None:
            return Answer(text=turn.refusal, model=turn.model.name)
        return turn.model.answer(turn.request.chat_messages(), turn.sources)

    def _answer_events(self, turn: _Turn) -> Iterator[str | Answer]:
        if not turn.hits:
            yield DONT_KNOW
            yield Answer(text=DONT_KNOW, model=turn.model.name)
            return
        if turn.refusal is not None:
            yield turn.refusal
            yield Answer(text=turn.refusal, model=turn.model.name)
            return
        yield from stream_answer(turn.model, turn.request.chat_messages(), turn.sources)

    def _followups(self, turn: _Turn, text: str) -> tuple[str, list[str]]:
        if not turn.overrides.suggest_followup_questions:
            return text, []
        asked = turn.request.user_questions()
        if turn.writes_followups:
            answer, suggested = split_followups(text)
            return answer, not_asked(suggested, asked)
        return text, offline_followups(turn.request.question, turn.hits, asked=asked)

    # -- the response ------------------------------------------------------------------------

    def _context(self, turn: _Turn, followups: list[str]) -> ResponseContext:
        return ResponseContext(
            data_points=self._data_points(turn),
            thoughts=list(turn.thoughts),
            followup_questions=followups,
        )

    def _context_event(self, turn: _Turn, followups: list[str]) -> dict[str, Any]:
        context = self._context(turn, followups).model_dump(mode="json")
        return {
            "type": "response.context",
            "context": context,
            "session_state": turn.request.session_state,
        }

    def _data_points(self, turn: _Turn) -> DataPoints:
        sources = turn.sources
        text = [
            f"{hit.chunk.citation}: {' '.join(hit.chunk.content.split())}"
            for hit in sources
            if hit.chunk.content
        ]
        named = (
            self.content_name(image.path, hit.chunk.source)
            for hit in sources
            for image in hit.chunk.images
        )
        images = [url for url in named if url is not None]
        return DataPoints(
            text=text, images=list(dict.fromkeys(images)), citations=_citations(sources)
        )


def _override_filters(overrides: Overrides) -> SearchFilters | None:
    given = overrides.model_dump(
        include={"include_category", "exclude_category", "material", "colour"}, exclude_none=True
    )
    if overrides.attribute_ranges:
        given["attribute_ranges"] = tuple(overrides.attribute_ranges)
    return SearchFilters.model_validate(given) if given else None


def _scoped(scope: AccessScope | None) -> SearchFilters | None:
    return SearchFilters(access=scope) if scope is not None else None


def _query_image(request: ChatRequest) -> str | None:
    """The first attached ``data:`` image, when image search is on."""
    if not request.overrides.search_image_embeddings:
        return None
    return next((url for url in request.attached_images if url.startswith("data:")), None)


def _readable(hits: list[SearchHit], scope: AccessScope | None) -> list[SearchHit]:
    """Defence in depth: the index filters by access, and nothing it lets through by mistake
    reaches the answer either."""
    if scope is None:
        return hits
    return [hit for hit in hits if _may_read(hit, scope)]


def _may_read(hit: SearchHit, scope: AccessScope) -> bool:
    chunk = hit.chunk
    if not chunk.access_users and not chunk.access_groups:
        return True
    if scope.user_id is not None and scope.user_id in chunk.access_users:
        return True
    return bool(set(scope.group_ids) & set(chunk.access_groups))


def _above(hits: list[SearchHit], minimum: float | None) -> list[SearchHit]:
    return hits if minimum is None else [hit for hit in hits if hit.score >= minimum]


def _sources_for_model(hits: list[SearchHit], overrides: Overrides) -> list[SearchHit]:
    """The hits as the model sees them: without text or images when the request says so."""
    update: dict[str, Any] = {}
    if not overrides.send_text_sources:
        update["content"] = ""
    if not overrides.send_image_sources:
        update["images"] = ()
    if not update:
        return hits
    return [hit.model_copy(update={"chunk": hit.chunk.model_copy(update=update)}) for hit in hits]


def _prompt_of(
    model: ChatModel, request: ChatRequest, sources: Sequence[SearchHit]
) -> list[dict[str, Any]] | None:
    if not isinstance(model, RequestBuildingChatModel) or not sources:
        return None
    messages: list[dict[str, Any]] = model.request(request.chat_messages(), sources)["messages"]
    return messages


def _citations(hits: Sequence[SearchHit]) -> list[str]:
    """The sources' citations in rank order, each once."""
    return list(dict.fromkeys(hit.chunk.citation for hit in hits))
