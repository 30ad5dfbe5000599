"""An OData filter syntax tree -> a LanceDB SQL predicate, checked against the index's fields.

Comparisons follow OData's two-valued logic: a null field is never ``eq`` a value and always
``ne`` it, so ``not`` of any comparison stays well defined (SQL would make both NULL).

    >>> filter_to_sql(parse_filter("category eq 'Tents'"), definition)
    "(`category` IS NOT NULL AND `category` = 'Tents')"
"""

from __future__ import annotations

import math
from typing import TypeGuard

from retrieval.search_service.errors import bad_request
from retrieval.search_service.index_definition import (
    NUMERIC_TYPES,
    STRING,
    STRING_COLLECTION,
    FieldDefinition,
    IndexDefinition,
)
from retrieval.search_service.odata_filter import (
    And,
    AnyOf,
    Compare,
    Constant,
    InValues,
    Literal,
    Node,
    Not,
    Or,
)

_SQL_OPS = {"eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


def filter_to_sql(node: Node, definition: IndexDefinition) -> str:
    """The SQL predicate for ``node``; raises ServiceError(400) for unknown or unfit fields."""
    if isinstance(node, Constant):
        return "TRUE" if node.value else "FALSE"
    if isinstance(node, Not):
        return f"(NOT {filter_to_sql(node.operand, definition)})"
    if isinstance(node, And | Or):
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(filter_to_sql(n, definition) for n in node.operands) + ")"
    if isinstance(node, Compare):
        return _compare(node, _filterable(node.field, definition))
    if isinstance(node, InValues):
        return _in_values(node, _filterable(node.field, definition))
    return _any_of(node, _filterable(node.field, definition))


def sql_string(value: str) -> str:
    if "\x00" in value:
        raise bad_request("a NUL character cannot appear in a filter value")
    return "'" + value.replace("'", "''") + "'"


def column(name: str) -> str:
    return f"`{name}`"


def _filterable(name: str, definition: IndexDefinition) -> FieldDefinition:
    field = definition.field(name)
    if field is None:
        raise bad_request(f"Invalid $filter: could not find a field named {name!r}")
    if field.filterable is False or field.is_vector:
        raise bad_request(f"Invalid $filter: the field {name!r} is not filterable")
    return field


def _compare(node: Compare, field: FieldDefinition) -> str:
    col = column(field.name)
    if field.type == STRING_COLLECTION:
        raise bad_request(f"Invalid $filter: compare elements of {field.name!r} with any()")
    if node.value is None:
        if node.op not in ("eq", "ne"):
            raise bad_request(f"Invalid $filter: null can only be compared with eq or ne ({col})")
        return f"{col} IS NULL" if node.op == "eq" else f"{col} IS NOT NULL"
    value = _literal(node.value, field, op=node.op)
    if node.op == "ne":
        return f"({col} IS NULL OR {col} <> {value})"
    return f"({col} IS NOT NULL AND {col} {_SQL_OPS[node.op]} {value})"


def _literal(value: Literal, field: FieldDefinition, *, op: str) -> str:
    if field.type == STRING and isinstance(value, str):
        return sql_string(value)
    if field.type == "Edm.Boolean" and isinstance(value, bool) and op in ("eq", "ne"):
        return "true" if value else "false"
    if field.type in NUMERIC_TYPES and _is_number(value):
        if field.type != "Edm.Double" and isinstance(value, float):
            raise bad_request(f"Invalid $filter: {field.name!r} is an integer field")
        if not math.isfinite(value):
            raise bad_request(f"Invalid $filter: {value!r} is not a finite number")
        return repr(value)
    raise bad_request(
        f"Invalid $filter: {value!r} cannot be compared with {op} to {field.name!r} ({field.type})"
    )


def _is_number(value: Literal) -> TypeGuard[int | float]:
    """An int or float literal; ``True`` and ``False`` are booleans here, not 1 and 0."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _in_values(node: InValues, field: FieldDefinition) -> str:
    if field.type != STRING:
        raise bad_request(f"Invalid $filter: search.in needs a string field, not {field.name!r}")
    if not node.values:
        return "FALSE"
    col = column(field.name)
    values = ", ".join(sql_string(v) for v in node.values)
    return f"({col} IS NOT NULL AND {col} IN ({values}))"


def _any_of(node: AnyOf, field: FieldDefinition) -> str:
    if field.type != STRING_COLLECTION:
        raise bad_request(f"Invalid $filter: any() needs a string collection, not {field.name!r}")
    col = column(field.name)
    if node.values is None:
        return f"({col} IS NOT NULL AND array_length({col}) > 0)"
    if not node.values:
        return "FALSE"
    values = ", ".join(sql_string(v) for v in node.values)
    return f"({col} IS NOT NULL AND array_has_any({col}, [{values}]))"
