"""Citation scores of one answer. Pure functions, no I/O.

Citation metrics return ``None`` when the truth has no citation: such a question says nothing
about citing, and counting it as 0 or 1 would bias the mean (``None`` also survives JSON, NaN
does not).

Example::

    citations_matched(["a.pdf#page=1", "b.pdf#page=2"], ["a.pdf#page=1"])  # 0.5
    image_citations_matched(["a.pdf#page=7(figure1_2.png)"], ["a.pdf#page=7(figure1_2.png)"])  # 1.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from eval.citations import citation_key, extract_citations, figure_name


def citations_matched(
    truth_citations: Sequence[str], answer_citations: Sequence[str]
) -> float | None:
    """Share of the truth's citations that the answer also gives, compared exactly (figure too)."""
    truth = {citation_key(ref) for ref in truth_citations}
    if not truth:
        return None
    given = {citation_key(ref) for ref in answer_citations}
    return len(truth & given) / len(truth)


def image_citations_matched(
    truth_citations: Sequence[str], answer_citations: Sequence[str]
) -> float | None:
    """Share of the truth's figure citations (``[f.pdf#page=N(figure1_2.png)]``) the answer gives.

    ``None`` when the truth cites no figure. A page citation without the figure does not count:
    the point of the metric is whether the answer names the right image.
    """
    figures = [ref for ref in truth_citations if figure_name(ref) is not None]
    return citations_matched(figures, answer_citations)


def any_citation(answer: str) -> bool:
    """Whether the answer text cites at least one source."""
    return bool(extract_citations(answer))


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
