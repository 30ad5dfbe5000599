"""Document collections in JSON Lines: one document per line, cited as ``docs.jsonl#id=<id>``.

Each line is an object with ``text`` (required), ``id`` (default: the line number), ``title`` and
``metadata`` (an object; ``category``, ``brand`` and ``price`` in it become filterable fields)::

    {"id": "kb-12", "title": "Returns", "text": "Returns are accepted within 30 days.",
     "metadata": {"category": "Policies"}}

Blank lines are skipped. A line that is not such an object fails the file with its line number.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, StrictFloat, StrictInt, StrictStr, ValidationError

from ingestion.parsers.text_files import read_text_file
from ridgeline.errors import CorruptFileError
from ridgeline.types import Page

Scalar = StrictStr | StrictInt | StrictFloat | bool | None


class JsonlDocument(BaseModel):
    """One line of a ``.jsonl`` collection."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: StrictStr | StrictInt | None = None
    title: StrictStr | None = None
    text: StrictStr
    metadata: dict[str, Scalar | list[Scalar]] = {}


class JsonlParser:
    """Parses a ``.jsonl`` document collection into one citable page per line.

    >>> pages = list(JsonlParser().parse(Path("kb.jsonl"), source="kb.jsonl"))  # doctest: +SKIP
    >>> pages[0].record_id, pages[0].title  # doctest: +SKIP
    ('kb-12', 'Returns')
    """

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        first_line: dict[str, int] = {}
        for number, line in enumerate(read_text_file(path).split("\n"), start=1):
            if not line.strip():
                continue
            document = _document(line, path=path, number=number)
            record_id = str(document.id) if document.id is not None else str(number)
            if record_id in first_line:
                raise CorruptFileError(
                    path,
                    f"lines {first_line[record_id]} and {number} have the same id {record_id!r}",
                )
            first_line[record_id] = number
            yield _page(document, record_id=record_id, source=source, path=path, number=number)


def _document(line: str, *, path: Path, number: int) -> JsonlDocument:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorruptFileError(path, f"line {number}: not valid JSON ({exc.msg})") from None
    if not isinstance(value, dict):
        raise CorruptFileError(path, f"line {number}: expected a JSON object with a 'text' field")
    try:
        document = JsonlDocument.model_validate(value)
    except ValidationError as exc:
        problems = "; ".join(_problem(error) for error in exc.errors())
        raise CorruptFileError(path, f"line {number}: {problems}") from None
    if not document.text.strip():
        raise CorruptFileError(path, f"line {number}: 'text' is empty")
    return document


def _problem(error: object) -> str:
    assert isinstance(error, dict)
    where = ".".join(str(part) for part in error["loc"]) or "line"
    if error["type"] == "extra_forbidden":
        return f"unknown field {where!r} (fields: id, title, text, metadata)"
    return f"{where!r}: {error['msg']}"


def _page(document: JsonlDocument, *, record_id: str, source: str, path: Path, number: int) -> Page:
    fields: dict[str, str | float | int | None] = {}
    for key, value in document.metadata.items():
        if isinstance(value, list):
            fields[key] = ", ".join(str(item) for item in value if item is not None)
        elif isinstance(value, bool):
            fields[key] = str(value).lower()
        else:
            fields[key] = value
    price = fields.get("price")
    if price is not None and not _is_amount(price):
        raise CorruptFileError(path, f"line {number}: metadata price {price!r} is not an amount")
    return Page(
        source=source,
        record_id=record_id,
        title=document.title,
        text=document.text.strip(),
        fields=fields,
    )


def _is_amount(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value >= 0
