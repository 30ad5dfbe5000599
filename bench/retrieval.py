"""Retrieval quality: SciFact (BEIR, test split; :mod:`bench.scifact`) and the Northwind QA set.

SciFact: nDCG@10 and recall@100 for bm25, vector and hybrid through the real LanceDbIndex and the
packaged MiniLM embedder, for several legitimately tunable variants (what is indexed, RRF k,
candidate depth, query-side stop words). Document vectors are cached under ``--cache``.

Northwind: ingest ``northwind/`` with the real pipeline into an index under ``--cache`` (reused
when present), then for every question of ``eval/northwind-qa.jsonl`` check whether the truth's
page is among the top 5 sources; also with each question lower-cased and with one deterministic
typo (two letters of its longest word swapped).

Usage:
    python -m bench.retrieval scifact [--bm25-only] [--data DIR] [--cache DIR]
    python -m bench.retrieval scifact --fusion 1.5 1 60 [--fusion 1 1 60 ...]  # legs + these
    python -m bench.retrieval northwind [--data DIR] [--cache DIR] [--seed N]
    python -m bench.retrieval northwind-prf [--data DIR] [--cache DIR]   # BM25 feedback, no vectors
    (defaults: --data ../shared/data, --cache bench/out/retrieval)

Run benchmarks as modules from the repository root (``python -m bench.retrieval``), so that this
file does not shadow the ``retrieval`` package.
"""

from __future__ import annotations

import argparse
import pickle
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.corpus_io import current_text_index, read_jsonl
from bench.no_text import NoTextEmbedder
from bench.prf import FeedbackRetriever
from bench.scifact import Fusion, scifact
from bench.tuning_split import (
    SPLIT_SEED,
    Question,
    SetScore,
    paired,
    score_set,
    split_half,
)
from retrieval.lancedb import LanceDbIndex
from retrieval.multi_query import MultiQueryRetriever
from retrieval.retriever import HybridRetriever
from ridgeline.protocols import Retriever, TextEmbedder
from ridgeline.providers.embedder import SentenceTransformerEmbedder
from ridgeline.settings import RetrievalMode

# Northwind: hybrid first (chat's mode); the legs then reuse its query vectors.
_NORTHWIND_MODES: tuple[RetrievalMode, ...] = ("hybrid", "text", "vectors")


# -- Northwind ----------------------------------------------------------------------------------

_CITATION = re.compile(r"\[([^\[\]]+#page=\d+)[^\[\]]*\]")


def truth_page(truth: str) -> str:
    """The last page the truth cites (the one a single-page question is scored on)."""
    return truth_pages(truth)[-1]


def truth_pages(truth: str) -> list[str]:
    """Every page the truth cites, in order, once each."""
    found = [c.split("(")[0].strip() for c in _CITATION.findall(truth)]
    if not found:
        raise ValueError(f"no page citation in truth: {truth[-80:]!r}")
    return list(dict.fromkeys(found))


def typo(question: str) -> str:
    """Swap the two middle letters of the longest word: one deterministic misspelling."""
    words = re.findall(r"[A-Za-z]+", question)
    longest = max(words, key=len)
    mid = len(longest) // 2
    misspelled = longest[: mid - 1] + longest[mid] + longest[mid - 1] + longest[mid + 1 :]
    return question.replace(longest, misspelled, 1)


def _northwind_index(data: Path, cache: Path) -> LanceDbIndex:
    """The ingested corpus, reused when a previous run finished ingesting (its marker file)."""
    import shutil

    import ridgeline

    directory, done = cache / "northwind-index", cache / "northwind-index.done"
    if not done.exists():
        shutil.rmtree(directory, ignore_errors=True)  # a run cut off mid-ingestion
    rl = ridgeline.open(directory)
    index = rl.index
    if not isinstance(index, LanceDbIndex):
        raise SystemExit("this benchmark measures the LanceDB backend (RIDGELINE_INDEX_BACKEND)")
    if not done.exists():
        started = time.perf_counter()
        report = rl.ingest([data / "northwind"])
        print(f"ingested {report.total_chunks} chunks in {time.perf_counter() - started:.0f} s")
        done.write_text("ingested\n", encoding="utf-8")
    return current_text_index(index)


def northwind(data: Path, cache: Path, *, seed: int = SPLIT_SEED) -> None:
    questions = [
        Question(text=str(r["question"]), pages=tuple(truth_pages(str(r["truth"]))))
        for r in read_jsonl(data / "eval" / "northwind-qa.jsonl")
    ]
    tune, untouched = split_half(questions, seed=seed)
    sets = {
        "tune": tune,
        "untouched": untouched,
        "pairs-tune": paired(tune, seed=seed),
        "pairs-untouched": paired(untouched, seed=seed),
    }
    index = _northwind_index(data, cache)
    print(
        f"Northwind: {len(questions)} questions split with seed {seed} into {len(tune)} to tune"
        f" and {len(untouched)} untouched; {sum(q.multi_page for q in questions)} cite several"
        f" pages; pairs: two questions of the same half joined into one (two pages each);"
        f" {index.count_chunks()} chunks"
    )
    embedder = DiskQueryEmbedder(SentenceTransformerEmbedder(), cache / "query-vectors.pkl")
    print(_HEADER)
    for name, retriever in _northwind_variants(index, embedder):
        for mode in _NORTHWIND_MODES:
            for form, transform in _FORMS.items():
                started = time.perf_counter()
                cells = [
                    score_set(_ranker(retriever, mode, transform), rows) for rows in sets.values()
                ]
                seconds = time.perf_counter() - started
                print(_row(name, mode, form, cells, seconds), flush=True)
                embedder.save()


