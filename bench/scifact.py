"""Retrieval quality on SciFact (BEIR): train qrels tune, test qrels report.

nDCG@10 and recall@100 for BM25, vectors and hybrid through the real LanceDbIndex and the
packaged MiniLM embedder, for several legitimately tunable variants (what is indexed, RRF k,
candidate depth, query-side stop words). Document vectors are cached under ``--cache``.
Run through ``python -m bench.retrieval scifact`` (usage there).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.corpus_io import current_text_index, read_jsonl, read_qrels
from bench.no_text import NoTextEmbedder
from bench.tuning_split import (
    SPLIT_SEED,
)
from chat.query_cache import CachedQueryEmbedder
from retrieval.lancedb import LanceDbIndex
from retrieval.retriever import HybridRetriever
from ridgeline.protocols import Retriever, TextEmbedder
from ridgeline.providers.embedder import SentenceTransformerEmbedder
from ridgeline.ranking import RankingField
from ridgeline.settings import RetrievalMode
from ridgeline.types import Chunk, SearchHit, SourceDocument

Search = Callable[[str, RetrievalMode, int], list[SearchHit]]
_ALL_MODES: tuple[RetrievalMode, ...] = ("text", "vectors", "hybrid")


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
        return current_text_index(index)
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
    """Write the SciFact abstracts as chunks (one each), then optimise."""
    chunks = [
        Chunk(
            chunk_id=str(row["_id"]),
            document_id="",
            source="corpus.jsonl",
            citation=f"corpus.jsonl#id={row['_id']}",
            content=content(row),
            title=title(row),
        )
        for row in corpus
    ]
    write_chunks(index, chunks, vectors, batch=1000)


def write_chunks(
    index: LanceDbIndex, chunks: Sequence[Chunk], vectors: np.ndarray, *, batch: int
) -> None:
    """Write ``chunks`` as documents of ``batch`` chunks each (ids scifact-0, -1000, ...), then
    optimise: the corpus is one file, and one document per chunk would cost a commit each."""
    for start in range(0, len(chunks), batch):
        document = SourceDocument(
            document_id=f"scifact-{start}",
            path=Path("corpus.jsonl"),
            source="corpus.jsonl",
            content_hash=str(start),
            size_bytes=0,
        )
        part = [
            c.model_copy(update={"document_id": document.document_id})
            for c in chunks[start : start + batch]
        ]
        index.replace_document(document, part, vectors[start : start + batch].tolist())
    index.optimize()


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
    train = read_qrels(root / "qrels" / "train.tsv")
    sample = sorted(train)
    random.Random(seed).shuffle(sample)
    kept = sorted(sample[:SCIFACT_TUNE_QUERIES])
    return {"train": {q: train[q] for q in kept}, "test": read_qrels(root / "qrels" / "test.tsv")}


SCIFACT_TUNE_QUERIES = 300


def scifact(
    data: Path, cache: Path, *, bm25_only: bool = False, fusion: Sequence[Fusion] = ()
) -> None:
    root = data / "beir-scifact"
    corpus = read_jsonl(root / "corpus.jsonl")
    queries = {str(q["_id"]): str(q["text"]) for q in read_jsonl(root / "queries.jsonl")}
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
