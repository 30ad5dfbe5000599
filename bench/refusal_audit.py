"""Refusal accuracy on the audited part of a don't-know set.

A don't-know set written by an LLM without looking at the whole corpus holds questions the corpus
does answer; counting an answer to those as a failure punishes the right behaviour. An audit file
(``eval/sets/northwind-dontknows-audit.jsonl``, docs/benchmarks.md "Calibrated refusals") gives
each line of the set a verdict, "answerable", "partly" or "unanswerable", with the page that
answers it. The audited figure is refusal accuracy over the "unanswerable" questions only; it is
reported beside the raw figure, never instead of it.

Each audit row carries the SHA-1 of its question, so an audit is refused for a set that changed
since it was written (a reworded or reordered question would otherwise inherit another's verdict).

Example::

    audit = load_audit(Path("eval/sets/northwind-dontknows-audit.jsonl"), Path("dontknows.jsonl"))
    audited_score(answers, audit)  # {"refusal_accuracy_unanswerable": 0.9, "unanswerable": 30, ...}
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eval.dataset import QaItem, load_dataset
from eval.refusal import is_refusal
from ridgeline.errors import RidgelineError

Verdict = Literal["answerable", "partly", "unanswerable"]


class AuditError(RidgelineError):
    """An audit file that cannot be used with the question set given."""


class AuditRow(BaseModel):
    """The verdict on one line of a don't-know set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    line: int = Field(ge=1)  # 1-based line of the question set
    sha1: str = Field(pattern=r"^[0-9a-f]{40}$")  # of the question text, UTF-8
    verdict: Verdict
    evidence: str | None = None  # "file.pdf#page=N" that answers it, when one does
    reason: str = Field(min_length=1)


def question_sha1(question: str) -> str:
    return hashlib.sha1(question.encode()).hexdigest()


def load_audit(audit: Path, questions: Path) -> dict[str, Verdict]:
    """The verdict of each question of ``questions`` (by its text), checked line by line."""
    items = load_dataset(questions, expect_refusal=True)
    # load_dataset skips blank lines; the audit numbers the file's lines as an editor does
    lines = questions.read_text(encoding="utf-8").splitlines()
    numbers = [number for number, line in enumerate(lines, start=1) if line.strip()]
    rows = _read_rows(audit)
    if sorted(rows) != numbers:
        raise AuditError(f"{audit}: its lines are not the question lines of {questions}")
    verdicts: dict[str, Verdict] = {}
    for number, item in zip(numbers, items, strict=True):
        if rows[number].sha1 != question_sha1(item.question):
            raise AuditError(f"{audit}: line {number} of {questions} changed since the audit")
        verdicts[item.question] = rows[number].verdict
    return verdicts


def _read_rows(audit: Path) -> dict[int, AuditRow]:
    rows: dict[int, AuditRow] = {}
    for number, text in enumerate(audit.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            row = AuditRow.model_validate_json(text)
        except ValidationError as exc:
            raise AuditError(f"{audit}:{number}: {exc.errors()[0]['msg']}") from exc
        if row.line in rows:
            raise AuditError(f"{audit}:{number}: line {row.line} audited twice")
        rows[row.line] = row
    return rows


def audited_score(
    answers: Sequence[tuple[QaItem, str]], verdicts: Mapping[str, Verdict]
) -> dict[str, float]:
    """Share refused of the don't-knows of each verdict; the "unanswerable" share is the audited
    refusal accuracy. A don't-know the audit does not know is an error, not a silent skip."""
    refused: dict[Verdict, list[bool]] = {"unanswerable": [], "partly": [], "answerable": []}
    for item, text in answers:
        if not item.expect_refusal:
            continue
        if item.question not in verdicts:
            raise AuditError(f"no audit verdict for the question {item.question!r}")
        refused[verdicts[item.question]].append(is_refusal(text))
    return {
        "refusal_accuracy_unanswerable": _share(refused["unanswerable"]),
        "unanswerable": len(refused["unanswerable"]),
        "refused_partly": _share(refused["partly"]),
        "partly": len(refused["partly"]),
        "refused_answerable": _share(refused["answerable"]),
        "answerable_dontknows": len(refused["answerable"]),
    }


def _share(values: Sequence[bool]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0
