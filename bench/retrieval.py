"""Retrieval quality: SciFact (BEIR, test split) and the Northwind QA set.

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
import json
import math
import pickle
import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.no_text import NoTextEmbedder
from bench.prf import FeedbackRetriever
from bench.tuning_split import (
    SPLIT_SEED,
    Question,
    SetScore,
    paired,
    score_set,
    split_half,
)
from chat.query_cache import CachedQueryEmbedder
from retrieval.lancedb import LanceDbIndex
from retrieval.multi_query import MultiQueryRetriever
from retrieval.retriever import HybridRetriever
from ridgeline.protocols import Retriever, TextEmbedder
from ridgeline.providers.embedder import SentenceTransformerEmbedder
from ridgeline.ranking import RankingField
from ridgeline.settings import RetrievalMode
from ridgeline.types import Chunk, SearchHit, SourceDocument

Search = Callable[[str, RetrievalMode, int], list[SearchHit]]
_ALL_MODES: tuple[RetrievalMode, ...] = ("text", "vectors", "hybrid")
# Northwind: hybrid first (chat's mode); the legs then reuse its query vectors.
_NORTHWIND_MODES: tuple[RetrievalMode, ...] = ("hybrid", "text", "vectors")


# -- SciFact ------------------------------------------------------------------------------------


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _read_qrels(path: Path) -> dict[str, set[str]]:
    qrels: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        query_id, doc_id, score = line.split("\t")
        if int(score) > 0:
            qrels.setdefault(query_id, set()).add(doc_id)
    return qrels


def ndcg_at_k(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal


def recall_at_k(ranked: Sequence[str], relevant: set[str], k: int = 100) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant)


def _cached_vectors(texts: Sequence[str], path: Path) -> np.ndarray:
    if path.exists():
        vectors = np.load(path)
        if len(vectors) == len(texts):
            return vectors
    started = time.perf_counter()
    vectors = np.asarray(SentenceTransformerEmbedder().embed_documents(texts), dtype=np.float32)
    print(f"embedded {len(texts)} documents in {time.perf_counter() - started:.0f} s")
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def _scifact_index(
    directory: Path, corpus: list[dict[str, object]], vectors: np.ndarray, *, titles: bool
) -> LanceDbIndex:
    index = LanceDbIndex(directory, dimension=vectors.shape[1])
    if index.count_chunks() == len(corpus):
        return _current_text_index(index)
    write_scifact(index, corpus, vectors, lambda row: _doc_text(row, titles=titles))
    return index


def write_scifact(
    index: LanceDbIndex,
    corpus: list[dict[str, object]],
    vectors: np.ndarray,
    content: Callable[[dict[str, object]], str],
    *,
    title: Callable[[dict[str, object]], str | None] = lambda row: None,
) -> None:
    """Write the SciFact abstracts as documents of 1,000 chunks each, then optimise."""
    batch = 1000
    for start in range(0, len(corpus), batch):
        document = SourceDocument(
            document_id=f"scifact-{start}",
            path=Path("corpus.jsonl"),
            source="corpus.jsonl",
            content_hash=str(start),
            size_bytes=0,
        )
        chunks = [
            Chunk(
                chunk_id=str(row["_id"]),
                document_id=document.document_id,
                source="corpus.jsonl",
                citation=f"corpus.jsonl#id={row['_id']}",
                content=content(row),
                title=title(row),
            )
            for row in corpus[start : start + batch]
        ]
        index.replace_document(document, chunks, vectors[start : start + batch].tolist())
    index.optimize()


def _current_text_index(index: LanceDbIndex) -> LanceDbIndex:
    """A cached index, its full-text index re-created if an older version built it."""
    if not index.text_index_is_current():
        started = time.perf_counter()
        index.rebuild_text_index()
        print(f"rebuilt the full-text index (stemming) in {time.perf_counter() - started:.1f} s")
    return index


def _doc_text(row: dict[str, object], *, titles: bool) -> str:
    return f"{row['title']}. {row['text']}" if titles else str(row["text"])


def _score_scifact(
    search: Search, queries: dict[str, str], qrels: dict[str, set[str]], mode: RetrievalMode
) -> tuple[float, float]:
    ndcg, recall = [], []
    for query_id, relevant in qrels.items():
        ranked = [h.chunk.chunk_id for h in search(queries[query_id], mode, 100)]
        ndcg.append(ndcg_at_k(ranked, relevant))
        recall.append(recall_at_k(ranked, relevant))
    return float(np.mean(ndcg)), float(np.mean(recall))


def _scifact_bm25_only(
    corpus: list[dict[str, object]],
    queries: dict[str, str],
    splits: dict[str, dict[str, set[str]]],
    cache: Path,
) -> None:
    """BM25 figures without the embedding run (the index stores a constant 1-d vector)."""
    vectors = np.ones((len(corpus), 1), dtype=np.float32)
    for titles in (False, True):
        directory = cache / f"scifact-bm25-titles{int(titles)}"
        index = _scifact_index(directory, corpus, vectors, titles=titles)
        label = "title+text" if titles else "text only"
        for stop in (False, True):
            retriever = HybridRetriever(
                index=index, embedder=NoTextEmbedder(run="BM25-only"), drop_stop_words=stop
            )
            name = "query stop words removed" if stop else "default"
            _print_scifact_row(
                f"{label:10s}  {name:28s} text   ", retriever, "text", queries, splits
            )


def scifact_qrels(root: Path, *, seed: int = SPLIT_SEED) -> dict[str, dict[str, set[str]]]:
    """{"train": ..., "test": ...}: the train qrels tune (a seeded sample of
    :data:`SCIFACT_TUNE_QUERIES`, to keep a run short), the test qrels only report."""
    train = _read_qrels(root / "qrels" / "train.tsv")
    sample = sorted(train)
    random.Random(seed).shuffle(sample)
    kept = sorted(sample[:SCIFACT_TUNE_QUERIES])
    return {"train": {q: train[q] for q in kept}, "test": _read_qrels(root / "qrels" / "test.tsv")}


SCIFACT_TUNE_QUERIES = 300


def scifact(
    data: Path, cache: Path, *, bm25_only: bool = False, fusion: Sequence[Fusion] = ()
) -> None:
    root = data / "beir-scifact"
    corpus = _read_jsonl(root / "corpus.jsonl")
    queries = {str(q["_id"]): str(q["text"]) for q in _read_jsonl(root / "queries.jsonl")}
    splits = scifact_qrels(root)
    print(
        f"SciFact: {len(corpus)} documents, tuned on {len(splits['train'])} train queries"
        f" (seed {SPLIT_SEED}), reported on {len(splits['test'])} test queries"
    )
    if bm25_only:
        _scifact_bm25_only(corpus, queries, splits, cache)
        return
    embedder = CachedQueryEmbedder(SentenceTransformerEmbedder(), size=4096)
    if fusion:
        _scifact_fusion(corpus, queries, splits, cache, embedder, fusion)
        return
    for titles in (False, True):
        # Vectors are always of title + text (the BEIR convention for dense models); the variants
        # differ in what BM25 indexes. Embedding twice would double a long run on 2 cores.
        texts = [_doc_text(row, titles=True) for row in corpus]
        vectors = _cached_vectors(texts, cache / "scifact-vectors-titles1.npy")
        index = _scifact_index(
            cache / f"scifact-index-titles{int(titles)}", corpus, vectors, titles=titles
        )
        label = "title+text" if titles else "text only"
        for name, retriever in _scifact_variants(index, embedder):
            modes: Iterable[RetrievalMode] = _ALL_MODES
            if name != "default":
                modes = ("hybrid",) if "rrf" in name or "candidates" in name else _ALL_MODES
            for mode in modes:
                _print_scifact_row(
                    f"{label:10s}  {name:28s} {mode:7s}", retriever, mode, queries, splits
                )


@dataclass(frozen=True)
class Fusion:
    """A hybrid variant: BM25 weight, vector weight, RRF k (``--fusion 1.5 1 60``)."""

    text: float
    vector: float
    rrf_k: int

    def label(self) -> str:
        return f"bm25 x{self.text:g} vec x{self.vector:g} k={self.rrf_k}"


def _scifact_fusion(
    corpus: list[dict[str, object]],
    queries: dict[str, str],
    splits: dict[str, dict[str, set[str]]],
    cache: Path,
    embedder: TextEmbedder,
    fusion: Sequence[Fusion],
) -> None:
    """The legs and the given fusion settings, with chat's options, over title + text."""
    vectors = _cached_vectors(
        [_doc_text(row, titles=True) for row in corpus], cache / "scifact-vectors-titles1.npy"
    )
    index = _scifact_index(cache / "scifact-index-titles1", corpus, vectors, titles=True)

    def chat(variant: Fusion) -> HybridRetriever:
        weights: dict[RankingField, float] = {"text": variant.text, "vector": variant.vector}
        return HybridRetriever(
            index=index,
            embedder=embedder,
            rrf_k=variant.rrf_k,
            weights=weights,
            drop_stop_words=True,
            correct_spelling=True,
            distinct_pages=True,
        )

    legs = chat(Fusion(1.0, 1.0, 60))
    for mode in ("text", "vectors"):
        _print_scifact_row(f"chat options  {mode:30s}", legs, mode, queries, splits)
    for variant in fusion:
        label = f"chat options  {variant.label():30s}"
        _print_scifact_row(label, chat(variant), "hybrid", queries, splits)


