"""What an evaluation run writes: one :class:`EvalRow` per question and one :class:`EvalSummary`.

A metric is ``None`` where it does not apply: every metric on a row whose target call failed, and
the citation metrics on a row whose truth has no citation. Summaries average the rows where a
metric applies and say how many those were.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class EvalRow(BaseModel):
    """One question's outcome: what the target said, how long it took, and its scores."""

    model_config = ConfigDict(frozen=True)

    question: str
    truth: str
    truth_citations: list[str] = Field(default_factory=list)
    answer: str = ""
    answer_citations: list[str] = Field(default_factory=list)
    source_citations: list[str] = Field(default_factory=list)
    latency_s: float
    error: str | None = None
    citations_matched: float | None = None
    any_citation: bool | None = None
    retrieval_hit: bool | None = None
    answer_length: int | None = None


class LatencySummary(BaseModel):
    """Seconds per answered question; ``None`` when no question was answered."""

    mean: float | None = None
    p50: float | None = None
    p95: float | None = None


class MetricCounts(BaseModel):
    """How many rows each mean in the summary is taken over."""

    answered: int = 0
    citations_matched: int = 0
    retrieval_hit: int = 0


class EvalSummary(BaseModel):
    """The figures of a whole run; field names are the keys of ``summary.json``."""

    rows: int
    errors: int
    citations_matched: float | None = None
    any_citation: float | None = None
    retrieval_hit_rate_at_5: float | None = None
    answer_length: float | None = None
    latency: LatencySummary = Field(default_factory=LatencySummary)
    counts: MetricCounts = Field(default_factory=MetricCounts)
