"""The body of ``POST /indexes('name')/docs/search.post.search``, for the subset the service runs.

Parameters the service does not implement (orderby, semantic ranking, highlights, scoring
profiles...) are refused with a 400 naming them, rather than silently ignored.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from retrieval.search_service.errors import bad_request, not_supported

DEFAULT_TOP = 50


class VectorQuery(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    kind: str = "vector"
    vector: list[float] = Field(default_factory=list)
    fields: str
    k: int | None = Field(default=None, ge=1, le=10_000)
    weight: float | None = Field(default=None, gt=0)
    exhaustive: bool | None = None  # the local service always searches exhaustively

    def field_names(self) -> list[str]:
        return [name.strip() for name in self.fields.split(",") if name.strip()]


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    search: str | None = None
    filter: str | None = None
    top: int | None = Field(default=None, ge=0)
    skip: int | None = Field(default=None, ge=0, le=100_000)
    select: str | None = None
    count: bool = False
    facets: list[str] = Field(default_factory=list)
    vector_queries: list[VectorQuery] = Field(default_factory=list, alias="vectorQueries")
    query_type: str | None = Field(default=None, alias="queryType")
    search_mode: str | None = Field(default=None, alias="searchMode")
    search_fields: str | None = Field(default=None, alias="searchFields")
    vector_filter_mode: str | None = Field(default=None, alias="vectorFilterMode")

    @property
    def window(self) -> int:
        """How many ranked results the response needs: skip + top."""
        return (self.skip or 0) + (DEFAULT_TOP if self.top is None else self.top)

    def full_text(self) -> str | None:
        """The search text, or None when the query matches all documents (``*`` or empty)."""
        text = (self.search or "").strip()
        return None if text in ("", "*") else text


def parse_search_request(body: Any) -> SearchRequest:
    if not isinstance(body, dict):
        raise bad_request("the search request must be a JSON object")
    try:
        request = SearchRequest.model_validate(body)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise bad_request(f"invalid search parameter {where}: {error['msg']}") from exc
    _refuse_unsupported(request)
    return request


def _refuse_unsupported(request: SearchRequest) -> None:
    for name, value in (request.model_extra or {}).items():
        if value not in (None, [], ""):
            raise not_supported(f"the search parameter {name!r}")
    if request.query_type not in (None, "simple"):
        raise not_supported(f"queryType {request.query_type!r} (semantic ranking, Lucene syntax)")
    if request.search_mode not in (None, "any"):
        raise not_supported(f"searchMode {request.search_mode!r}")
    if request.vector_filter_mode not in (None, "preFilter"):
        raise not_supported(f"vectorFilterMode {request.vector_filter_mode!r}")
    for query in request.vector_queries:
        if query.kind != "vector":
            raise not_supported(f"vector queries of kind {query.kind!r}")
        for name, value in (query.model_extra or {}).items():
            if value not in (None, [], ""):
                raise not_supported(f"the vector query parameter {name!r}")
