"""Ranking scores of the retrieved sources against gold sources: hit@k, recall@k, MRR, nDCG@k.

Sources are compared per page (:func:`eval.citations.page_key`): a retrieved figure of page 7
found page 7. Gold sources may also be chunk ids or catalog rows, which are their own keys. A
ranked list can name the same page twice (two chunks of one page); only its first appearance
counts, so a page is never rewarded twice. Relevance is binary. Each function returns ``None``
when there is no gold source: such a question says nothing about retrieval.

Example::

    ndcg_at_k(["a.pdf#page=1", "b.pdf#page=2"], ["x#1", "a.pdf#page=1", "b.pdf#page=2"], k=3)
    # DCG = 1/log2(3) + 1/log2(4); ideal = 1 + 1/log2(3) -> 0.693...
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from eval.citations import page_key


def _gold(gold: Sequence[str]) -> set[str]:
    return {page_key(ref) for ref in gold}


def _ranked(retrieved: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(page_key(ref) for ref in retrieved))


def _check(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")


def hit_at_k(gold: Sequence[str], retrieved: Sequence[str], *, k: int) -> float | None:
    """1.0 if any gold source is among the first ``k`` distinct retrieved sources, else 0.0."""
    _check(k)
    wanted = _gold(gold)
    if not wanted:
        return None
    return float(any(ref in wanted for ref in _ranked(retrieved)[:k]))


def recall_at_k(gold: Sequence[str], retrieved: Sequence[str], *, k: int) -> float | None:
    """Share of the gold sources among the first ``k`` distinct retrieved sources."""
    _check(k)
    wanted = _gold(gold)
    if not wanted:
        return None
    return len(wanted & set(_ranked(retrieved)[:k])) / len(wanted)


def reciprocal_rank(gold: Sequence[str], retrieved: Sequence[str]) -> float | None:
    """1 / rank of the first gold source in the whole retrieved list, 0.0 if none; MRR's term."""
    wanted = _gold(gold)
    if not wanted:
        return None
    for rank, ref in enumerate(_ranked(retrieved), start=1):
        if ref in wanted:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(gold: Sequence[str], retrieved: Sequence[str], *, k: int) -> float | None:
    """Normalised discounted cumulative gain at ``k`` with binary relevance."""
    _check(k)
    wanted = _gold(gold)
    if not wanted:
        return None
    dcg = sum(
        1.0 / math.log2(rank + 1)
        for rank, ref in enumerate(_ranked(retrieved)[:k], start=1)
        if ref in wanted
    )
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(wanted), k) + 1))
    return dcg / ideal