class DiskQueryEmbedder:
    """Query vectors kept on disk between runs (embedding is most of a run on 2 busy cores)."""

    def __init__(self, embedder: TextEmbedder, path: Path) -> None:
        self._embedder = embedder
        self._path = path
        self._known: dict[str, list[float]] = {}
        if path.exists():
            self._known = pickle.loads(path.read_bytes())
        self.dimension = embedder.dimension
        self.name = embedder.name
        self.max_input_tokens = embedder.max_input_tokens

    def embed_query(self, text: str) -> list[float]:
        # all-MiniLM-L6-v2's tokenizer lower-cases: a lower-cased question embeds the same.
        key = text.lower()
        if key not in self._known:
            self._known[key] = self._embedder.embed_query(text)
        return self._known[key]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self._embedder.embed_documents(texts)

    def save(self) -> None:
        self._path.write_bytes(pickle.dumps(self._known))


_FORMS: dict[str, Callable[[str], str]] = {
    "as asked": lambda q: q,
    "lower": str.lower,
    "typo": typo,
}
_HEADER = (
    f"{'variant':30s} {'mode':7s} {'form':8s}  tune hit@5 MRR | untouched hit@5 MRR"
    " | pairs-tune R@5 R@10 | pairs-untouched R@5 R@10"
)


def _row(name: str, mode: str, form: str, cells: list[SetScore], seconds: float) -> str:
    singles = " | ".join(f"{c.hit5:.3f} {c.mrr:.3f}" for c in cells[:2])
    pairs = " | ".join(f"{c.recall5:.3f} {c.recall10:.3f}" for c in cells[2:])
    return f"{name:30s} {mode:7s} {form:8s}  {singles} | {pairs}  ({seconds:.0f} s)"


def _ranker(
    retriever: Retriever, mode: RetrievalMode, transform: Callable[[str], str]
) -> Callable[[str, int], list[str]]:
    return lambda question, top: [
        h.chunk.citation for h in retriever.search(transform(question), mode=mode, top=top)
    ]


def _northwind_variants(index: LanceDbIndex, embedder: TextEmbedder) -> list[tuple[str, Retriever]]:
    def make(**options: object) -> HybridRetriever:
        return HybridRetriever(index=index, embedder=embedder, **options)  # type: ignore[arg-type]

    chat = make(drop_stop_words=True, distinct_pages=True, correct_spelling=True)
    return [
        ("chat default (pre-#14)", chat),
        ("+ decomposition", MultiQueryRetriever(chat)),
        ("+ decomposition, no cover", MultiQueryRetriever(chat, cover_parts=False)),
        ("+ decomposition, whole x2", MultiQueryRetriever(chat, whole_weight=2.0)),
    ]


def northwind_prf(data: Path, cache: Path, *, seed: int = SPLIT_SEED) -> None:
    """BM25 alone, with and without pseudo-relevance feedback (no query embeddings needed)."""
    questions = [
        Question(text=str(r["question"]), pages=tuple(truth_pages(str(r["truth"]))))
        for r in read_jsonl(data / "eval" / "northwind-qa.jsonl")
    ]
    tune, untouched = split_half(questions, seed=seed)
    sets = [tune, untouched, paired(tune, seed=seed), paired(untouched, seed=seed)]
    index = _northwind_index(data, cache)
    base = HybridRetriever(
        index=index, embedder=NoTextEmbedder(run="BM25-only"), correct_spelling=True
    )
    variants: list[tuple[str, Retriever]] = [("BM25 (chat options)", base)]
    for documents, terms in ((3, 5), (3, 10), (5, 5)):
        feedback = FeedbackRetriever(base, documents=documents, terms=terms)
        variants.append((f"+ PRF {documents} docs {terms} terms", feedback))
    print(_HEADER)
    for name, retriever in variants:
        for form, transform in _FORMS.items():
            started = time.perf_counter()
            cells = [score_set(_ranker(retriever, "text", transform), rows) for rows in sets]
            print(_row(name, "text", form, cells, time.perf_counter() - started), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("benchmark", choices=["scifact", "northwind", "northwind-prf"])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--cache", type=Path, default=Path("bench/out/retrieval"))
    parser.add_argument("--bm25-only", action="store_true", help="scifact: skip the embeddings")
    parser.add_argument("--seed", type=int, default=SPLIT_SEED, help="the tune/untouched split")
    parser.add_argument(
        "--fusion",
        nargs=3,
        action="append",
        type=float,
        metavar=("BM25_WEIGHT", "VECTOR_WEIGHT", "RRF_K"),
        help="scifact: only the legs and these hybrid settings (repeatable)",
    )
    args = parser.parse_args()
    if args.benchmark == "scifact":
        fusion = [Fusion(t, v, int(k)) for t, v, k in args.fusion or []]
        scifact(args.data, args.cache, bm25_only=args.bm25_only, fusion=fusion)
    elif args.benchmark == "northwind-prf":
        northwind_prf(args.data, args.cache, seed=args.seed)
    else:
        northwind(args.data, args.cache, seed=args.seed)


if __name__ == "__main__":
    main()
