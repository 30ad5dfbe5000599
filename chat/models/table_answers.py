"""Table questions: the cell at the row and column the question names, or the row with the
highest or lowest value of a column, cited to the table.

The question's words are matched against the table's own header and row labels (lower case,
plurals and verb or agent endings folded: "manages" meets "Manager", "forklifts" "Forklifts");
nothing here knows any particular file. A row is named by the words of one of its short cells
("North", "Specialist visit"), the cell's words weighted by how few rows share them; the asked
column by the header words the question uses that the row's own cell does not.

Usage::

    cell_answer("Who manages the North region?", tables_in(hits))
    # [("The North region's manager is Alice Moreau.", "regions.xlsx#page=1")]
    ranked_answer("Which region has the highest headcount?", tables_in(hits), None)
    # [("North has the highest headcount of the 4 rows in the table: 42.", "regions.xlsx#...")]
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from chat.models.tables import Row, Table
from chat.models.terms import content_terms, normalise, question_terms
from retrieval.query.superlatives import Direction

Piece = tuple[str, str]

# The sources a table is read from: those the sentence lookup quotes from too (a multi-part
# question's parts each bring their best page into them).
_TOP_SOURCES = 5
# A cell longer than this is prose (a description), not a row label.
_LABEL_WORDS = 8
# Share of a column's filled cells that must read as numbers for it to be ranked.
_NUMERIC_SHARE = 0.6
# Wh-words name a kind of column when no header word is used ("where is the Lab office?").
_WH_COLUMNS = (
    (re.compile(r"^\s*where\b", re.I), {"location", "city", "address", "place", "site", "country"}),
    (re.compile(r"^\s*when\b", re.I), {"date", "year", "time", "day", "open"}),
    (re.compile(r"^\s*who\b", re.I), {"name", "person", "contact", "owner"}),
)
_MAX = re.compile(r"\b(?:highest|most|largest|biggest|greatest|maximum|max|top|longest)\b", re.I)
_MIN = re.compile(r"\b(?:lowest|least|fewest|smallest|minimum|min|shortest)\b", re.I)
_NUMBER = re.compile(r"[$€£]?\s?(-?\d+(?:[.,]\d+)*)")


def stem(word: str) -> str:
    """:func:`normalise` plus agent endings, so a header's "Manager" meets "manages"."""
    word = normalise(word)
    for suffix in ("er", "or"):
        if len(word) >= 6 and word.endswith(suffix):
            word = word[: -len(suffix)]
            return word[:-1] if word.endswith("e") else word
    return word


def terms(text: str) -> frozenset[str]:
    return frozenset(stem(t) for t in content_terms(text))


@dataclass(frozen=True)
class _Found:
    table: Table
    row: Row
    key: int  # the column of the cell that named the row
    score: float


def cell_answer(
    question: str, tables: Sequence[Table], products: Sequence[str] = ()
) -> list[Piece] | None:
    """The cell at the named row and column of the best-ranked table that has both.

    ``products``: names of catalog products among the sources. A row named by a product's name
    ("Suggested pack: Halvard Scarp 45") is not asked about: the product's own record is.
    """
    asked = terms(question)
    named = [terms(name) for name in products]
    for table in _near(tables):
        found = _row(table, asked, question)
        if found is None or _names_a_product(found.row.cells[found.key], named):
            continue
        column = _column(table, question, asked - terms(found.row.cells[found.key]), found.key)
        if column is None:
            continue
        value = found.row.cells[column]
        if not value:
            continue
        return [(_cell_sentence(question, table, found, column, value), found.row.citation)]
    return None


def ranked_answer(
    question: str, tables: Sequence[Table], attribute: str | None, direction: Direction | None
) -> list[Piece] | None:
    """The row with the highest or lowest value in the column the question names (or, when it
    names none, the column named like ``attribute``), and the runners-up."""
    direction = direction or _direction(question)
    if direction is None:
        return None
    asked = terms(question) | (terms(attribute) if attribute else frozenset())
    for table in _near(tables):
        numeric = [i for i in range(len(table.header)) if _numeric(table.column(i))]
        column = _best_header(table, asked, numeric)
        label = _label_column(table, numeric)
        if column is None or label is None:
            continue
        return _ranked(question, table, column, label, direction)
    return None


def _header_then_label(header: str, label: str, question: str) -> bool:
    """Whether the question says the column's header then the label, as written ("Zone A"):
    the only way to name a row whose label is a stop word, not the article "a"."""
    if not header.strip() or not label.strip():
        return False
    pattern = rf"\b(?i:{re.escape(header.strip())})\s+{re.escape(label.strip())}(?!\w)"
    return re.search(pattern, question) is not None


def _names_a_product(label: str, products: list[frozenset[str]]) -> bool:
    own = terms(label)
    return any(own <= product for product in products)


def _near(tables: Sequence[Table]) -> list[Table]:
    """The tables among the best sources; named catalog products are left to the catalog field
    lookup and the product composers, which know their typed attributes and categories."""
    return [t for t in tables if t.rank < _TOP_SOURCES and not t.products]


