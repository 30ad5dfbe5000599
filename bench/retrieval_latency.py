"""Query latency of the embedded LanceDB index on a synthetic corpus.

Usage: python bench/retrieval_latency.py [N]   (N chunks, default 10000)

Builds N random 384-d unit vectors with random short texts in a temporary directory, then times
200 queries (precomputed vectors + words, so no embedding time) per mode, with and without a
category + price filter. Queries are timed twice: on the index as written (its own maintenance
policy folds new rows into the indices every few writes) and after a full ``optimize()``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from retrieval.lancedb_index import LanceDbIndex
from ridgeline.settings import RetrievalMode
from ridgeline.types import Chunk, SearchFilters, SourceDocument

DIMENSION = 384
QUERIES = 200
CHUNKS_PER_DOCUMENT = 100
VOCABULARY = [f"w{n}" for n in range(5000)]
CATEGORIES = [f"cat{n}" for n in range(10)]
FILTERS = SearchFilters(include_category="cat3", max_price=500.0)


def _unit_vectors(rng: np.random.Generator, count: int) -> np.ndarray:
    vectors = rng.standard_normal((count, DIMENSION)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _words(rng: np.random.Generator, count: int) -> str:
    return " ".join(rng.choice(VOCABULARY, size=count))


def build(index: LanceDbIndex, rng: np.random.Generator, total: int) -> float:
    """Write ``total`` chunks in documents of 100; returns the seconds spent writing."""
    started = time.perf_counter()
    for start in range(0, total, CHUNKS_PER_DOCUMENT):
        count = min(CHUNKS_PER_DOCUMENT, total - start)
        doc_id = f"doc{start // CHUNKS_PER_DOCUMENT}.csv"
        chunks = [
            Chunk(
                chunk_id=f"{doc_id}-{n}",
                document_id=doc_id,
                source=doc_id,
                citation=f"{doc_id}#id={n}",
                content=_words(rng, 12),
                category=str(rng.choice(CATEGORIES)),
                price=float(rng.uniform(1, 1000)),
            )
            for n in range(count)
        ]
        document = SourceDocument(
            document_id=doc_id, path=Path(doc_id), source=doc_id, content_hash="x", size_bytes=1
        )
        index.replace_document(document, chunks, _unit_vectors(rng, count).tolist())
    return time.perf_counter() - started


def percentiles(run: Callable[[int], object]) -> tuple[float, float]:
    run(0)  # warm caches
    timings = []
    for q in range(QUERIES):
        started = time.perf_counter()
        run(q)
        timings.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(timings, n=100)
    return cuts[49], cuts[94]


def measure(index: LanceDbIndex, texts: list[str], vectors: list[list[float]], label: str) -> None:
    modes: list[RetrievalMode] = ["text", "vectors", "hybrid"]
    for mode in modes:
        for filters in (None, FILTERS):

            def run(q: int, mode: RetrievalMode = mode, filters: SearchFilters | None = filters):
                return index.search(
                    text=texts[q], vector=vectors[q], mode=mode, top=5, filters=filters
                )

            p50, p95 = percentiles(run)
            kind = "filtered" if filters else "unfiltered"
            print(f"{label:<22} {mode:<8} {kind:<11} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")


def main(total: int) -> None:
    rng = np.random.default_rng(7)
    texts = [_words(rng, 3) for _ in range(QUERIES)]
    vectors = _unit_vectors(rng, QUERIES).tolist()
    with tempfile.TemporaryDirectory() as directory:
        index = LanceDbIndex(Path(directory), dimension=DIMENSION)
        seconds = build(index, rng, total)
        print(f"N={total} chunks, {DIMENSION}-d, written in {seconds:.1f} s")
        measure(index, texts, vectors, "as written")
        started = time.perf_counter()
        index.optimize()
        print(f"optimize() took {time.perf_counter() - started:.1f} s")
        measure(index, texts, vectors, "after optimize()")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
