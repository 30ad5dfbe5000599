"""The query plan: a conversation in, a standalone query and filters out, explained.

:class:`QueryPlanner` rewrites the last user turn (an LLM when configured, rules otherwise),
turns the price, category and brand constraints in it into filters (categories and brands
matched against the index's facet values), and returns a :class:`QueryPlan` whose ``details``
the chat service shows in the answer's thoughts. When the last user message carries an image,
the image is what is searched for: the question is not rewritten (its "this" is the image) and
only the words that add to the image reach the text query (:mod:`retrieval.query.image_question`).

    >>> planner = QueryPlanner(facets=index)          # index.facets("category") -> values
    >>> plan = planner.plan(messages)
    >>> retriever.search(plan.query, mode="hybrid", top=5, filters=plan.filters)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from retrieval.query.constraints import MatchedConstraint, extract_constraints, without_prices
from retrieval.query.decompose import compared_sides
from retrieval.query.image_question import about_the_image
from retrieval.query.rewrite import LlmQueryRewriter, last_user_message, rewrite_with_rules
from retrieval.query.superlatives import asks_to_rank
from ridgeline.providers.llm_types import LlmClient, TokenUsage
from ridgeline.types import ChatMessage, SearchFilters, merge_filters

RewriteMethod = Literal["none", "rules", "llm"]


class FacetSource(Protocol):
    """Anything that lists a field's values (the search index): a mapping value -> count, or
    an iterable of values or of (value, count) pairs."""

    def facets(self, field: str, *, filters: SearchFilters | None = None) -> Any: ...


class QueryPlan(BaseModel):
    """What to search for and why; ``details`` is the plan in words for the thoughts panel."""

    model_config = ConfigDict(frozen=True)

    question: str
    rewritten: str
    rewrite_method: RewriteMethod
    query: str
    filters: SearchFilters | None = None
    constraints: tuple[MatchedConstraint, ...] = ()
    # What asking an LLM to rewrite cost (tokens, as the endpoint counted them); None: not asked.
    rewrite_token_usage: dict[str, int] | None = None
    about_image: bool = False  # the question came with an image: only its constraints are text
    # How many sources the answer needs: a superlative over a category ranks all its products.
    wants_top: int | None = None

    @property
    def details(self) -> dict[str, Any]:
        details = {
            "question": self.question,
            "rewritten_query": self.rewritten,
            "rewrite": self.rewrite_method,
            "search_query": self.query,
            "about_image": self.about_image,
            "constraints": [c.model_dump() for c in self.constraints],
            "filters": self.filters.model_dump(exclude_none=True, exclude_defaults=True)
            if self.filters
            else {},
        }
        if self.rewrite_token_usage is not None:
            details["rewrite_token_usage"] = self.rewrite_token_usage
        return details


def facet_values(source: FacetSource, field: str) -> list[str]:
    """The distinct non-empty values of ``field`` in ``source``, whatever shape it answers in."""
    answer = source.facets(field)
    items: Iterable[Any] = answer.keys() if isinstance(answer, Mapping) else answer
    values = []
    for item in items:
        value = item[0] if isinstance(item, tuple) else getattr(item, "value", item)
        if isinstance(value, str) and value.strip():
            values.append(value)
    return values


class QueryPlanner:
    """Plans a search from a conversation. Configuration only in ``__init__``.

    ``facets``: where category and brand names come from (the index, asked at each plan so new
    catalog rows count); ``categories``/``brands``: fixed lists instead. ``llm``: rewrite
    with it (rules when absent or failing). ``rewrite``: turn rewriting off entirely.
    """

    def __init__(
        self,
        *,
        facets: FacetSource | None = None,
        categories: Sequence[str] = (),
        brands: Sequence[str] = (),
        llm: LlmClient | None = None,
        rewrite: bool = True,
    ) -> None:
        self._facets = facets
        self._categories = tuple(categories)
        self._brands = tuple(brands)
        self._llm = LlmQueryRewriter(llm=llm) if llm is not None else None
        self._rewrite = rewrite

    def plan(
        self, messages: Sequence[ChatMessage], *, filters: SearchFilters | None = None
    ) -> QueryPlan:
        question = last_user_message(messages)
        image = _carries_an_image(messages)
        rewritten, method, usage = (
            (question, "none", None) if image else self._rewritten(messages, question)
        )
        categories, brands = self._names()
        # A comparison names two products, often by brand: one brand filter would hide the other.
        brands = [] if compared_sides(rewritten) else brands
        found = extract_constraints(rewritten, categories=categories, brands=brands)
        return QueryPlan(
            question=question,
            rewritten=rewritten,
            rewrite_method=method,
            query=about_the_image(without_prices(rewritten)) if image else found.remaining_text,
            filters=merge_filters(found.filters, filters),
            constraints=found.matched,
            rewrite_token_usage=usage.as_dict() if usage else None,
            about_image=image,
            wants_top=_wants_top(rewritten, found.matched),
        )

    def _rewritten(
        self, messages: Sequence[ChatMessage], question: str
    ) -> tuple[str, RewriteMethod, TokenUsage | None]:
        if not self._rewrite:
            return question, "none", None
        usage = None
        if self._llm is not None:
            attempt = self._llm.attempt(messages)
            usage = attempt.usage
            if attempt.query is not None:
                return attempt.query, "llm", usage
        rewritten = rewrite_with_rules(messages)
        return rewritten, "rules" if rewritten != question else "none", usage

    def _names(self) -> tuple[list[str], list[str]]:
        categories, brands = list(self._categories), list(self._brands)
        if self._facets is not None:
            categories += facet_values(self._facets, "category")
            brands += facet_values(self._facets, "brand")
        return categories, brands


# Enough for every product of one category in a shop catalog; the service takes the larger of
# this and its own top.
RANKING_TOP = 20


# "The cheapest thing you sell": a ranking over the whole catalog, no category named.
_ANY_PRODUCT = re.compile(
    r"\b(?:things?|products?|items?|gear|you (?:sell|have|stock|carry)|in stock)\b", re.IGNORECASE
)


def _wants_top(question: str, matched: Sequence[MatchedConstraint]) -> int | None:
    """More sources when the question ranks the products of a category it names, or of the
    whole catalog."""
    names_category = any(c.kind == "category" for c in matched)
    ranks_products = names_category or bool(_ANY_PRODUCT.search(question))
    return RANKING_TOP if ranks_products and asks_to_rank(question) else None


def _carries_an_image(messages: Sequence[ChatMessage]) -> bool:
    """Whether the last user message has an image attached (the one searched for)."""
    last = next((m for m in reversed(messages) if m.role == "user"), None)
    return last is not None and bool(last.images)


def plan_query(
    messages: Sequence[ChatMessage],
    *,
    facets: FacetSource | None = None,
    categories: Sequence[str] = (),
    brands: Sequence[str] = (),
    llm: LlmClient | None = None,
    filters: SearchFilters | None = None,
) -> QueryPlan:
    """One-shot :meth:`QueryPlanner.plan`."""
    planner = QueryPlanner(facets=facets, categories=categories, brands=brands, llm=llm)
    return planner.plan(messages, filters=filters)
