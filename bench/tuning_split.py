"""The tuning discipline of the retrieval benchmarks: a seeded split, and page-level scores.

Every QA set a default is chosen on is split once, with :data:`SPLIT_SEED`, into a half to tune on
and a half nobody looks at while tuning; a default changes only if it also holds on the untouched
half. The split depends on the seed and the questions only (not on file order), so it can be
repeated. :func:`paired` makes multi-page questions out of one half: two of its questions with
different truth pages, asked as one ("...? ..." or "..., and ..."), each page part of the truth.

>>> tune, untouched = split_half(questions, seed=SPLIT_SEED)
>>> rank = lambda q, top: [h.chunk.citation for h in retriever.search(q, top=top, mode=...)]
>>> score_set(rank, untouched).hit5
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

SPLIT_SEED = 14  # issue #14; documented in docs/benchmarks.md, never changed after tuning


@dataclass(frozen=True)
class Question:
    text: str
    pages: tuple[str, ...]  # the truth's pages (citations such as "a.pdf#page=3")

    @property
    def multi_page(self) -> bool:
        return len(self.pages) > 1


@dataclass(frozen=True)
class SetScore:
    """Means over a question set: a truth page in the top 5, MRR@10 of the first truth page,
    and the share of truth pages in the top 5 / top 10 over questions citing several pages
    (0.0 when the set has none; ``multi`` says how many it has)."""

    hit5: float
    mrr: float
    recall5: float
    recall10: float
    multi: int


def split_half(
    questions: Sequence[Question], *, seed: int
) -> tuple[list[Question], list[Question]]:
    """(tune, untouched): a seeded shuffle of the questions in a file-order-free order, halved."""
    ordered = sorted(questions, key=lambda q: hashlib.sha256(q.text.encode()).hexdigest())
    random.Random(seed).shuffle(ordered)
    middle = len(ordered) // 2
    return ordered[:middle], ordered[middle:]


def paired(questions: Sequence[Question], *, seed: int) -> list[Question]:
    """Two-page questions: consecutive questions of a seeded shuffle whose pages differ, joined."""
    pool = list(questions)
    random.Random(seed + 1).shuffle(pool)
    pairs = []
    for number, (first, second) in enumerate(zip(pool[::2], pool[1::2], strict=False)):
        pages = tuple(dict.fromkeys(first.pages + second.pages))
        if len(pages) < 2:
            continue
        pairs.append(Question(text=join_questions(first.text, second.text, number), pages=pages))
    return pairs


def join_questions(first: str, second: str, number: int) -> str:
    """Alternately "A? B?" and "A, and b?": both forms users write."""
    head = first.rstrip(" ?.")
    if number % 2 == 0:
        return f"{head}? {second}"
    return f"{head}, and {second[:1].lower()}{second[1:]}"


def score_set(rank: Callable[[str, int], list[str]], questions: Sequence[Question]) -> SetScore:
    """The scores of ``rank`` (question, top -> citations, best first) on the set: asked for 5
    (what chat shows) for hit@5 and recall@5, for 10 for MRR@10 and recall@10."""
    if not questions:
        return SetScore(hit5=0.0, mrr=0.0, recall5=0.0, recall10=0.0, multi=0)
    hits, ranks, recall5, recall10 = 0, 0.0, 0.0, 0.0
    multi = 0
    for question in questions:
        top5, ranked = rank(question.text, 5)[:5], rank(question.text, 10)
        truth = set(question.pages)
        hits += bool(truth & set(top5))
        ranks += reciprocal_rank(ranked[:10], truth)
        if question.multi_page:
            multi += 1
            recall5 += len(truth & set(top5)) / len(truth)
            recall10 += len(truth & set(ranked[:10])) / len(truth)
    total = len(questions)
    return SetScore(
        hit5=hits / total,
        mrr=ranks / total,
        recall5=recall5 / multi if multi else 0.0,
        recall10=recall10 / multi if multi else 0.0,
        multi=multi,
    )


def reciprocal_rank(ranked: Sequence[str], truth: set[str]) -> float:
    for position, citation in enumerate(ranked, start=1):
        if citation in truth:
            return 1 / position
    return 0.0
