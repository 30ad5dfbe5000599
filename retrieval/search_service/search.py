"""Running a search request against an index's LanceDB table.

- Full text: BM25 over the searchable string fields (words of the query, any of them matches).
- Vectors: exact nearest neighbours of each vector query (metric from the field's profile),
  scored ``1 / (1 + distance)``; documents without a vector in that field are never returned.
- Several rankings (text and vectors) are fused by reciprocal rank, ``sum(weight / (60 + rank))``,
  as the service does for hybrid queries. The filter is applied inside every ranking.
- ``search`` empty or ``*`` without vector queries matches every document (score 1.0).

Counts and facets cover everything a query matched, up to ``MATCH_CAP`` full-text matches and
each vector query's ``k`` neighbours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lancedb.query import LanceVectorQueryBuilder, MatchQuery, MultiMatchQuery
from lancedb.table import Table

from retrieval.search_service.documents import to_json
from retrieval.search_service.errors import bad_request
from retrieval.search_service.facets import facet_counts, parse_facet
from retrieval.search_service.index_definition import IndexDefinition
from retrieval.search_service.odata_filter import parse_filter
from retrieval.search_service.odata_sql import column, filter_to_sql
from retrieval.search_service.search_request import SearchRequest, VectorQuery

RRF_K = 60
MATCH_CAP = 10_000
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Ranked:
    key: str
    score: float
    row: dict[str, Any]


def run_search(table: Table, definition: IndexDefinition, request: SearchRequest) -> dict:
    """The response body: ``value`` (ranked documents), ``@odata.count``, ``@search.facets``."""
    where = filter_to_sql(parse_filter(request.filter), definition) if request.filter else None
    select = _select(request.select, definition)
    facets = [parse_facet(text, definition) for text in request.facets]
    columns = sorted({definition.key_field.name, *select, *(f.field for f in facets)})
    everything = request.count or bool(facets)
    matches = _matches(table, definition, request, where=where, columns=columns, all_=everything)
    start = request.skip or 0
    page = matches[start : request.window]
    body: dict[str, Any] = {}
    if request.count:
        body["@odata.count"] = _count(table, request, where, matches)
    if facets:
        rows = [m.row for m in matches]
        body["@search.facets"] = {f.field: facet_counts(f, rows, definition) for f in facets}
    body["value"] = [{"@search.score": m.score, **to_json(m.row, select)} for m in page]
    return body


def _field_list(
    text: str | None, allowed: list[str], *, parameter: str, kind: str, star: bool = False
) -> list[str]:
    """The comma-separated field names of ``parameter``, each one of ``allowed`` (all of them
    when the parameter is absent or empty, or ``*`` where ``star`` allows that)."""
    if text is None or not text.strip() or (star and text.strip() == "*"):
        return allowed
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in names:
        if name not in allowed:
            raise bad_request(f"invalid {parameter}: {name!r} is not a {kind} field")
    return names


def _select(text: str | None, definition: IndexDefinition) -> list[str]:
    return _field_list(
        text, definition.retrievable_fields(), parameter="$select", kind="retrievable", star=True
    )


def _matches(
    table: Table,
    definition: IndexDefinition,
    request: SearchRequest,
    *,
    where: str | None,
    columns: list[str],
    all_: bool,
) -> list[_Ranked]:
    """The ranked matches: at least ``request.window`` of them, all of them when ``all_``."""
    text = request.full_text()
    key = definition.key_field.name
    if text is None and not request.vector_queries:
        limit = None if all_ else request.window
        return [_Ranked(r[key], 1.0, r) for r in _scan(table, where, columns, limit=limit)]
    rankings: list[tuple[float, list[_Ranked]]] = []
    if text is not None:
        limit = MATCH_CAP if all_ else max(request.window, 50)
        rankings.append((1.0, _full_text(table, definition, request, text, where, columns, limit)))
    for query in request.vector_queries:
        for name in query.field_names():
            ranked = _vector(table, definition, query, name, where, columns)
            rankings.append((query.weight or 1.0, ranked))
    return rankings[0][1] if len(rankings) == 1 else _fuse(rankings)


def _scan(table: Table, where: str | None, columns: list[str], *, limit: int | None) -> list:
    query = table.search().select(columns).limit(limit)
    if where is not None:
        query = query.where(where)
    return list(query.to_list())


def _full_text(
    table: Table,
    definition: IndexDefinition,
    request: SearchRequest,
    text: str,
    where: str | None,
    columns: list[str],
    limit: int,
) -> list[_Ranked]:
    terms = " ".join(_WORD.findall(text.lower()))
    fields = _search_fields(request.search_fields, definition)
    if not terms or not fields:
        return []
    # lancedb declares these options' defaults positionally (Field(1.0, kw_only=True)), which
    # mypy reads as required arguments.
    match = (
        MatchQuery(terms, fields[0])  # type: ignore[call-arg]  # defaults unseen, see above
        if len(fields) == 1
        else MultiMatchQuery(terms, fields)  # type: ignore[call-arg]  # defaults unseen
    )
    query = table.search(match, query_type="fts").select([*columns, "_score"]).limit(limit)
    if where is not None:
        query = query.where(where, prefilter=True)
    key = definition.key_field.name
    return [_Ranked(r[key], float(r["_score"]), r) for r in query.to_list()]


def _search_fields(text: str | None, definition: IndexDefinition) -> list[str]:
    return _field_list(
        text, definition.full_text_fields(), parameter="searchFields", kind="searchable"
    )


def _vector(
    table: Table,
    definition: IndexDefinition,
    query: VectorQuery,
    name: str,
    where: str | None,
    columns: list[str],
) -> list[_Ranked]:
    field = definition.field(name)
    if field is None or not field.is_vector:
        raise bad_request(f"invalid vector query: {name!r} is not a vector field")
    if len(query.vector) != field.dimensions:
        raise bad_request(
            f"invalid vector query: {len(query.vector)} values, {name!r} has {field.dimensions}"
        )
    present = f"{column(name)} IS NOT NULL"
    nearest = table.search(query.vector, query_type="vector", vector_column_name=name)
    if not isinstance(nearest, LanceVectorQueryBuilder):  # Table.search is typed for every kind
        raise TypeError(f"lancedb answered a vector query with {type(nearest).__name__}")
    search = (
        nearest.distance_type(definition.vector_metric(field))
        .select([*columns, "_distance"])
        .where(present if where is None else f"{present} AND {where}", prefilter=True)
        .limit(query.k or 50)
    )
    key = definition.key_field.name
    return [_Ranked(r[key], 1.0 / (1.0 + float(r["_distance"])), r) for r in search.to_list()]


def _fuse(rankings: list[tuple[float, list[_Ranked]]]) -> list[_Ranked]:
    scores: dict[str, float] = {}
    rows: dict[str, dict[str, Any]] = {}
    for weight, ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item.key] = scores.get(item.key, 0.0) + weight / (RRF_K + rank)
            rows.setdefault(item.key, item.row)
    ordered = sorted(scores, key=lambda key: (-scores[key], key))
    return [_Ranked(key, scores[key], rows[key]) for key in ordered]


def _count(table: Table, request: SearchRequest, where: str | None, matches: list) -> int:
    if request.full_text() is None and not request.vector_queries:
        return int(table.count_rows(where) if where else table.count_rows())
    return len(matches)
