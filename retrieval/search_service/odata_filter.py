"""A recursive-descent parser for the subset of OData ``$filter`` the service understands.

Grammar (case-sensitive keywords, like the service)::

    expr     := and_expr ('or' and_expr)*
    and_expr := unary ('and' unary)*
    unary    := 'not' unary | primary
    primary  := '(' expr ')' | 'true' | 'false' | in_call
              | FIELD '/' ('any' | 'all') '(' [VAR ':' lambda] ')'
              | FIELD [CMP literal]          (a bare field means ``FIELD eq true``)
    in_call  := 'search.in' '(' FIELD ',' STRING [',' STRING] ')'
    lambda   := l_term ('or' l_term)*
    l_term   := '(' lambda ')' | VAR 'eq' STRING | 'search.in' '(' VAR ',' STRING [',' STRING] ')'

    >>> parse_filter("price le 100 and category eq 'Tents'")
    And(operands=(Compare(field='price', op='le', value=100), Compare(...)))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.search_service.errors import ServiceError

Literal = str | int | float | bool | None
COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")


@dataclass(frozen=True)
class Compare:
    field: str
    op: str
    value: Literal


@dataclass(frozen=True)
class InValues:
    """``search.in(field, 'a,b')``: the field equals one of the values."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class AnyOf:
    """``field/any(x: ...)``: some element equals one of ``values``; ``None``: non-empty."""

    field: str
    values: tuple[str, ...] | None


@dataclass(frozen=True)
class Constant:
    value: bool


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Compare | InValues | AnyOf | Constant | Not | And | Or

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^']|'')*')
      | (?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
      | (?P<punct>[(),:/])
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # string, number, name, punct, end
    text: str
    position: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            raise _invalid(f"unexpected character {text[position:].lstrip()[:1]!r}", position)
        tokens.append(_Token(match.lastgroup, match.group(match.lastgroup), match.start()))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _invalid(message: str, position: int) -> ServiceError:
    return ServiceError(400, "InvalidRequestParameter", f"Invalid $filter: {message} at {position}")


def _split_values(raw: str, delimiters: str | None) -> tuple[str, ...]:
    # The service's default delimiters are spaces and commas.
    pattern = f"[{re.escape(delimiters)}]+" if delimiters else r"[ ,]+"
    return tuple(v for v in re.split(pattern, raw) if v)


def _string_value(token: _Token) -> str:
    return token.text[1:-1].replace("''", "'")


class _Parser:
    def __init__(self, text: str) -> None:
        self._tokens = _tokenize(text)
        self._at = 0

    # -- token helpers ------------------------------------------------------------------------

    def _peek(self, offset: int = 0) -> _Token:
        return self._tokens[min(self._at + offset, len(self._tokens) - 1)]

    def _next(self) -> _Token:
        token = self._peek()
        self._at += 1
        return token

    def _accept(self, text: str) -> bool:
        if self._peek().kind in ("name", "punct") and self._peek().text == text:
            self._at += 1
            return True
        return False

    def _expect(self, text: str) -> None:
        if not self._accept(text):
            token = self._peek()
            raise _invalid(f"expected {text!r}, found {token.text or 'end'!r}", token.position)

    def _expect_kind(self, kind: str) -> _Token:
        token = self._next()
        if token.kind != kind:
            raise _invalid(f"expected a {kind}, found {token.text or 'end'!r}", token.position)
        return token

    # -- grammar ------------------------------------------------------------------------------

    def parse(self) -> Node:
        node = self._or()
        if self._peek().kind != "end":
            raise _invalid(f"unexpected {self._peek().text!r}", self._peek().position)
        return node

    def _or(self) -> Node:
        operands = [self._and()]
        while self._accept("or"):
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def _and(self) -> Node:
        operands = [self._unary()]
        while self._accept("and"):
            operands.append(self._unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def _unary(self) -> Node:
        if self._accept("not"):
            return Not(self._unary())
        return self._primary()

    def _primary(self) -> Node:
        if self._accept("("):
            node = self._or()
            self._expect(")")
            return node
        if self._accept("true"):
            return Constant(True)
        if self._accept("false"):
            return Constant(False)
        if self._accept("search.in"):
            field, values = self._in_call()
            return InValues(field, values)
        field = self._field()
        if self._accept("/"):
            return self._lambda(field)
        if self._peek().kind == "name" and self._peek().text in COMPARISONS:
            op = self._next().text
            return Compare(field, op, self._literal())
        return Compare(field, "eq", True)

    def _field(self) -> str:
        token = self._expect_kind("name")
        if "." in token.text or token.text in ("and", "or", "not", "null"):
            raise _invalid(f"expected a field name, found {token.text!r}", token.position)
        return token.text

    def _in_call(self) -> tuple[str, tuple[str, ...]]:
        self._expect("(")
        field = self._field()
        self._expect(",")
        raw = _string_value(self._expect_kind("string"))
        delimiters = _string_value(self._expect_kind("string")) if self._accept(",") else None
        self._expect(")")
        return field, _split_values(raw, delimiters)

    def _lambda(self, field: str) -> Node:
        operator = self._next()
        if operator.text == "all":
            raise _invalid("all() is not supported by the local service", operator.position)
        if operator.text != "any":
            raise _invalid(f"expected any or all, found {operator.text!r}", operator.position)
        self._expect("(")
        if self._accept(")"):
            return AnyOf(field, None)
        variable = self._field()
        self._expect(":")
        values = self._lambda_or(variable)
        self._expect(")")
        return AnyOf(field, values)

    def _lambda_or(self, variable: str) -> tuple[str, ...]:
        values = list(self._lambda_term(variable))
        while self._accept("or"):
            values.extend(self._lambda_term(variable))
        return tuple(values)

    def _lambda_term(self, variable: str) -> tuple[str, ...]:
        if self._accept("("):
            values = self._lambda_or(variable)
            self._expect(")")
            return values
        if self._accept("search.in"):
            name, values = self._in_call()
            self._check_variable(name, variable)
            return values
        name = self._field()
        self._check_variable(name, variable)
        self._expect("eq")
        return (_string_value(self._expect_kind("string")),)

    def _check_variable(self, name: str, variable: str) -> None:
        if name != variable:
            raise _invalid(
                f"the lambda uses {name!r} but declares {variable!r}", self._peek().position
            )

    def _literal(self) -> Literal:
        token = self._next()
        if token.kind == "string":
            return _string_value(token)
        if token.kind == "number":
            is_float = any(c in token.text for c in ".eE")
            return float(token.text) if is_float else int(token.text)
        if token.kind == "name" and token.text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[token.text]
        raise _invalid(f"expected a literal, found {token.text or 'end'!r}", token.position)


def parse_filter(text: str) -> Node:
    """The syntax tree of an OData filter; raises ServiceError(400) naming the problem."""
    if not text.strip():
        raise _invalid("the filter is empty", 0)
    return _Parser(text).parse()
