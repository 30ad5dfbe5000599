"""Whether one hit per place needs a cap of places per document (issues #14 and #13).

With one hit per place a manual without pages can fill all five sources with its sections
(``ridgeline.places``). This bench asks whether capping the places a document may hold helps:
chat's retriever (as :mod:`bench.fresh_sets` builds it: hybrid, k=60, rule decomposition) is
asked for a long list, each document keeps its first ``N`` hits, and the first 5 and 10 are
scored, on the tune and untouched halves (``SPLIT_SEED``) of a fresh set: file or page hit@5,
MRR@10, passage hit@5 (a source holding the truth sentence). ``N`` may be chosen on the tune
half only.

Usage (from the repository root, after ``ridgeline ingest``; see bench/fresh_sets.py):
    python -m bench.document_cap --set eval/sets/contoso-manuals-generated-qa.jsonl \
        --index bench/out/contoso-manuals-index
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from bench.fresh_sets import chat_retriever, passage_scores, questions, sentences, text_copy
from bench.retrieval import DiskQueryEmbedder, _ranker
from bench.tuning_split import SPLIT_SEED, Question, score_set, split_half
from retrieval.lancedb import LanceDbIndex
from ridgeline.protocols import Retriever
from ridgeline.providers.embedder import SentenceTransformerEmbedder
from ridgeline.ranking import RankingField
from ridgeline.settings import RetrievalMode
from ridgeline.types import SearchFilters, SearchHit

_CAPS: tuple[int | None, ...] = (None, 4, 3, 2, 1)
_LONG = 30  # hits asked of the retriever before capping: more than 10 after any cap here


class CappedRetriever:
    """``retriever`` with at most ``cap`` hits per document (None: no cap), best first."""

    def __init__(self, retriever: Retriever, cap: int | None) -> None:
        self._retriever = retriever
        self._cap = cap

    def search(
        self,
        text: str,
        *,
        mode: RetrievalMode,
        top: int,
        filters: SearchFilters | None = None,
        image: Path | None = None,
        skip: int = 0,
        weights: Mapping[RankingField, float] | None = None,
    ) -> list[SearchHit]:
        hits = self._retriever.search(text, mode=mode, top=max(top, _LONG), filters=filters)
        if self._cap is not None:
            held: Counter[str] = Counter()
            kept = []
            for hit in hits:
                held[hit.chunk.document_id] += 1
                if held[hit.chunk.document_id] <= self._cap:
                    kept.append(hit)
            hits = kept
        return hits[skip : skip + top]


def report(
    retriever: Retriever, half: str, asked: Sequence[Question], truths: dict[str, str]
) -> None:
    for cap in _CAPS:
        capped = CappedRetriever(retriever, cap)
        score = score_set(_ranker(capped, "hybrid", str), asked)
        mine = {q.text: truths[q.text] for q in asked}
        passage_hit, _ = passage_scores(capped, "hybrid", mine)
        label = "no cap" if cap is None else f"cap {cap}"
        print(
            f"{half:9s} ({len(asked)}) {label:7s} hit@5 {score.hit5:.3f} MRR {score.mrr:.3f}"
            f" | passage hit@5 {passage_hit:.3f}",
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", type=Path, required=True, dest="question_set")
    parser.add_argument("--index", type=Path, required=True)
    args = parser.parse_args(argv)
    cache = args.index.with_name(args.index.name + "-query-vectors.pkl")
    embedder = DiskQueryEmbedder(SentenceTransformerEmbedder(), cache)
    index = LanceDbIndex(text_copy(args.index, titles=False), dimension=embedder.dimension)
    retriever = chat_retriever(index, embedder, 60, 1.0)
    tune, untouched = split_half(questions(args.question_set), seed=SPLIT_SEED)
    truths = sentences(args.question_set)
    report(retriever, "tune", tune, truths)
    report(retriever, "untouched", untouched, truths)
    embedder.save()


if __name__ == "__main__":
    main()
