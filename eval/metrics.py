"""Scores of one answer, and their aggregation over a run. Pure functions, no I/O.

Citation metrics return ``None`` when the truth has no citation: such a question says nothing
about citing, and counting it as 0 or 1 would bias the mean (``None`` also survives JSON, NaN
does not).

Example::

    citations_matched(["a.pdf#page=1", "b.pdf#page=2"], ["a.pdf#page=1"])  # 0.5
    retrieval_hit(["a.pdf#page=1"], ["c.pdf#page=9", "a.pdf#page=1(figure1_1.png)"])  # True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import fmean

from eval.citations import citation_key, extract_citations, page_key
from eval.records import EvalRow, EvalSummary, LatencySummary, MetricCounts

RETRIEVAL_K = 5  # the k of the summary's retrieval_hit_rate_at_5


def citations_matched(
    truth_citations: Sequence[str], answer_citations: Sequence[str]
) -> float | None:
    """Share of the truth's citations that the answer also gives, compared exactly (figure too)."""
    truth = {citation_key(ref) for ref in truth_citations}
    if not truth:
        return None
    given = {citation_key(ref) for ref in answer_citations}
    return len(truth & given) / len(truth)


def any_citation(answer: str) -> bool:
    """Whether the answer text cites at least one source."""
    return bool(extract_citations(answer))


def retrieval_hit(
    truth_citations: Sequence[str], source_citations: Sequence[str], *, k: int = RETRIEVAL_K
) -> bool | None:
    """Whether a truth citation's page is among the first ``k`` sources, compared per page."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    truth = {page_key(ref) for ref in truth_citations}
    if not truth:
        return None
    return any(page_key(ref) in truth for ref in source_citations[:k])


def answer_length(answer: str) -> int:
    """Length of the answer in characters."""
    return len(answer)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile (0..1) with linear interpolation between closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(rows: Sequence[EvalRow]) -> EvalSummary:
    """Means of each metric over the rows where it applies; latency over answered rows only.

    Failed rows are counted in ``errors`` and left out of the means, so a quality figure is never
    diluted or inflated by calls that produced nothing; read ``errors`` next to it.
    """
    answered = [row for row in rows if row.error is None]
    matched = [row.citations_matched for row in answered if row.citations_matched is not None]
    hits = [float(row.retrieval_hit) for row in answered if row.retrieval_hit is not None]
    latencies = [row.latency_s for row in answered]
    return EvalSummary(
        rows=len(rows),
        errors=len(rows) - len(answered),
        citations_matched=_mean(matched),
        any_citation=_mean([float(bool(row.any_citation)) for row in answered]),
        retrieval_hit_rate_at_5=_mean(hits),
        answer_length=_mean([float(row.answer_length or 0) for row in answered]),
        latency=_latency(latencies),
        counts=MetricCounts(
            answered=len(answered), citations_matched=len(matched), retrieval_hit=len(hits)
        ),
    )


def _mean(values: Sequence[float]) -> float | None:
    return fmean(values) if values else None


def _latency(latencies: Sequence[float]) -> LatencySummary:
    if not latencies:
        return LatencySummary()
    return LatencySummary(
        mean=fmean(latencies), p50=percentile(latencies, 0.5), p95=percentile(latencies, 0.95)
    )
