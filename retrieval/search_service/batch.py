"""``POST /indexes('name')/docs/search.index``: apply upload/merge/mergeOrUpload/delete actions.

The actions are replayed in order in memory over the rows they touch, then written as one upsert
and one delete. A ``merge`` of a missing document fails alone (status 404), as on the service;
the others still succeed, and the response is then a 207.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from lancedb.table import Table

from retrieval.search_service.documents import check_key, full_row, partial_row
from retrieval.search_service.errors import bad_request
from retrieval.search_service.index_definition import IndexDefinition
from retrieval.search_service.odata_sql import column, sql_string

ACTIONS = ("upload", "merge", "mergeOrUpload", "delete")
_REFRESH_ROWS = 1_000  # unindexed rows that trigger an optimize() of the full-text indices


@dataclass(frozen=True)
class Action:
    kind: str
    key: str
    values: dict[str, Any]


@dataclass
class _Replay:
    rows: dict[str, dict[str, Any] | None]  # None: deleted
    touched: set[str] = field(default_factory=set)
    results: list[dict[str, Any]] = field(default_factory=list)

    def result(self, key: str, status: int, error: str | None = None) -> None:
        self.results.append(
            {"key": key, "status": error is None, "errorMessage": error, "statusCode": status}
        )


def parse_actions(body: Any, definition: IndexDefinition) -> list[Action]:
    """Validate the whole batch first: one bad action refuses the batch (400)."""
    values = body.get("value") if isinstance(body, dict) else None
    if not isinstance(values, list) or not values:
        raise bad_request("the batch must be an object with a non-empty 'value' list")
    key_name = definition.key_field.name
    actions = []
    for item in values:
        if not isinstance(item, dict):
            raise bad_request("every action in 'value' must be a JSON object")
        kind = item.get("@search.action", "upload")
        if kind not in ACTIONS:
            raise bad_request(f"unknown @search.action {kind!r}: use one of {', '.join(ACTIONS)}")
        key = check_key(item.get(key_name))
        values_ = partial_row(item, definition, key=key) if kind != "delete" else {}
        actions.append(Action(kind, key, values_))
    return actions


def apply_actions(
    table: Table, definition: IndexDefinition, actions: Sequence[Action]
) -> list[dict[str, Any]]:
    """Apply the actions and return one result per action, in order."""
    key_name = definition.key_field.name
    written_keys = {a.key for a in actions if a.kind != "delete"}
    replay = _Replay(rows=_existing_rows(table, key_name, written_keys))
    for action in actions:
        _replay_one(replay, action, definition)
    upserts = [r for k, r in replay.rows.items() if k in replay.touched and r is not None]
    deletes = [k for k, r in replay.rows.items() if k in replay.touched and r is None]
    if upserts:
        rows = pa.Table.from_pylist(upserts, schema=definition.arrow_schema())
        table.merge_insert(
            key_name
        ).when_matched_update_all().when_not_matched_insert_all().execute(rows)
    if deletes:
        table.delete(_key_in(key_name, deletes))
    _maintain(table)
    return replay.results


def _replay_one(replay: _Replay, action: Action, definition: IndexDefinition) -> None:
    current = replay.rows.get(action.key)
    if action.kind == "delete":
        replay.rows[action.key] = None
        replay.touched.add(action.key)
        replay.result(action.key, 200)
    elif action.kind == "upload" or (action.kind == "mergeOrUpload" and current is None):
        replay.rows[action.key] = full_row(action.values, definition)
        replay.touched.add(action.key)
        replay.result(action.key, 200 if current is not None else 201)
    elif current is None:
        replay.result(action.key, 404, "Document not found.")
    else:
        replay.rows[action.key] = {**current, **action.values}
        replay.touched.add(action.key)
        replay.result(action.key, 200)


def _existing_rows(table: Table, key_name: str, keys: set[str]) -> dict[str, dict | None]:
    if not keys:
        return {}
    rows = table.search().where(_key_in(key_name, sorted(keys))).limit(len(keys)).to_list()
    return {row[key_name]: row for row in rows}


def _key_in(key_name: str, keys: Sequence[str]) -> str:
    return f"{column(key_name)} IN ({', '.join(sql_string(k) for k in keys)})"


def _maintain(table: Table) -> None:
    """Fold new rows into the full-text indices once enough of them are searched flat."""
    for index in table.list_indices():
        if index.index_type != "FTS":
            continue
        stats = table.index_stats(index.name)
        if stats is not None and stats.num_unindexed_rows >= _REFRESH_ROWS:
            table.optimize()
            return
