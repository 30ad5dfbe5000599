"""Question/answer datasets: JSONL rows ``{"question": ..., "truth": ...}``.

The truth ends with the citations a good answer should give, e.g.
``"... unexpected costs.[Northwind_Standard_Benefits_Details.pdf#page=7]"``; they are extracted
once, on load, into :attr:`QaItem.truth_citations`.

Example::

    items = load_dataset(Path("qa.jsonl"))
    items[0].truth_citations  # ['Northwind_Standard_Benefits_Details.pdf#page=7']
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eval.citations import extract_citations
from ridgeline.errors import RidgelineError


class DatasetError(RidgelineError):
    """A dataset file cannot be read; names the file and, when known, the 1-based line."""

    def __init__(self, path: Path | str, reason: str, *, line_number: int | None = None) -> None:
        self.path = Path(path)
        self.line_number = line_number
        self.reason = reason
        where = f"{self.path}:{line_number}" if line_number is not None else f"{self.path}"
        super().__init__(f"{where}: {reason}")


class QaItem(BaseModel):
    """One question with its ground-truth answer and the citations that answer carries."""

    model_config = ConfigDict(frozen=True)

    question: str
    truth: str
    truth_citations: list[str] = Field(default_factory=list)


class _Row(BaseModel):
    """The shape of one dataset line; other keys are allowed and ignored."""

    question: str = Field(min_length=1)
    truth: str


def load_dataset(path: Path) -> list[QaItem]:
    """Read a JSONL dataset. Blank lines are skipped; any bad line raises :class:`DatasetError`."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(path, f"cannot read dataset: {exc}") from exc
    items = [
        _parse_line(path, number, line)
        for number, line in enumerate(lines, start=1)
        if line.strip()
    ]
    if not items:
        raise DatasetError(path, "dataset has no questions")
    return items


def _parse_line(path: Path, number: int, line: str) -> QaItem:
    try:
        row = _Row.model_validate_json(line)
    except ValidationError as exc:
        raise DatasetError(path, _describe(exc), line_number=number) from exc
    return QaItem(
        question=row.question, truth=row.truth, truth_citations=extract_citations(row.truth)
    )


def _describe(exc: ValidationError) -> str:
    """A one-line reason: invalid JSON, or which field is missing or wrong."""
    first = exc.errors()[0]
    if first["type"] == "json_invalid":
        return f"not valid JSON ({first['msg']})"
    if not first["loc"]:
        return f"expected a JSON object with 'question' and 'truth' ({first['msg']})"
    field = ".".join(str(part) for part in first["loc"])
    return f"field {field!r}: {first['msg']}"
