"""Question/answer datasets: JSONL rows ``{"question": ..., "truth": ...}`` and optional fields.

The truth ends with the citations a good answer should give, e.g.
``"... unexpected costs.[Northwind_Standard_Benefits_Details.pdf#page=7]"``; they are extracted
once, on load, into :attr:`QaItem.truth_citations`. Optional fields of a row:

- ``image``: a query image, a path (relative to the dataset file) or an ``http(s)``/``data:`` URL;
  it is sent with the question as an ``image_url`` content part.
- ``gold_citations`` (or ``gold_ids``): the sources a retriever should find (citations such as
  ``a.pdf#page=3`` or chunk ids); when absent, the truth's citations are the gold sources.
- ``expect_refusal``: ``true`` for a question the corpus cannot answer; the right answer is a
  refusal ("I don't know"), and the truth is not scored as an answer. A whole file of such
  questions (like ``northwind-dontknows.jsonl``, whose truth is the prompt that made it) is loaded
  with ``load_dataset(path, expect_refusal=True)``.

Example::

    items = load_dataset(Path("qa.jsonl"))
    items[0].truth_citations  # ['Northwind_Standard_Benefits_Details.pdf#page=7']
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

from eval.citations import extract_citations
from ridgeline.errors import RidgelineError

_URL_PREFIXES = ("http://", "https://", "data:")


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
    truth: str = ""
    truth_citations: list[str] = Field(default_factory=list)
    image: str | None = None  # an absolute path or a URL
    gold_citations: list[str] = Field(default_factory=list)
    expect_refusal: bool = False

    @property
    def key(self) -> str:
        """A stable id of the question (text and image), used to resume runs and pair runs."""
        digest = hashlib.sha1(f"{self.question}\x00{self.image or ''}".encode())
        return digest.hexdigest()[:16]

    @property
    def retrieval_gold(self) -> list[str]:
        """The sources retrieval is judged against: the explicit gold, else the truth's."""
        return self.gold_citations or self.truth_citations


class _Row(BaseModel):
    """The shape of one dataset line; other keys are allowed and ignored."""

    question: str = Field(min_length=1)
    truth: str | None = None
    image: str | None = Field(default=None, min_length=1)
    gold_citations: list[str] = Field(
        default_factory=list, validation_alias=AliasChoices("gold_citations", "gold_ids")
    )
    expect_refusal: bool = False


def load_dataset(path: Path, *, expect_refusal: bool = False) -> list[QaItem]:
    """Read a JSONL dataset. Blank lines are skipped; any bad line raises :class:`DatasetError`.

    ``expect_refusal=True`` marks every question of the file as one that should be refused.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(path, f"cannot read dataset: {exc}") from exc
    items = [
        _parse_line(Path(path), number, line, expect_refusal=expect_refusal)
        for number, line in enumerate(lines, start=1)
        if line.strip()
    ]
    if not items:
        raise DatasetError(path, "dataset has no questions")
    return items


def _parse_line(path: Path, number: int, line: str, *, expect_refusal: bool) -> QaItem:
    try:
        row = _Row.model_validate_json(line)
    except ValidationError as exc:
        raise DatasetError(path, _describe(exc), line_number=number) from exc
    refusal = expect_refusal or row.expect_refusal
    if row.truth is None and not refusal:
        raise DatasetError(path, "field 'truth': Field required", line_number=number)
    truth = row.truth or ""
    return QaItem(
        question=row.question,
        truth=truth,
        truth_citations=[] if refusal else extract_citations(truth),
        image=_resolve_image(path, number, row.image),
        gold_citations=row.gold_citations,
        expect_refusal=refusal,
    )


def _resolve_image(path: Path, number: int, image: str | None) -> str | None:
    if image is None or image.startswith(_URL_PREFIXES):
        return image
    resolved = (path.parent / image).resolve()
    if not resolved.is_file():
        raise DatasetError(path, f"field 'image': no such file {resolved}", line_number=number)
    return str(resolved)


def _describe(exc: ValidationError) -> str:
    """A one-line reason: invalid JSON, or which field is missing or wrong."""
    first = exc.errors()[0]
    if first["type"] == "json_invalid":
        return f"not valid JSON ({first['msg']})"
    if not first["loc"]:
        return f"expected a JSON object with 'question' and 'truth' ({first['msg']})"
    field = ".".join(str(part) for part in first["loc"])
    return f"field {field!r}: {first['msg']}"
