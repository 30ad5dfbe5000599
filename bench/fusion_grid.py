"""Fusion weights and RRF k for chat's retriever on Northwind (issue 14, "fusion that does not
lose to its legs").

Every variant is chat's retriever (stop words, spelling correction, one hit per page, rule
decomposition) in hybrid mode with the given BM25 weight, vector weight and RRF k; the two legs
alone come first. Settings are chosen on the tuning half of the seeded split
(:mod:`bench.tuning_split`) and reported on the untouched half; ``--rule`` adds variants whose
BM25 weight rises only for questions with exact terms (:mod:`bench.exact_terms`).

Usage (from the repository root; the index and query vectors are cached under ``--cache``):
    python -m bench.fusion_grid [--text-weight 1 1.5 ...] [--vector-weight 1 ...]
        [--rrf-k 20 60 ...] [--forms "as asked" lower typo] [--rule 2 3 ...] [--no-legs]
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Sequence
from pathlib import Path

from bench.corpus_io import read_jsonl
from bench.exact_terms import ExactTermWeighting
from bench.retrieval import (
    _FORMS,
    _HEADER,
    DiskQueryEmbedder,
    _northwind_index,
    _ranker,
    _row,
    truth_pages,
)
from bench.tuning_split import SPLIT_SEED, Question, paired, score_set, split_half
from retrieval.lancedb import LanceDbIndex
from retrieval.multi_query import MultiQueryRetriever
from retrieval.retriever import HybridRetriever
from ridgeline.protocols import Retriever, TextEmbedder
from ridgeline.providers.embedder import SentenceTransformerEmbedder
from ridgeline.settings import RetrievalMode


def northwind_sets(data: Path, seed: int) -> dict[str, list[Question]]:
    """The two halves and their pairs, as :func:`bench.retrieval.northwind` scores them."""
    questions = [
        Question(text=str(r["question"]), pages=tuple(truth_pages(str(r["truth"]))))
        for r in read_jsonl(data / "eval" / "northwind-qa.jsonl")
    ]
    tune, untouched = split_half(questions, seed=seed)
    return {
        "tune": tune,
        "untouched": untouched,
        "pairs-tune": paired(tune, seed=seed),
        "pairs-untouched": paired(untouched, seed=seed),
    }


def variants(
    index: LanceDbIndex, embedder: TextEmbedder, args: argparse.Namespace
) -> list[tuple[str, RetrievalMode, Retriever]]:
    def chat(rrf_k: int, text: float, vector: float) -> HybridRetriever:
        return HybridRetriever(
            index=index,
            embedder=embedder,
            rrf_k=rrf_k,
            weights={"text": text, "vector": vector},
            drop_stop_words=True,
            distinct_pages=True,
            correct_spelling=True,
        )

    found: list[tuple[str, RetrievalMode, Retriever]] = []
    if args.legs:
        plain = MultiQueryRetriever(chat(60, 1.0, 1.0))
        found += [("legs (chat options)", "text", plain), ("legs (chat options)", "vectors", plain)]
    grid = itertools.product(args.rrf_k, args.text_weight, args.vector_weight)
    for rrf_k, text, vector in grid:
        name = f"k={rrf_k} bm25 x{text:g} vec x{vector:g}"
        multi = MultiQueryRetriever(chat(rrf_k, text, vector), rrf_k=rrf_k)
        found.append((name, "hybrid", multi))
        for boost, rare in itertools.product(args.rule, args.rare_count):
            rule = MultiQueryRetriever(
                ExactTermWeighting(
                    chat(rrf_k, text, vector),
                    text_weight=boost,
                    vocabulary=index.vocabulary().counts,
                    rare_count=rare,
                ),
                rrf_k=rrf_k,
            )
            label = f"{name}, exact terms{f' + rare<={rare}' if rare else ''} bm25 x{boost:g}"
            found.append((label, "hybrid", rule))
    return found


def run(args: argparse.Namespace) -> None:
    sets = northwind_sets(args.data, args.seed)
    index = _northwind_index(args.data, args.cache)
    embedder = DiskQueryEmbedder(SentenceTransformerEmbedder(), args.cache / "query-vectors.pkl")
    sizes = ", ".join(f"{name} {len(rows)}" for name, rows in sets.items())
    print(f"Northwind fusion grid, seed {args.seed}: {sizes}; {index.count_chunks()} chunks")
    print(_HEADER)
    for name, mode, retriever in variants(index, embedder, args):
        for form in args.forms:
            started = time.perf_counter()
            rank = _ranker(retriever, mode, _FORMS[form])
            cells = [score_set(rank, rows) for rows in sets.values()]
            print(_row(name, mode, form, cells, time.perf_counter() - started), flush=True)
            embedder.save()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--cache", type=Path, default=Path("bench/out/retrieval"))
    parser.add_argument("--seed", type=int, default=SPLIT_SEED)
    parser.add_argument("--text-weight", type=float, nargs="+", default=[1.0, 1.25, 1.5, 2.0, 3.0])
    parser.add_argument("--vector-weight", type=float, nargs="+", default=[1.0])
    parser.add_argument("--rrf-k", type=int, nargs="+", default=[20, 60])
    parser.add_argument("--forms", nargs="+", choices=list(_FORMS), default=["as asked"])
    parser.add_argument(
        "--rule", type=float, nargs="*", default=[], help="BM25 weights for exact-term questions"
    )
    parser.add_argument(
        "--rare-count", type=int, nargs="+", default=[0], help="--rule: rare words count too"
    )
    parser.add_argument("--no-legs", dest="legs", action="store_false")
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