def _print_scifact_row(
    label: str,
    retriever: Retriever,
    mode: RetrievalMode,
    queries: dict[str, str],
    splits: dict[str, dict[str, set[str]]],
) -> None:
    started = time.perf_counter()
    cells = []
    for split, qrels in splits.items():
        ndcg, recall = _score_scifact(_searcher(retriever), queries, qrels, mode)
        cells.append(f"{split} nDCG@10 {ndcg:.3f} recall@100 {recall:.3f}")
    print(f"{label}  {' | '.join(cells)}  ({time.perf_counter() - started:.0f} s)", flush=True)


def _scifact_variants(
    index: LanceDbIndex, embedder: TextEmbedder
) -> list[tuple[str, HybridRetriever]]:
    return [
        ("default", HybridRetriever(index=index, embedder=embedder)),
        (
            "query stop words removed",
            HybridRetriever(index=index, embedder=embedder, drop_stop_words=True),
        ),
        (
            "chat defaults",  # stop words, spelling correction, one hit per document
            HybridRetriever(
                index=index,
                embedder=embedder,
                drop_stop_words=True,
                correct_spelling=True,
                distinct_pages=True,
            ),
        ),
        ("rrf k=20", HybridRetriever(index=index, embedder=embedder, rrf_k=20)),
        ("rrf k=100", HybridRetriever(index=index, embedder=embedder, rrf_k=100)),
        ("candidates 100", HybridRetriever(index=index, embedder=embedder, candidates=100)),
        ("candidates 200", HybridRetriever(index=index, embedder=embedder, candidates=200)),
    ]


def _searcher(retriever: Retriever) -> Search:
    return lambda text, mode, top: retriever.search(text, mode=mode, top=top)


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
    return _current_text_index(index)


def northwind(data: Path, cache: Path, *, seed: int = SPLIT_SEED) -> None:
    questions = [
        Question(text=str(r["question"]), pages=tuple(truth_pages(str(r["truth"]))))
        for r in _read_jsonl(data / "eval" / "northwind-qa.jsonl")
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
        for r in _read_jsonl(data / "eval" / "northwind-qa.jsonl")
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
