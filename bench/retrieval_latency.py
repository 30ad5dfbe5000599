"""Query latency and ANN recall of the embedded LanceDB index on a synthetic corpus.

Usage: python -m bench.retrieval_latency [N] [--chunks-per-document 1000] [--queries 200]

Writes N chunks (384-d unit vectors, 12 random words, a category, a price and access lists) in
documents through ``replace_document``, then optimizes and times queries with precomputed
vectors (so no embedding time) per mode, unfiltered, with a category + price filter, and with an
access scope. Vectors are drawn around 2,000 random centres (cosine ~0.75 to their centre), as
real embeddings cluster; uniform random 384-d vectors have no neighbours worth the name and make
any ANN index look broken. Recall@10 of the vector ranking is measured against exact numpy
search over the same vectors.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from retrieval.lancedb_index import LanceDbIndex
from ridgeline.settings import RetrievalMode
from ridgeline.types import AccessScope, Chunk, SearchFilters, SourceDocument

DIMENSION = 384
CENTRES = 2_000
VOCABULARY = [f"w{n}" for n in range(5000)]
CATEGORIES = [f"cat{n}" for n in range(10)]
GROUPS = [f"group{n}" for n in range(20)]
CATALOG_FILTER = SearchFilters(include_category="cat3", max_price=500.0)
ACCESS_FILTER = SearchFilters(access=AccessScope(user_id="user7", group_ids=("group3", "group11")))


class Corpus:
    """Deterministic synthetic vectors and words."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.centres = self._normalise(self.rng.standard_normal((CENTRES, DIMENSION)))

    @staticmethod
    def _normalise(vectors: np.ndarray) -> np.ndarray:
        vectors = vectors.astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def vectors(self, count: int) -> np.ndarray:
        centres = self.centres[self.rng.integers(0, CENTRES, count)]
        noise = self.rng.standard_normal((count, DIMENSION)) * (0.9 / np.sqrt(DIMENSION))
        return self._normalise(centres + noise)

    def words(self, count: int) -> str:
        return " ".join(self.rng.choice(VOCABULARY, size=count))

    def access(self) -> dict[str, tuple[str, ...]]:
        roll = self.rng.random()
        if roll < 0.5:
            return {}
        if roll < 0.7:
            return {"access_users": (f"user{self.rng.integers(0, 100)}",)}
        return {"access_groups": tuple(self.rng.choice(GROUPS, size=2, replace=False))}


def build(index: LanceDbIndex, corpus: Corpus, total: int, per_document: int) -> np.ndarray:
    """Write ``total`` chunks in documents of ``per_document``; returns all their vectors."""
    written = []
    for start in range(0, total, per_document):
        count = min(per_document, total - start)
        doc_id = f"doc{start // per_document}.csv"
        chunks = [
            Chunk(
                chunk_id=f"{doc_id}-{n}",
                document_id=doc_id,
                source=doc_id,
                citation=f"{doc_id}#id={n}",
                content=corpus.words(12),
                category=str(corpus.rng.choice(CATEGORIES)),
                price=float(corpus.rng.uniform(1, 1000)),
                **corpus.access(),  # type: ignore[arg-type]
            )
            for n in range(count)
        ]
        document = SourceDocument(
            document_id=doc_id, path=Path(doc_id), source=doc_id, content_hash="x", size_bytes=1
        )
        vectors = corpus.vectors(count)
        index.replace_document(document, chunks, vectors.tolist())
        written.append(vectors)
    return np.concatenate(written)


def percentiles(run: Callable[[int], object], queries: int) -> tuple[float, float, float]:
    """Wall-clock p50 and p95, and the p50 of the process CPU time (all threads) per query.

    On a shared machine the wall clock includes waiting for a core; the CPU time does not, and
    bounds what one query costs on an idle machine.
    """
    run(0)  # warm caches
    timings, cpu = [], []
    for q in range(queries):
        started, started_cpu = time.perf_counter(), time.process_time()
        run(q)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    cuts = statistics.quantiles(timings, n=100)
    return cuts[49], cuts[94], statistics.median(cpu)


def measure(index: LanceDbIndex, texts: list[str], vectors: np.ndarray, queries: int) -> None:
    query_vectors = vectors.tolist()
    modes: list[RetrievalMode] = ["text", "vectors", "hybrid"]
    filters: dict[str, SearchFilters | None] = {
        "unfiltered": None,
        "category+price": CATALOG_FILTER,
        "access": ACCESS_FILTER,
    }
    for mode in modes:
        for label, selected in filters.items():

            def run(q: int, mode: RetrievalMode = mode, selected: SearchFilters | None = selected):
                return index.search(
                    text=texts[q], vector=query_vectors[q], mode=mode, top=5, filters=selected
                )

            p50, p95, cpu = percentiles(run, queries)
            print(
                f"{mode:<8} {label:<15} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   "
                f"cpu p50 {cpu:7.2f} ms",
                flush=True,
            )


def recall_at_10(
    index: LanceDbIndex, corpus_vectors: np.ndarray, queries: np.ndarray, *, per_document: int
) -> float:
    """Share of the exact top 10 (numpy, cosine) that the index's vector ranking returns."""
    exact = np.argsort(-(queries @ corpus_vectors.T), axis=1)[:, :10]
    found = 0
    for query, truth in zip(queries, exact, strict=True):
        hits = index.search(text="", vector=query.tolist(), mode="vectors", top=10)
        got = {h.chunk.chunk_id for h in hits}
        found += len(got & {f"doc{i // per_document}.csv-{i % per_document}" for i in truth})
    return found / (10 * len(queries))


def main(total: int, *, per_document: int, queries: int, ann_min_rows: int) -> None:
    corpus = Corpus(seed=7)
    texts = [corpus.words(3) for _ in range(queries)]
    with tempfile.TemporaryDirectory() as directory:
        index = LanceDbIndex(Path(directory), dimension=DIMENSION, ann_min_rows=ann_min_rows)
        started = time.perf_counter()
        corpus_vectors = build(index, corpus, total, per_document)
        print(f"N={total} chunks, {DIMENSION}-d, written in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        index.optimize()
        print(f"optimize() took {time.perf_counter() - started:.1f} s", flush=True)
        query_vectors = corpus.vectors(queries)
        recall = recall_at_10(index, corpus_vectors, query_vectors[:50], per_document=per_document)
        print(f"vector recall@10 vs exact search (50 queries): {recall:.3f}", flush=True)
        measure(index, texts, query_vectors, queries)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("total", nargs="?", type=int, default=10_000)
    parser.add_argument("--chunks-per-document", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--ann-min-rows", type=int, default=50_000)
    args = parser.parse_args()
    main(
        args.total,
        per_document=args.chunks_per_document,
        queries=args.queries,
        ann_min_rows=args.ann_min_rows,
    )