def _row(table: Table, asked: frozenset[str], question: str) -> _Found | None:
    """The one row whose label cell the question names best; ``None`` on a tie."""
    df: dict[str, int] = {}
    cell_terms = [
        [terms(cell) if _is_label(cell) else frozenset() for cell in row.cells]
        for row in table.rows
    ]
    for row_terms in cell_terms:
        for term in frozenset().union(*row_terms):
            df[term] = df.get(term, 0) + 1
    scored = []
    for row, row_terms in zip(table.rows, cell_terms, strict=True):
        best = None
        for index, cell in enumerate(row_terms):
            shared = cell & asked
            if not cell and _header_then_label(table.header[index], row.cells[index], question):
                weight = math.log(1.0 + len(table.rows))  # "Zone A": a label of stop words
            # At least half of the label must be named: "care" does not name "Primary care visit".
            elif not shared or len(shared) * 2 < len(cell):
                continue
            else:
                weight = sum(math.log(1.0 + len(table.rows) / df[t]) for t in shared)
            if best is None or weight > best.score:
                best = _Found(table, row, index, weight)
        if best is not None:
            scored.append(best)
    scored.sort(key=lambda f: -f.score)
    if not scored or (len(scored) > 1 and scored[1].score >= scored[0].score - 1e-9):
        return None
    return scored[0]


def _column(table: Table, question: str, asked: frozenset[str], key: int) -> int | None:
    """The column the question asks for: by its header words, else by the words a question's
    phrasing implies ("how much" -> price, "where" -> a place)."""
    others = [i for i in range(len(table.header)) if i != key]
    found = _best_header(table, asked, others)
    if found is not None:
        return found
    implied = frozenset(stem(t) for t in question_terms(question).implied)
    for pattern, words in _WH_COLUMNS:
        if pattern.search(question):
            implied |= {stem(w) for w in words}
    return _best_header(table, implied, others)


def _best_header(table: Table, asked: frozenset[str], columns: list[int]) -> int | None:
    """The column whose header shares most words with ``asked`` (ties: the larger share of the
    header named); ``None`` when none shares any or two tie exactly."""
    scored = []
    for index in columns:
        header = terms(table.header[index])
        shared = len(header & asked)
        if shared:
            scored.append((shared, shared / len(header), index))
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[1][:2] == scored[0][:2]):
        return None
    return scored[0][2]


def _is_label(cell: str) -> bool:
    return bool(re.search(r"[^\W\d_]", cell)) and len(cell.split()) <= _LABEL_WORDS


def _cell_sentence(question: str, table: Table, found: _Found, column: int, value: str) -> str:
    label = found.row.cells[found.key]
    key_header = shown_header(table.header[found.key])
    asked = shown_header(table.header[column])
    # "the North region's manager" when the question calls the row by its header word too.
    if key_header and len(key_header.split()) == 1 and stem(key_header) in terms(question):
        named = f"The {label} {key_header}"
        # A verb ("Opened") or a plural ("Seats") reads better with a colon than with "is".
        if asked.endswith("ed"):
            return f"{named} {asked}: {_as_value(value)}"
        if asked.endswith("s"):
            return f"{named}'s {asked}: {_as_value(value)}"
        return f"{named}'s {asked} is {_as_value(value)}"
    return f"{asked[:1].upper()}{asked[1:]} for {label}: {_as_value(value)}"


def shown_header(header: str) -> str:
    """A header as it reads inside a sentence: "Budget (USD)" -> "budget (USD)", "pH" kept,
    "mileage_km" -> "mileage km"."""
    words = header.replace("_", " ").split()
    return " ".join(w if any(c.isupper() for c in w[1:]) else w.lower() for w in words)


def _as_value(value: str) -> str:
    return value if value.endswith((".", "!", "?")) else f"{value}."


def asks_to_rank(question: str) -> bool:
    """Whether the question asks for the highest or lowest of something."""
    return _direction(question) is not None


def _direction(question: str) -> Direction | None:
    if _MAX.search(question):
        return "max"
    if _MIN.search(question):
        return "min"
    return None


def number(cell: str) -> float | None:
    """The number a cell starts with ("$1,200" -> 1200.0, "42 people" -> 42.0), else ``None``:
    an identifier such as "S-01" or "KX-402" is not a quantity."""
    match = _NUMBER.match(cell.strip())
    if match is None:
        return None
    try:
        return float(match.group(1).replace(",", ""))
    except ValueError:
        return None


def _numeric(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    if len(filled) < 2:
        return False
    return sum(number(c) is not None for c in filled) >= _NUMERIC_SHARE * len(filled)


def _label_column(table: Table, numeric: list[int]) -> int | None:
    """The first column of labels: what names a row in the answer."""
    for index in range(len(table.header)):
        if index not in numeric and any(_is_label(c) for c in table.column(index)):
            return index
    return None


def _ranked(
    question: str, table: Table, column: int, label: int, direction: Direction
) -> list[Piece]:
    valued = [(r, v) for r in table.rows if (v := number(r.cells[column])) is not None]
    ordered = sorted(valued, key=lambda rv: rv[1], reverse=direction == "max")
    said = (_MAX if direction == "max" else _MIN).search(question)
    # The question's own word ("the fewest pallets", "the most forklifts") when it reads well.
    word = said.group(0).lower() if said else ""
    word = "" if word in {"max", "maximum", "min", "minimum", "top"} else word
    word = word or ("highest" if direction == "max" else "lowest")
    name = shown_header(table.header[column])
    best = ordered[0][0]
    pieces = [
        (
            f"{best.cells[label]} has the {word} {name} of the {len(valued)} rows in the "
            f"table: {best.cells[column]}.",
            best.citation,
        )
    ]
    pieces += [(f"Then {r.cells[label]}: {r.cells[column]}.", r.citation) for r, _ in ordered[1:3]]
    missing = [r.cells[label] for r in table.rows if number(r.cells[column]) is None]
    if missing:
        pieces.append((f"The table gives no {name} for {', '.join(missing)}.", ""))
    return pieces
