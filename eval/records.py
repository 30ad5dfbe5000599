"""What an evaluation run writes: one :class:`EvalRow` per question and one :class:`RunSummary`.

A metric is ``None`` where it does not apply: every metric on a row whose target call failed, the
citation metrics on a row whose truth has no citation, the answer-vs-truth metrics on a question
that should be refused. Summaries average the rows where a metric applies and say how many
those were.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class EvalRow(BaseModel):
    """One question's outcome: what the target said, how long it took, and its scores."""

    model_config = ConfigDict(frozen=True)

    key: str
    question: str
    truth: str
    truth_citations: list[str] = Field(default_factory=list)
    image: str | None = None
    expect_refusal: bool = False
    answer: str = ""
    answer_citations: list[str] = Field(default_factory=list)
    source_citations: list[str] = Field(default_factory=list)
    contexts: list[str] = Field(default_factory=list)
    images: list[str] = Field(default_factory=list)
    latency_s: float
    attempts: int = 1
    error: str | None = None
    metrics: dict[str, float | None] = Field(default_factory=dict)
    judge_reasons: dict[str, str] = Field(default_factory=dict)


class MetricSummary(BaseModel):
    """The mean of one metric over ``count`` rows; ``pass_rate`` for judge metrics (score >= 4)."""

    mean: float | None = None
    count: int = 0
    pass_rate: float | None = None


class LatencySummary(BaseModel):
    """Seconds per answered question; ``None`` when no question was answered."""

    mean: float | None = None
    p50: float | None = None
    p95: float | None = None


class RunSummary(BaseModel):
    """The figures of a whole run; the content of ``summary.json``."""

    rows: int
    errors: int
    metrics: dict[str, MetricSummary] = Field(default_factory=dict)
    latency: LatencySummary = Field(default_factory=LatencySummary)
