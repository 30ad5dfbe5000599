"""The optional query-planning step: turn the conversation into a search query and filters.

Ridgeline's chat service works without a planner (the question is searched as asked); a planner
(query rewriting, constraints in natural language turned into filters) plugs in as a callable.

Usage::

    def planner(messages: Sequence[ChatMessage]) -> PlannedQuery:
        return PlannedQuery(query="tents under 300", filters=SearchFilters(max_price=300))
    ChatService(retriever=retriever, model=model, planner=planner)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from ridgeline.types import ChatMessage, SearchFilters


class PlannedQuery(BaseModel):
    """What to search for; ``details`` is shown as is in the answer's thoughts."""

    model_config = ConfigDict(frozen=True)

    query: str
    filters: SearchFilters | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    about_image: bool = False  # the question came with an image that is searched for


class Plan(Protocol):
    """What a planner returns (``PlannedQuery``, or retrieval's ``QueryPlan``)."""

    @property
    def query(self) -> str: ...

    @property
    def filters(self) -> SearchFilters | None: ...

    @property
    def details(self) -> dict[str, Any]: ...

    @property
    def about_image(self) -> bool: ...


QueryPlanner = Callable[[Sequence[ChatMessage]], Plan]
