"""Time the local metrics over 1,000 answered rows (the target is not part of the timing).

Usage: python -m bench.eval_metrics [--rows 1000] [--from-run RUN_DIR] [--embedder hashing|minilm]

Rows come from a saved run (its questions, truths, answers and contexts, repeated to the wanted
count) or are synthetic (sentences drawn from a fixed vocabulary, seeded). Every local metric is
computed: citation and image-citation match, token F1, ROUGE-L, retrieval hit/recall/MRR/nDCG@5,
refusal, the groundedness proxy and answer length; semantic similarity too with ``--embedder``
(``minilm`` loads the packaged model and measures it; ``hashing`` is a fast stand-in). Then the
summary and a bootstrap CI per metric. Prints the seconds of each stage.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import time
from collections.abc import Sequence
from pathlib import Path

from eval.dataset import QaItem
from eval.runner import read_rows
from eval.scoring import Scorer
from eval.stats import bootstrap_ci
from eval.summary import metric_values, summarize
from eval.targets import TargetResult

_WORDS = [
    "plan",
    "covers",
    "eye",
    "exams",
    "glasses",
    "deductible",
    "copay",
    "network",
    "provider",
    "claim",
    "employee",
    "benefit",
    "policy",
    "manager",
    "safety",
    "incident",
    "report",
    "hours",
    "days",
    "cost",
    "annual",
    "limit",
    "coverage",
    "dental",
    "vision",
]


class _HashingEmbedder:
    """A bag-of-words hashing embedder, so the metric code is timed without a neural model."""

    name = "hashing"
    dimension = 128
    max_input_tokens = 256

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for word in text.lower().split():
            vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 25))).capitalize() + "."


def synthetic_pairs(count: int, *, seed: int) -> list[tuple[QaItem, TargetResult]]:
    rng = random.Random(seed)
    pairs = []
    for i in range(count):
        page = f"doc{i % 7}.pdf#page={i % 50}"
        truth = " ".join(_sentence(rng) for _ in range(3)) + f"[{page}]"
        answer = " ".join(_sentence(rng) for _ in range(3)) + f"[{page}]"
        sources = [f"doc{rng.randint(0, 6)}.pdf#page={rng.randint(0, 49)}" for _ in range(5)]
        contexts = [" ".join(_sentence(rng) for _ in range(8)) for _ in range(5)]
        item = QaItem(question=f"Question {i}?", truth=truth, truth_citations=[page])
        result = TargetResult(
            answer=answer,
            answer_citations=[page],
            source_citations=sources,
            contexts=contexts,
            latency_s=rng.random(),
        )
        pairs.append((item, result))
    return pairs


def pairs_from_run(run_dir: Path, count: int) -> list[tuple[QaItem, TargetResult]]:
    rows = [row for row in read_rows(run_dir) if row.error is None]
    pairs = []
    for i in range(count):
        row = rows[i % len(rows)]
        item = QaItem(
            question=row.question,
            truth=row.truth,
            truth_citations=row.truth_citations,
            expect_refusal=row.expect_refusal,
        )
        result = TargetResult(**row.model_dump(include=set(TargetResult.model_fields)))
        pairs.append((item, result))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--from-run", type=Path, default=None)
    parser.add_argument("--embedder", choices=("hashing", "minilm", "none"), default="hashing")
    args = parser.parse_args()
    pairs = (
        pairs_from_run(args.from_run, args.rows)
        if args.from_run
        else synthetic_pairs(args.rows, seed=0)
    )
    embedder = None
    if args.embedder == "hashing":
        embedder = _HashingEmbedder()
    elif args.embedder == "minilm":
        from ridgeline.providers.embedder import SentenceTransformerEmbedder

        embedder = SentenceTransformerEmbedder()
        embedder.embed_documents(["warm up"])  # model loading is not part of the metric time
    scorer = Scorer(embedder=embedder, k=5)  # type: ignore[arg-type]

    from eval.records import EvalRow

    started = time.perf_counter()
    rows = []
    for item, result in pairs:
        metrics, _ = scorer.score(item, result)
        rows.append(
            EvalRow(
                key=item.key, question=item.question, truth=item.truth, latency_s=0, metrics=metrics
            )
        )
    scored = time.perf_counter() - started
    summary = summarize(rows)
    for name in summary.metrics:
        bootstrap_ci(metric_values(rows, name), seed=0)
    total = time.perf_counter() - started
    source = args.from_run or "synthetic"
    print(f"rows: {len(rows)} ({source}), embedder: {args.embedder}")
    print(f"metrics per row: {len(summary.metrics)}")
    print(f"scoring: {scored:.2f} s ({scored / len(rows) * 1000:.2f} ms/row)")
    print(f"scoring + summary + bootstrap CIs: {total:.2f} s")


if __name__ == "__main__":
    main()
