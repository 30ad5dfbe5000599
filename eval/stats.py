"""Uncertainty of run figures: bootstrap confidence intervals and paired permutation tests.

Both are seeded, so the same runs give the same intervals and p-values every time.

- :func:`bootstrap_ci`: percentile bootstrap of the mean (resample the rows with replacement,
  take the 2.5th and 97.5th percentiles of the resampled means).
- :func:`paired_permutation_p`: two-sided test that two runs score the same on the same
  questions. Under that hypothesis each question's difference is as likely to have either sign,
  so the signs are flipped at random; the p-value is the share of flipped mean differences at
  least as far from 0 as the observed one, counting the observed itself ((hits + 1) / (n + 1),
  so it is never 0). With 10 pairs or fewer every sign pattern is enumerated (exact test).

Example::

    bootstrap_ci([0.0, 1.0, 1.0, 1.0], seed=1)  # (0.25, 1.0)
    paired_permutation_p([1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0], seed=1)  # 2/64 = 0.03125
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

_EXACT_MAX_PAIRS = 10


def bootstrap_ci(
    values: Sequence[float],
    *,
    seed: int,
    resamples: int = 2000,
    confidence: float = 0.95,
) -> tuple[float, float] | None:
    """The ``confidence`` interval of the mean of ``values``; ``None`` without values."""
    if not values:
        return None
    data = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(data), size=(resamples, len(data)))
    means = data[picks].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


def paired_permutation_p(
    first: Sequence[float], second: Sequence[float], *, seed: int, permutations: int = 10_000
) -> float | None:
    """Two-sided sign-flip permutation p-value of mean(first - second); ``None`` without pairs."""
    if len(first) != len(second):
        raise ValueError(f"paired samples differ in length: {len(first)} and {len(second)}")
    if not first:
        return None
    diffs = np.asarray(first, dtype=float) - np.asarray(second, dtype=float)
    observed = abs(diffs.mean())
    if not diffs.any():
        return 1.0
    signs = _signs(len(diffs), seed=seed, permutations=permutations)
    flipped = np.abs((signs * diffs).mean(axis=1))
    tolerance = 1e-12  # equal means computed in another order must still count as "as extreme"
    hits = int((flipped >= observed - tolerance).sum())
    if len(diffs) <= _EXACT_MAX_PAIRS:
        return hits / len(signs)
    return (hits + 1) / (len(signs) + 1)


def _signs(pairs: int, *, seed: int, permutations: int) -> np.ndarray:
    if pairs <= _EXACT_MAX_PAIRS:
        return np.array(list(itertools.product((1.0, -1.0), repeat=pairs)))
    rng = np.random.default_rng(seed)
    return rng.choice((1.0, -1.0), size=(permutations, pairs))
